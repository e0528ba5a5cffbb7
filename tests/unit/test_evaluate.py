"""The per-patient evaluation: results, caveats, blinded trials and refusals of bad input."""

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowdose.analysis import (
    AnalysisInputError,
    AnalysisOptions,
    DateOrderError,
    Design,
    NoComparisonError,
    NoVariationError,
    OutcomeSpec,
    Phase,
    Responder,
    TooFewDaysError,
    TrialMismatchError,
    UnknownPhaseError,
    ValueRangeError,
    design_trial,
    evaluate_series,
    make_series,
    series_from_rows,
)
from lowdose.ratings import Direction

START = dt.date(2025, 1, 1)


def _dates(n, start=START):
    return [start + dt.timedelta(days=i) for i in range(n)]


def _course(effect=-2.0, n_base=21, n_maint=42, phi=0.4, seed=1, missing=0.0, level=6.0):
    rng = np.random.default_rng(seed)
    n = n_base + n_maint
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = phi * noise[t - 1] + rng.normal(0, 0.8)
    y = np.clip(level + noise + effect * (np.arange(n) >= n_base), 0, 10).round(1)
    values = [None if rng.random() < missing else float(v) for v in y]
    phases = ["baseline"] * n_base + ["maintenance"] * n_maint
    return make_series(_dates(n), phases, {"pain": values})


