"""The demo-clinic simulator: deterministic, realistic in shape, honest about its ground truth."""

import datetime
import itertools
import re
import warnings
from decimal import Decimal

import numpy as np
import pytest

from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME, Severity, SideEffect
from lowdose.simulation import ResponseClass, SimulatedClinic, SimulationError, simulate_clinic

TODAY = datetime.date(2026, 3, 15)
N_DAYS = 240
WORSE = np.array([1.0 if RATINGS_BY_NAME[n].lower_is_better else -1.0 for n in RATING_NAMES])
OPIOIDS = ("tramadol", "codeine", "morphine", "oxycodone", "hydrocodone", "tapentadol", "fentanyl")


@pytest.fixture(scope="module")
def clinic() -> SimulatedClinic:
    return simulate_clinic(seed=7, n_patients=600, n_days=N_DAYS, today=TODAY)


def _column_means(ratings):
    """Per-rating means ignoring skipped ratings; NaN for a rating never given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(ratings, axis=0)


def _rows(clinic, index):
    """Day ordinals and ratings of one patient."""
    rows = clinic.checkins.rows_of(index)
    return clinic.checkins.day[rows], clinic.checkins.ratings[rows]


def _drift(patient, days):
    """The model's non-drug drift (rating points, signed) on each of ``days``."""
    excess = np.array([patient.model.baseline_excess[n] for n in RATING_NAMES])
    elapsed = days - patient.baseline_start.toordinal()
    return np.exp(-elapsed / patient.model.drift_days)[:, None] * excess * WORSE


def test_the_same_seed_gives_the_same_clinic():
    a = simulate_clinic(seed=3, n_patients=40, n_days=90, today=TODAY)
    b = simulate_clinic(seed=3, n_patients=40, n_days=90, today=TODAY)
    c = simulate_clinic(seed=4, n_patients=40, n_days=90, today=TODAY)
    assert a.patients == b.patients
    for name in ("patient", "day", "dose_taken", "late", "side_effect_row", "side_effect_code"):
        assert np.array_equal(getattr(a.checkins, name), getattr(b.checkins, name))
    assert np.array_equal(a.checkins.ratings, b.checkins.ratings, equal_nan=True)
    assert a.patients != c.patients


def test_columns_have_one_row_per_patient_day_sorted(clinic):
    ck = clinic.checkins
    n = len(ck)
    assert ck.patient.dtype == np.int32
    assert ck.day.dtype == np.int32
    assert ck.dose_taken.dtype == bool
    assert ck.late.dtype == bool
    assert ck.ratings.dtype == np.float32
    assert ck.ratings.shape == (n, len(RATING_NAMES))
    key = ck.patient.astype(np.int64) * 10**7 + ck.day
    assert np.all(np.diff(key) > 0)
    assert set(np.unique(ck.patient)) == set(range(len(clinic.patients)))
    assert [p.index for p in clinic.patients] == list(range(len(clinic.patients)))


def test_values_are_in_range(clinic):
    ck = clinic.checkins
    rated = ck.ratings[~np.isnan(ck.ratings)]
    assert rated.min() == 0
    assert rated.max() == 10
    assert np.array_equal(rated, np.rint(rated))
    assert ck.day.min() >= TODAY.toordinal() - N_DAYS + 1
    assert ck.day.max() <= TODAY.toordinal()
    assert 0.01 < np.isnan(ck.ratings).mean() < 0.1
    assert not ck.late[ck.day == TODAY.toordinal()].any()
    assert 0.02 < ck.late.mean() < 0.07


def test_side_effects_are_valid_and_point_at_rows(clinic):
    ck = clinic.checkins
    assert len(ck.side_effect_row) == len(ck.side_effect_code) == len(ck.side_effect_severity)
    assert np.all(np.diff(ck.side_effect_row) >= 0)
    assert ck.side_effect_row.min() >= 0
    assert ck.side_effect_row.max() < len(ck)
    assert {SideEffect(code) for code in np.unique(ck.side_effect_code)} >= {
        SideEffect.VIVID_DREAMS,
        SideEffect.INSOMNIA,
        SideEffect.HEADACHE,
        SideEffect.NAUSEA,
    }
    assert set(np.unique(ck.side_effect_severity)) == {int(s) for s in Severity}
    assert ck.dose_taken[ck.side_effect_row].mean() > 0.8  # side effects come with LDN days


