"""Blinded n-of-1 trials: design, locked protocol, blinded summaries, randomization test."""

import datetime as dt
import json

import numpy as np
import pytest

from lowdose.analysis import (
    Phase,
    TrialDesignError,
    TrialMismatchError,
    canonical_protocol,
    design_trial,
    make_series,
    protocol_hash,
    summarize_periods_blinded,
    trial_from_dict,
    trial_to_dict,
)
from lowdose.analysis.randomization import randomization_test
from lowdose.analysis.trial import assign_periods, pairs_needed

# Darwin's Zea mays data as analysed by Fisher (The Design of Experiments, 1935, §21): the 15
# differences (crossed − self-fertilised, eighths of an inch). Of the 2^15 = 32,768 sign
# assignments, 863 give a sum at least as large as the observed 314: one-sided p = 863/32768.
DARWIN = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48]


def test_each_pair_holds_one_ldn_and_one_placebo_period_in_seeded_order():
    trial = design_trial(4, 14, 3, seed=11)
    assert trial == design_trial(4, 14, 3, seed=11)
    assert [p.number for p in trial.periods] == list(range(1, 9))
    for k in range(4):
        assert {trial.periods[2 * k].arm, trial.periods[2 * k + 1].arm} == {
            Phase.LDN,
            Phase.PLACEBO,
        }
    assert trial.periods[1].first_day == 14
    assert trial.periods[1].first_analysed_day == 17
    assert trial.total_days == 112


def test_orders_differ_between_seeds():
    orders = {tuple(p.arm for p in design_trial(6, 7, seed=s).periods) for s in range(20)}
    assert len(orders) > 10


@pytest.mark.parametrize(("pairs", "min_p"), [(1, 0.5), (2, 0.25), (4, 0.0625), (5, 0.03125)])
def test_smallest_reachable_p_value(pairs, min_p):
    assert design_trial(pairs, 7, seed=1).min_p_value == min_p


def test_two_pairs_cannot_reach_005_and_the_design_says_so():
    trial = design_trial(2, 14, 2, seed=3)
    assert "cannot" in trial.recommendation
    assert "at least 5 pairs" in trial.recommendation
    assert pairs_needed(0.05) == 5
    assert "cannot" not in design_trial(5, 14, 2, seed=3).recommendation


@pytest.mark.parametrize(
    ("pairs", "block", "washout"), [(0, 14, 0), (3, 0, 0), (3, 7, 7), (3, 7, -1)]
)
def test_impossible_designs_are_refused(pairs, block, washout):
    with pytest.raises(TrialDesignError):
        design_trial(pairs, block, washout, seed=1)


def test_trial_file_round_trips_and_keeps_the_stored_allocation():
    trial = design_trial(3, 10, 2, seed=5)
    data = json.loads(json.dumps(trial_to_dict(trial)))
    assert trial_from_dict(data) == trial


def test_tampered_trial_file_is_refused():
    data = trial_to_dict(design_trial(3, 10, 2, seed=5))
    data["periods"][1]["arm"] = data["periods"][0]["arm"]
    with pytest.raises(TrialMismatchError, match="Pair 1"):
        trial_from_dict(data)
    with pytest.raises(TrialMismatchError):
        trial_from_dict({"kind": "something else"})


def test_protocol_hash_is_stable_and_changes_with_the_plan():
    trial = design_trial(5, 14, 3, seed=9)
    plan = {"primary": "pain", "test": "randomization, one-sided"}
    text = canonical_protocol(trial, ["pain"], {"pain": 1.2}, plan)
    again = canonical_protocol(trial, ["pain"], {"pain": 1.2}, dict(reversed(list(plan.items()))))
    assert text == again
    assert len(protocol_hash(text)) == 64
    changed = canonical_protocol(trial, ["pain"], {"pain": 1.0}, plan)
    assert protocol_hash(changed) != protocol_hash(text)
    other_seed = canonical_protocol(design_trial(5, 14, 3, seed=10), ["pain"], {"pain": 1.2}, plan)
    assert protocol_hash(other_seed) != protocol_hash(text)