def _all_numbers(value):
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _all_numbers(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _all_numbers(v)
    elif isinstance(value, float):
        yield value


def test_a_clear_improvement_is_found_and_described():
    result = evaluate_series(_course(effect=-3.0), ["pain"]).outcomes[0]
    assert result.effect.estimate == pytest.approx(-3.0, abs=0.8)
    assert result.effect.ci_high < 0
    assert result.responder is Responder.SUBSTANTIAL
    assert result.nap.value > 0.9
    assert result.probability.sceptical > 0.5
    assert result.probability.flat >= result.probability.sceptical
    assert result.summary.startswith("Your pain averaged")
    # the plain averages and the model's percentage are named as what they are
    assert (
        f"averaged {result.comparison_mean:.1f} before LDN and {result.treatment_mean:.1f}"
        in result.summary
    )
    assert (
        f"Allowing for day-to-day ups and downs, that is an estimated "
        f"{result.percent_improvement:.0f}% improvement." in result.summary
    )
    assert "placebo" in result.summary
    assert "Kenward" in result.methods
    assert "nlme::gls" in result.methods
    assert {c.code for c in result.caveats} >= {"open_label", "short_maintenance"}


def test_no_effect_is_not_called_a_response():
    result = evaluate_series(_course(effect=0.0, seed=4), ["pain"]).outcomes[0]
    assert result.responder in (Responder.NONE, Responder.INCONCLUSIVE)
    assert result.effect.ci_low < 0 < result.effect.ci_high


def test_higher_is_better_outcomes_are_oriented():
    series = _course(effect=-2.5)
    mood = make_series(series.dates, series.phases, {"mood": 10 - series.values["pain"]})
    result = evaluate_series(mood).outcomes[0]
    assert result.effect.estimate > 0
    assert result.percent_improvement > 0
    assert result.responder in (Responder.MODERATE, Responder.SUBSTANTIAL)
    assert "thresholds_by_analogy" in {c.code for c in result.caveats}


def test_custom_outcome_takes_its_direction_and_an_absolute_mcid():
    series = _course(effect=2.0)
    steps = make_series(series.dates, series.phases, {"steps": series.values["pain"] * 1000})
    spec = OutcomeSpec("steps", "Steps", Direction.HIGHER_IS_BETTER, None, mcid=500.0)
    result = evaluate_series(steps, [spec]).outcomes[0]
    assert result.probability.mcid == 500.0
    assert result.effect.estimate > 0


def test_titration_days_are_left_out_unless_asked():
    n = 70
    phases = ["baseline"] * 21 + ["titration"] * 14 + ["maintenance"] * 35
    values = (
        [6.0 + (i % 3) * 0.5 for i in range(21)]
        + [1.0] * 14
        + [4.0 + (i % 3) * 0.5 for i in range(35)]
    )
    series = make_series(_dates(n), phases, {"pain": values})
    plain = evaluate_series(series).outcomes[0]
    assert plain.n_days_used == 56
    with_titration = evaluate_series(series, options=AnalysisOptions(include_titration=True))
    assert with_titration.outcomes[0].n_days_used == 70


def test_results_hold_no_nan():
    result = evaluate_series(_course(missing=0.45, seed=9)).outcomes[0]
    assert all(math.isfinite(v) for v in _all_numbers(result))
    assert "missing_days" in {c.code for c in result.caveats}


def test_short_baseline_and_medication_change_are_flagged():
    series = _course(n_base=10)
    changed = make_series(
        series.dates, series.phases, series.values, [START + dt.timedelta(days=20)]
    )
    codes = {c.code for c in evaluate_series(changed).outcomes[0].caveats}
    assert {"short_baseline", "medication_change"} <= codes


def test_a_baseline_already_improving_is_flagged():
    n_base, n_maint = 28, 56
    rng = np.random.default_rng(5)
    y = np.r_[np.linspace(8, 4, n_base), np.full(n_maint, 3.5)] + rng.normal(
        0, 0.3, n_base + n_maint
    )
    series = make_series(
        _dates(n_base + n_maint),
        ["baseline"] * n_base + ["maintenance"] * n_maint,
        {"pain": y.tolist()},
    )
    result = evaluate_series(series).outcomes[0]
    caveat = next(c for c in result.caveats if c.code == "baseline_trend")
    assert "already improving" in caveat.message


def _blinded(trial, effect=-2.0, seed=2):
    rng = np.random.default_rng(seed)
    dates, phases, values = [], [], []
    for period in trial.periods:
        for day in range(period.first_day, period.last_day + 1):
            dates.append(START + dt.timedelta(days=day))
            phases.append(Phase.WASHOUT if day < period.first_analysed_day else period.arm)
            values.append(6.0 + (effect if period.arm is Phase.LDN else 0.0) + rng.normal(0, 0.7))
    return make_series(dates, phases, {"pain": values})


def test_blinded_trial_with_its_file_gets_an_exact_randomization_test():
    trial = design_trial(5, 14, 3, seed=21)
    result = evaluate_series(_blinded(trial), design=Design.BLINDED, trial=trial).outcomes[0]
    assert result.p_randomization == pytest.approx(1 / 32)
    assert result.n_days_used == 10 * 11
    assert result.responder is Responder.MODERATE or result.responder is Responder.SUBSTANTIAL
    assert "open_label" not in {c.code for c in result.caveats}
    assert result.as_dict()["p_randomization"] == result.p_randomization


def test_blinded_without_trial_file_has_everything_but_the_randomization_test():
    trial = design_trial(3, 14, 3, seed=21)
    result = evaluate_series(_blinded(trial), design=Design.BLINDED).outcomes[0]
    assert result.p_randomization is None
    assert "randomization" in {c.code for c in result.caveats}
    assert "p_randomization" in result.as_dict()


def test_trial_file_for_other_data_is_refused():
    trial = design_trial(3, 14, 3, seed=21)
    other = next(
        design_trial(3, 14, 3, seed=s)
        for s in range(50)
        if design_trial(3, 14, 3, seed=s).periods != trial.periods
    )
    with pytest.raises(TrialMismatchError):
        evaluate_series(_blinded(other), design=Design.BLINDED, trial=trial)


def test_open_json_has_the_documented_keys():
    data = evaluate_series(_course()).outcomes[0].as_dict()
    assert set(data) >= {
        "outcome",
        "n_days_used",
        "comparison_mean",
        "treatment_mean",
        "effect",
        "nap",
        "prob_meaningful_improvement",
        "responder",
        "caveats",
        "summary",
    }
    assert set(data["effect"]) >= {"estimate", "se", "ci_low", "ci_high", "phi", "method"}
    assert set(data["nap"]) == {"value", "se", "ci_low", "ci_high"}
    assert "p_randomization" not in data


# ---- bad input: a clear message, never a crash ----------------------------------------------


def test_no_comparison_days():
    series = make_series(_dates(30), ["maintenance"] * 30, {"pain": [5.0, 6.0] * 15})
    with pytest.raises(NoComparisonError, match="baseline"):
        evaluate_series(series)


def test_all_values_equal():
    series = make_series(_dates(30), ["baseline"] * 15 + ["maintenance"] * 15, {"pain": [5.0] * 30})
    with pytest.raises(NoVariationError, match="all values are equal"):
        evaluate_series(series)


def test_no_variation_within_phases():
    series = make_series(
        _dates(30), ["baseline"] * 15 + ["maintenance"] * 15, {"pain": [6.0] * 15 + [4.0] * 15}
    )
    with pytest.raises(NoVariationError, match="never vary"):
        evaluate_series(series)


def test_fewer_than_seven_days_in_a_phase():
    series = make_series(
        _dates(26), ["baseline"] * 6 + ["maintenance"] * 20, {"pain": [5.0, 6.0] * 13}
    )
    with pytest.raises(TooFewDaysError, match="only 6 recorded baseline days"):
        evaluate_series(series)


def test_unknown_phase():
    with pytest.raises(UnknownPhaseError, match="'holiday'"):
        make_series(_dates(2), ["baseline", "holiday"], {"pain": [1.0, 2.0]})


@pytest.mark.parametrize("order", [[0, 2, 1], [0, 1, 1]])
def test_dates_out_of_order_or_repeated(order):
    dates = [START + dt.timedelta(days=i) for i in order]
    with pytest.raises(DateOrderError):
        make_series(dates, ["baseline"] * 3, {"pain": [1.0, 2.0, 3.0]})


def test_rating_outside_its_scale():
    series = _course()
    bad = series.values["pain"].copy()
    bad[3] = 11
    with pytest.raises(ValueRangeError, match="outside 0–10"):
        evaluate_series(make_series(series.dates, series.phases, {"pain": bad}))


def test_csv_rows_with_a_bad_number_name_the_row():
    rows = [
        {"date": "2025-01-01", "phase": "baseline", "pain": "5"},
        {"date": "2025-01-02", "phase": "baseline", "pain": "five"},
    ]
    with pytest.raises(ValueRangeError, match="Row 3"):
        series_from_rows(rows, ["pain"])


@settings(max_examples=40, deadline=None)
@given(
    n_base=st.integers(0, 30),
    n_maint=st.integers(0, 40),
    values=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=70, max_size=70),
)
def test_any_series_gives_finite_results_or_a_clear_refusal(n_base, n_maint, values):
    n = n_base + n_maint
    series = make_series(
        _dates(n),
        ["baseline"] * n_base + ["maintenance"] * n_maint,
        {"pain": [None if v is None else float(v) for v in values[:n]]},
    )
    try:
        numbers = list(_all_numbers(evaluate_series(series).outcomes[0]))
    except AnalysisInputError as error:
        numbers = [0.0] if str(error) else [math.nan]  # a refusal must carry a message
    assert all(math.isfinite(v) for v in numbers)


@pytest.mark.parametrize(
    "values",
    [
        list(np.linspace(8, 2, 60)),  # a straight line: φ runs to its boundary
        [5.0, 5.1] * 10 + [3.0, 3.1] * 20,  # a perfect zig-zag: φ runs to −1
        list(np.r_[np.linspace(5, 6, 20), np.linspace(3, 4, 40)]),  # noise-free ramps
    ],
)
def test_degenerate_series_give_finite_results_without_warnings(values):
    series = make_series(_dates(60), ["baseline"] * 20 + ["maintenance"] * 40, {"pain": values})
    result = evaluate_series(series).outcomes[0]
    assert all(math.isfinite(v) for v in _all_numbers(result))
    assert result.effect.df <= result.n_days_used - 2