def test_early_side_effects_fade(clinic):
    ck = clinic.checkins
    ldn_start = np.array([p.ldn_start.toordinal() for p in clinic.patients])[ck.patient]
    week = (ck.day - ldn_start) // 7
    counts = np.bincount(ck.side_effect_row, minlength=len(ck))
    first_two_weeks = counts[(week >= 0) & (week < 2)].mean()
    after_ten_weeks = counts[week >= 10].mean()
    assert first_two_weeks > 4 * after_ten_weeks > 0


def test_about_ten_percent_of_days_are_missed(clinic):
    ck = clinic.checkins
    first = np.array([ck.day[ck.rows_of(p.index)][0] for p in clinic.patients])
    last = np.array([ck.day[ck.rows_of(p.index)][-1] for p in clinic.patients])
    assert 1 - len(ck) / (last - first + 1).sum() == pytest.approx(0.10, abs=0.02)


def _spans(clinic):
    ck = clinic.checkins
    spans = np.array([np.ptp(ck.day[ck.rows_of(p.index)]) + 1 for p in clinic.patients[2:]])
    active = np.array([p.stopped_on is None for p in clinic.patients[2:]])
    return spans, active


def test_the_default_window_gives_six_to_twenty_weeks_of_diary():
    clinic = simulate_clinic(seed=5, n_patients=300, n_days=140, today=TODAY)
    spans, _ = _spans(clinic)
    assert spans.max() <= 140
    assert (spans >= 40).mean() > 0.9  # a few lapsed diaries end early


def test_a_years_window_gives_most_of_a_year_of_diary():
    clinic = simulate_clinic(seed=5, n_patients=300, n_days=365, today=TODAY)
    spans, active = _spans(clinic)
    assert spans.max() == 365
    assert spans[active].min() >= 105
    assert spans[active].mean() > 200


def test_exactly_one_patient_takes_an_opioid(clinic):
    def has_opioid(patient):
        return any(drug in med.lower() for med in patient.medications for drug in OPIOIDS)

    assert [p.index for p in clinic.patients if has_opioid(p)] == [1]
    assert "Tramadol 50 mg" in clinic.patients[1].medications
    assert not any("naltrexone" in m.lower() for p in clinic.patients for m in p.medications)


def test_profiles_are_plausible(clinic):
    patients = clinic.patients
    usernames = [p.username for p in patients]
    assert len(set(usernames)) == len(usernames)
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+[0-9]+", u) for u in usernames)
    assert 0.75 < np.mean([p.sex == "female" for p in patients]) < 0.95
    assert len({(p.first_name, p.last_name) for p in patients}) > 300
    ages = [(TODAY - p.date_of_birth).days / 365.25 for p in patients]
    assert min(ages) >= 18
    assert max(ages) <= 76
    assert all(p.timezone == "UTC" for p in patients)
    primary = [p.conditions[0] for p in patients]
    assert sum(c in ("pots", "fibromyalgia", "me_cfs") for c in primary) > 0.85 * len(patients)
    assert 0.15 < np.mean([len(p.conditions) == 2 for p in patients]) < 0.35


def test_dose_steps_rise_to_a_low_dose(clinic):
    for p in clinic.patients:
        dates = [d for d, _ in p.dose_steps]
        doses = [mg for _, mg in p.dose_steps]
        assert dates[0] == p.ldn_start
        assert all(isinstance(mg, Decimal) for mg in doses)
        assert all(b > a for a, b in itertools.pairwise(doses))
        assert {(b - a).days for a, b in itertools.pairwise(dates)} <= set(range(7, 15))
        assert Decimal("0.5") <= doses[0] <= Decimal("1.5")
        assert doses[-1] <= 6
        assert 14 <= (p.ldn_start - p.baseline_start).days <= 28
        if p.maintenance_start is not None:
            assert p.maintenance_start == dates[-1]
            assert doses[-1] >= 3


