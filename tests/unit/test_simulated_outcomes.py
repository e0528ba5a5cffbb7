"""Questionnaires and stand tests of the simulated patients: valid, on schedule, true to the
simulated response."""

import datetime
from collections import defaultdict

import numpy as np
import pytest

from lowdose.instruments import (
    QuestionnaireSchedule,
    load_instrument,
    score_instrument,
    unanswered,
)
from lowdose.simulated_outcomes import (
    STAND_TEST_WEEKS,
    simulate_questionnaires,
    simulate_stand_tests,
)
from lowdose.simulation import ResponseClass, SimulatedClinic, simulate_clinic
from lowdose.standtest import analyse_stand_test, validate_readings

TODAY = datetime.date(2026, 3, 15)
# The web layer's defaults for a course without a stored plan (lowdose.web.outcomes.schedules).
EVERY_TIMEPOINT = QuestionnaireSchedule()
AFTER_THE_START = QuestionnaireSchedule(weeks=(4, 8, 12))
BY_CONDITION = {
    "pots": ("compass31", "fatigue_vas"),
    "fibromyalgia": ("fiqr", "acr2016"),
    "me_cfs": ("fss", "fatigue_vas"),
}


def _plans(clinic: SimulatedClinic) -> list[dict[str, QuestionnaireSchedule]]:
    plans = []
    for p in clinic.patients:
        ids = [i for condition in p.conditions for i in BY_CONDITION.get(condition, ())]
        plans.append({**dict.fromkeys(ids, EVERY_TIMEPOINT), "pgic": AFTER_THE_START})
    return plans


@pytest.fixture(scope="module")
def clinic() -> SimulatedClinic:
    return simulate_clinic(seed=11, n_patients=400, n_days=300, today=TODAY)


@pytest.fixture(scope="module")
def responses(clinic):
    return simulate_questionnaires(clinic, _plans(clinic), seed=11)


@pytest.fixture(scope="module")
def stand_tests(clinic):
    return simulate_stand_tests(clinic, seed=11)


def test_the_same_seed_gives_the_same_answers_and_readings(clinic, responses, stand_tests):
    plans = _plans(clinic)
    assert simulate_questionnaires(clinic, plans, seed=11) == responses
    assert simulate_stand_tests(clinic, seed=11) == stand_tests
    assert simulate_questionnaires(clinic, plans, seed=12) != responses
    assert simulate_stand_tests(clinic, seed=12) != stand_tests


def test_every_answer_set_is_complete_and_scores(responses):
    for r in responses:
        instrument = load_instrument(r.instrument)
        result = score_instrument(instrument, r.answers)  # raises on a bad or missing answer
        assert list(unanswered(instrument, r.answers)) == []
        assert not set(result.skipped) & set(r.answers)  # items that do not apply stay empty
        assert result.missing == ()


def test_each_patient_answers_what_the_plan_asks_when_it_is_due(clinic, responses):
    plans = _plans(clinic)
    last = clinic.checkins.last_days()
    for r in responses:
        p = clinic.patients[r.patient]
        assert r.instrument in plans[r.patient]
        assert p.baseline_start <= r.date <= datetime.date.fromordinal(int(last[r.patient]))
        if r.date < p.ldn_start:  # the baseline sitting, in the week before the first dose
            assert r.instrument != "pgic"
            assert (p.ldn_start - r.date).days <= 7
        else:
            assert (r.date - p.ldn_start).days >= 4 * 7 - 3  # week 4 opens 3 days early


def test_pgic_comes_only_after_the_start(clinic, responses):
    pgic = [r for r in responses if r.instrument == "pgic"]
    assert pgic
    assert all(r.date > clinic.patients[r.patient].ldn_start for r in pgic)


def test_most_patients_fill_in_what_has_come_due(clinic, responses):
    filled = {r.patient for r in responses}
    started_a_while_ago = [
        p.index for p in clinic.patients if p.ldn_start < TODAY - datetime.timedelta(weeks=6)
    ]
    share = np.mean([i in filled for i in started_a_while_ago])
    assert share > 0.9


def _change_by_response(clinic, responses, instrument_id):
    """First-to-last change of a symptom questionnaire's total, by true response class."""
    totals = defaultdict(list)
    for r in responses:
        if r.instrument == instrument_id:
            result = score_instrument(load_instrument(instrument_id), r.answers)
            totals[r.patient].append(float(result.total))
    changes = defaultdict(list)
    for index, series in totals.items():
        if len(series) >= 3:
            changes[clinic.patients[index].response].append(series[-1] - series[0])
    return {response: np.mean(values) for response, values in changes.items()}


@pytest.mark.parametrize("instrument_id", ["compass31", "fatigue_vas", "fiqr"])
def test_responders_improve_and_non_responders_barely_move(clinic, responses, instrument_id):
    low, high = load_instrument(instrument_id).total_range
    change = _change_by_response(clinic, responses, instrument_id)
    span = high - low
    assert change[ResponseClass.RESPONDER] < -0.1 * span
    assert change[ResponseClass.RESPONDER] < change[ResponseClass.NON_RESPONDER] - 0.1 * span
    assert abs(change[ResponseClass.NON_RESPONDER]) < 0.1 * span


def test_pgic_says_better_for_responders(clinic, responses):
    by_class = defaultdict(list)
    for r in responses:
        if r.instrument == "pgic":
            by_class[clinic.patients[r.patient].response].append(r.answers["change"])
    responder = np.mean(by_class[ResponseClass.RESPONDER])
    non_responder = np.mean(by_class[ResponseClass.NON_RESPONDER])
    assert responder < 3 < non_responder  # below "minimally improved"; around "no change"


def test_only_patients_with_pots_do_stand_tests(clinic, stand_tests):
    tested = {t.patient for t in stand_tests}
    pots = {p.index for p in clinic.patients if "pots" in p.conditions}
    assert tested <= pots
    assert len(tested) > 0.8 * len(pots)


def test_stand_tests_follow_the_protocol_and_the_schedule(clinic, stand_tests):
    last = clinic.checkins.last_days()
    for t in stand_tests:
        validate_readings(t.readings)
        p = clinic.patients[t.patient]
        assert [r.position.value for r in t.readings] == ["supine"] * 3 + ["standing"] * 10
        assert [r.minute for r in t.readings] == list(range(13))
        assert t.date <= datetime.date.fromordinal(int(last[t.patient]))
        weeks = (t.date - p.ldn_start).days / 7
        assert min(abs(weeks - w) for w in STAND_TEST_WEEKS) <= 1
        assert analyse_stand_test(t.readings, 30).complete


def test_a_responders_heart_rate_rise_falls(clinic, stand_tests):
    by_patient = defaultdict(list)
    for t in stand_tests:
        by_patient[t.patient].append(analyse_stand_test(t.readings, 30).max_delta_hr)
    change = defaultdict(list)
    for index, rises in by_patient.items():
        if len(rises) >= 2:
            change[clinic.patients[index].response].append(float(rises[-1] - rises[0]))
    assert np.mean(change[ResponseClass.RESPONDER]) < -3
    assert abs(np.mean(change[ResponseClass.NON_RESPONDER])) < 3
    baseline_rises = [rises[0] for rises in by_patient.values()]
    assert np.mean([rise >= 30 for rise in baseline_rises]) > 0.6  # POTS: mostly over 30 bpm