def test_protocol_hash_of_a_known_text():
    assert protocol_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_blinded_summaries_show_period_means_without_arms():
    trial = design_trial(2, 7, 2, seed=4)
    start = dt.date(2025, 3, 1)
    dates = [start + dt.timedelta(days=i) for i in range(28)]
    values = [float(i // 7) if i % 7 >= 2 else 99.0 for i in range(28)]  # washout days ignored
    values[10] = None
    summary = summarize_periods_blinded(trial, start, dates, values)
    assert [s.mean for s in summary] == [0.0, 1.0, 2.0, 3.0]
    assert [s.n_days for s in summary] == [5, 4, 5, 5]
    assert summary[1].first_date == dt.date(2025, 3, 8)
    assert not any(hasattr(s, "arm") for s in summary)


def _trial_series(trial, values_by_period):
    start = dt.date(2025, 1, 1)
    dates, phases, values = [], [], []
    for period in trial.periods:
        for day in range(period.first_day, period.last_day + 1):
            dates.append(start + dt.timedelta(days=day))
            washout = day < period.first_analysed_day
            phases.append(Phase.WASHOUT if washout else period.arm)
            values.append(values_by_period[period.number - 1] + 0.1 * (day % 3))
    return make_series(dates, phases, {"pain": values})


def test_periods_are_assigned_from_the_schedule():
    trial = design_trial(2, 7, 2, seed=8)
    series = _trial_series(trial, [5, 5, 5, 5])
    periods = assign_periods(series, trial)
    assert periods.tolist() == [1] * 7 + [2] * 7 + [3] * 7 + [4] * 7


def test_data_that_contradict_the_schedule_are_refused():
    trial = design_trial(2, 7, 2, seed=8)
    other = design_trial(
        2,
        7,
        2,
        seed=next(s for s in range(100) if design_trial(2, 7, 2, seed=s).periods != trial.periods),
    )
    series = _trial_series(other, [5, 5, 5, 5])
    with pytest.raises(TrialMismatchError, match="trial schedule says"):
        assign_periods(series, trial)
    longer = _trial_series(design_trial(3, 7, 2, seed=8), [5] * 6)
    with pytest.raises(TrialMismatchError):
        assign_periods(longer, trial)


def test_randomization_test_reproduces_fishers_darwin_example():
    trial = design_trial(15, 1, 0, seed=1)
    sums = np.zeros(30)
    for k, diff in enumerate(DARWIN):
        first, second = trial.periods[2 * k], trial.periods[2 * k + 1]
        ldn = first if first.arm is Phase.LDN else second
        sums[ldn.number - 1] = diff
    result = randomization_test(sums, np.ones(30), trial, higher_is_better=True)
    assert result.exact
    assert result.n_schedules == 2**15
    assert result.p_value == pytest.approx(863 / 32768)


def test_randomization_p_value_never_goes_below_the_design_minimum():
    trial = design_trial(3, 7, seed=2)
    sums = np.array([70.0 if p.arm is Phase.LDN else 0.0 for p in trial.periods])
    result = randomization_test(sums, np.full(6, 7.0), trial, higher_is_better=True)
    assert result.p_value == trial.min_p_value == 0.125
    worse = randomization_test(sums, np.full(6, 7.0), trial, higher_is_better=False)
    assert worse.p_value == 1.0


def test_many_pairs_use_a_seeded_sample_of_the_reference_set():
    trial = design_trial(20, 1, seed=3)
    sums = np.array([1.0 if p.arm is Phase.LDN else 0.0 for p in trial.periods])
    result = randomization_test(sums, np.ones(40), trial, higher_is_better=True, draws=5000)
    assert not result.exact
    assert result.n_schedules == 5000
    assert result.p_value < 0.01