def test_dose_is_not_taken_in_baseline_and_mostly_taken_on_ldn(clinic):
    ck = clinic.checkins
    ldn_start = np.array([p.ldn_start.toordinal() for p in clinic.patients])[ck.patient]
    assert not ck.dose_taken[ck.day < ldn_start].any()
    assert ck.dose_taken[ck.day >= ldn_start].mean() == pytest.approx(0.9, abs=0.03)


def test_some_non_responders_stop_and_check_in_no_more(clinic):
    stopped = [p for p in clinic.patients if p.stopped_on is not None]
    assert 10 < len(stopped) < 0.2 * len(clinic.patients)
    for p in stopped:
        assert p.response is ResponseClass.NON_RESPONDER
        assert _rows(clinic, p.index)[0][-1] < p.stopped_on.toordinal()
        assert p.phase_on(p.stopped_on) == "stopped"
        assert p.dose_on(p.stopped_on) is None


def test_the_response_mix(clinic):
    counts = {r: sum(p.response is r for p in clinic.patients) / 600 for r in ResponseClass}
    assert all(0.2 < share < 0.5 for share in counts.values())
    for p in clinic.patients:
        effects = np.array([p.true_effect[n] for n in RATING_NAMES])
        assert np.all(effects * WORSE <= 0)  # the drug never makes a rating worse
        if p.response is ResponseClass.NON_RESPONDER:
            assert not effects.any()
        elif p.response is ResponseClass.RESPONDER:
            assert np.abs(effects).max() >= 1.8


def test_baseline_improves_without_any_drug(clinic):
    """Patients start when they feel worst: the ratings improve during baseline on average."""
    changes = []
    for p in clinic.patients[2:]:
        days, ratings = _rows(clinic, p.index)
        elapsed = days - p.baseline_start.toordinal()
        baseline_days = (p.ldn_start - p.baseline_start).days
        early = _column_means(ratings[elapsed < 5] * WORSE)
        end_of_baseline = (elapsed >= baseline_days - 5) & (elapsed < baseline_days)
        late = _column_means(ratings[end_of_baseline] * WORSE)
        changes.append(late - early)
    assert np.nanmean(changes) < -0.2


def _maintenance_minus_baseline(clinic, patient):
    """Observed and drift-only differences (full-effect rows minus baseline rows) per rating."""
    days, ratings = _rows(clinic, patient.index)
    baseline = days < patient.ldn_start.toordinal()
    full = days >= patient.model.full_effect_on.toordinal()
    drift = _drift(patient, days)
    observed = _column_means(ratings[full]) - _column_means(ratings[baseline])
    return observed, drift[full].mean(axis=0) - drift[baseline].mean(axis=0)


@pytest.mark.parametrize("response", list(ResponseClass))
def test_the_true_effect_is_recoverable_from_the_ratings(clinic, response):
    patients = [
        p
        for p in clinic.patients[2:]
        if p.response is response
        and p.stopped_on is None
        and (TODAY - p.model.full_effect_on).days >= 21
    ]
    assert len(patients) > 30
    observed, drift, truth = [], [], []
    for p in patients:
        o, d = _maintenance_minus_baseline(clinic, p)
        observed.append(o)
        drift.append(d)
        truth.append([p.true_effect[n] for n in RATING_NAMES])
    observed, drift, truth = np.array(observed), np.array(drift), np.array(truth)
    estimate = np.nanmean(observed - drift, axis=0)
    assert estimate == pytest.approx(truth.mean(axis=0), abs=0.2)
    # The naive comparison credits the drug with the drift as well.
    assert np.nanmean(observed * WORSE) < np.mean(truth * WORSE) - 0.2


def test_noise_is_autocorrelated(clinic):
    correlations = []
    for p in clinic.patients[2:200]:
        days, ratings = _rows(clinic, p.index)
        stable = days >= p.model.full_effect_on.toordinal() + 30
        consecutive = np.flatnonzero(stable[:-1] & (np.diff(days) == 1))
        x, y = ratings[consecutive, 1], ratings[consecutive + 1, 1]
        ok = ~np.isnan(x) & ~np.isnan(y)
        if ok.sum() > 20 and x[ok].std() > 0 and y[ok].std() > 0:
            correlations.append(np.corrcoef(x[ok], y[ok])[0, 1])
    assert 0.2 < np.mean(correlations) < 0.7


