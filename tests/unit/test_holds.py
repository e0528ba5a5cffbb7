"""Hold windows around planned surgery or opioid use."""

import datetime as dt

import pytest

from lowdose.holds import HoldError, OpioidExposure, hold_rules, plan_hold

D = dt.date


def test_the_rules_carry_sources():
    rules = hold_rules()
    assert rules.stop_before_days == 3
    assert rules.opioid_free_days[OpioidExposure.SHORT_ACTING] == (7, 10)
    assert rules.opioid_free_days[OpioidExposure.LONG_ACTING] == (10, 14)
    assert any("LDN Research Trust" in s for s in rules.sources)


@pytest.mark.parametrize(
    ("event", "exposure", "last_opioid", "last_dose", "restart", "cautious"),
    [
        # surgery without opioids: three clear days off, back the day after
        (D(2026, 3, 10), "none", None, D(2026, 3, 6), D(2026, 3, 11), None),
        # short-acting opioids for four days after surgery
        (D(2026, 3, 10), "short-acting", D(2026, 3, 14), D(2026, 3, 6), D(2026, 3, 15),
         (D(2026, 3, 22), D(2026, 3, 25))),
        # a long-acting opioid: the 10-14 day window
        (D(2026, 3, 10), "long-acting", D(2026, 3, 20), D(2026, 3, 6), D(2026, 3, 21),
         (D(2026, 3, 31), D(2026, 4, 4))),
        # opioid end not known yet: no restart date is promised
        (D(2026, 1, 2), "short-acting", None, D(2025, 12, 29), None, None),
    ],
)  # fmt: skip
def test_hold_windows(event, exposure, last_opioid, last_dose, restart, cautious):
    window = plan_hold(event, exposure=OpioidExposure(exposure), last_opioid_on=last_opioid)
    assert window.last_dose_on == last_dose
    assert window.first_day_off == last_dose + dt.timedelta(days=1)
    assert (window.event_on - window.first_day_off).days == 3
    assert window.restart_on == restart
    assert window.cautious_restart == cautious
    assert window.notes
    assert window.sources


def test_a_last_opioid_day_before_the_event_is_refused():
    with pytest.raises(HoldError) as info:
        plan_hold(D(2026, 3, 10), last_opioid_on=D(2026, 3, 9))
    assert info.value.field == "last_opioid_on"


def test_a_last_opioid_day_without_opioids_is_refused():
    with pytest.raises(HoldError) as info:
        plan_hold(D(2026, 3, 10), exposure=OpioidExposure.NONE, last_opioid_on=D(2026, 3, 12))
    assert info.value.field == "last_opioid_on"


@pytest.mark.parametrize(
    ("event", "exposure", "last_opioid"),
    [
        (D.min, OpioidExposure.SHORT_ACTING, None),
        (D(9999, 12, 30), OpioidExposure.SHORT_ACTING, D.max),
        (D.max, OpioidExposure.NONE, None),
    ],
)
def test_a_window_outside_the_calendar_is_refused(event, exposure, last_opioid):
    with pytest.raises(HoldError) as refused:
        plan_hold(event, exposure=exposure, last_opioid_on=last_opioid)
    assert refused.value.field == "event_on"
