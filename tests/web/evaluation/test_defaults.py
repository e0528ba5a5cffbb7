"""The main outcome's product default by condition, and trial days from the stored schedule."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from lowdose.analysis import design_trial, trial_to_dict
from lowdose.web.evaluation.defaults import default_outcome, describe_default
from lowdose.web.evaluation.services import trial_design, trial_phase


@pytest.mark.parametrize(
    ("conditions", "outcome", "source"),
    [
        ({"fibromyalgia"}, "pain", "FINAL"),
        ({"pots"}, "fatigue", "NCT05363514"),
        ({"me_cfs"}, "fatigue", "no trial primary outcome"),
        ({"pots", "fibromyalgia"}, "pain", "Younger"),
        ({"lupus"}, "pain", "no condition-specific default"),
        (set(), "pain", "no condition-specific default"),
    ],
)
def test_the_product_default_by_condition(conditions, outcome, source):
    default = default_outcome(conditions)
    assert default.outcome == outcome
    assert source in default.reason
    assert "product default" in describe_default(default)


def test_trial_days_follow_the_stored_schedule():
    design = design_trial(2, 7, 2, seed=3)
    trial = SimpleNamespace(allocation=trial_to_dict(design), start_date=dt.date(2026, 1, 1))
    stored = trial_design(trial)
    arms = [p.arm.value for p in design.periods]
    assert trial_phase(trial, stored, dt.date(2025, 12, 31)) is None
    assert trial_phase(trial, stored, dt.date(2026, 1, 1)).value == "washout"
    assert trial_phase(trial, stored, dt.date(2026, 1, 3)).value == arms[0]
    assert trial_phase(trial, stored, dt.date(2026, 1, 8)).value == "washout"
    assert trial_phase(trial, stored, dt.date(2026, 1, 28)).value == arms[3]
    assert trial_phase(trial, stored, dt.date(2026, 1, 29)) is None