def test_patient_zero_is_the_demo_responder_with_today_open(clinic):
    p = clinic.patients[0]
    days, _ = _rows(clinic, 0)
    assert days[-1] == (TODAY - datetime.timedelta(days=1)).toordinal()
    assert p.response is ResponseClass.RESPONDER
    assert p.stopped_on is None
    assert p.phase_on(TODAY) == "maintenance"
    assert p.dose_on(TODAY) == Decimal("4.5")
    assert len(days) > 0.9 * (days[-1] - days[0] + 1)
    assert len(days) > 150


def test_patient_one_is_blocked_in_baseline(clinic):
    p = clinic.patients[1]
    assert p.phase_on(TODAY) == "baseline"
    assert p.ldn_start > TODAY
    assert p.dose_on(TODAY) is None
    assert p.maintenance_start is None
    assert not clinic.checkins.dose_taken[clinic.checkins.rows_of(1)].any()


def test_rows_can_be_read_one_by_one(clinic):
    rows = list(clinic.checkins.iter_rows(clinic.checkins.rows_of(0)))
    assert rows[-1].date == TODAY - datetime.timedelta(days=1)
    assert all(set(r.ratings) <= set(RATING_NAMES) for r in rows)
    n_effects = sum(len(r.side_effects) for r in rows)
    assert n_effects == np.isin(clinic.checkins.side_effect_row, np.arange(len(rows))).sum()
    assert clinic.checkins.iso_dates()[0] == rows[0].date.isoformat()


def test_a_small_history_still_works():
    clinic = simulate_clinic(seed=1, n_patients=30, n_days=14, today=TODAY)
    assert len(clinic.checkins) > 200
    assert clinic.checkins.day.min() >= TODAY.toordinal() - 13


@pytest.mark.parametrize(("patients", "days"), [(1, 90), (30, 13)])
def test_too_small_a_clinic_is_refused(patients, days):
    with pytest.raises(SimulationError):
        simulate_clinic(seed=1, n_patients=patients, n_days=days, today=TODAY)


@pytest.mark.parametrize("n_days", [51, 140, 365])
def test_patient_zero_reaches_maintenance_whenever_the_window_allows(n_days):
    clinic = simulate_clinic(seed=n_days, n_patients=3, n_days=n_days, today=TODAY)
    p = clinic.patients[0]
    assert p.phase_on(TODAY) == "maintenance"
    assert clinic.checkins.day[clinic.checkins.rows_of(0)][-1] == TODAY.toordinal() - 1
    rows = clinic.checkins.rows_of(0)
    early = clinic.checkins.side_effect_row < rows.stop
    assert early.sum() >= 3  # early side effects for the demo to show


def test_the_check_ins_scatter_around_the_expected_rating(clinic):
    """expected_rating is the model without its noise: the ratings' mean error is about 0."""
    errors = []
    for p in clinic.patients[2:300]:
        days, ratings = _rows(clinic, p.index)
        for j, name in enumerate(RATING_NAMES):
            expected = [p.expected_rating(name, datetime.date.fromordinal(int(d))) for d in days]
            inside = (np.array(expected) > 1.5) & (np.array(expected) < 8.5)  # clipping aside
            errors.extend((ratings[inside, j] - np.array(expected)[inside]).tolist())
    assert np.nanmean(errors) == pytest.approx(0, abs=0.05)


def test_the_effect_ramps_from_the_first_dose_to_full_effect(clinic):
    p = clinic.patients[0]
    full, start = p.model.full_effect_on, p.ldn_start
    assert p.ramp_on(start - datetime.timedelta(days=5)) == p.ramp_on(start) == 0
    assert p.ramp_on(start + (full - start) / 2) == pytest.approx(0.5, abs=0.05)
    assert p.ramp_on(full) == p.ramp_on(full + datetime.timedelta(days=100)) == 1


def test_last_days_are_each_patients_last_check_in(clinic):
    last = clinic.checkins.last_days()
    assert len(last) == len(clinic.patients)
    for p in clinic.patients[:50]:
        days, _ = _rows(clinic, p.index)
        assert last[p.index] == days.max()
