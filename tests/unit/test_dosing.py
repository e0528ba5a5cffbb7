"""The titration planner: plan checks, the ladder, revisions replayed, and the invariants."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lowdose.dose import Dose, DoseError
from lowdose.dosing import (
    DoseForm,
    DoseTime,
    PlanError,
    PlanSpec,
    Revision,
    RevisionKind,
    apply_revision,
    change_interval,
    current_schedule,
    hold,
    make_plan_spec,
    parse_date,
    plan_titration,
    resume,
    slip_warning,
    step_back,
    steps_from_plan_json,
)
from lowdose.errors import LowdoseError

D = dt.date
AT = dt.datetime(2026, 1, 1, 9, 0)
WHO = {"by": "dr.lee", "at": AT}


def mg(text):
    return Dose(Decimal(text))


def spec(**kw):
    base = {"start": "1", "step": "1", "every": 7, "target": "4.5", "start_date": "2026-01-05"}
    return make_plan_spec(**(base | kw))


def summary(schedule):
    return [(s.first_day.isoformat(), s.last_day.isoformat(), s.dose.text) for s in schedule.steps]


def test_the_trust_schedule_reaches_4_5_mg_by_week_five():
    schedule = plan_titration(spec())
    assert summary(schedule) == [
        ("2026-01-05", "2026-01-11", "1"),
        ("2026-01-12", "2026-01-18", "2"),
        ("2026-01-19", "2026-01-25", "3"),
        ("2026-01-26", "2026-02-01", "4"),
        ("2026-02-02", "2026-02-08", "4.5"),
    ]
    assert schedule.warnings == ()


def test_maintenance_days_set_how_long_the_target_is_shown():
    schedule = plan_titration(spec(maintenance_days=84))
    assert schedule.steps[-1].days == 84


def test_start_equal_to_target_is_a_single_step():
    schedule = plan_titration(spec(start="4.5", step="0.5"))
    assert summary(schedule) == [("2026-01-05", "2026-01-11", "4.5")]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"start": "0"}, "start"),
        ({"step": "0"}, "step"),
        ({"target": "-1"}, "target"),
        ({"every": 0}, "every"),
        ({"step": "5"}, "step"),
        ({"start": "5", "target": "4.5"}, "start"),
        ({"target": "7", "step": "1"}, "target"),
        ({"ceiling": "50", "target": "4.5"}, "ceiling"),
        ({"start": "1,5"}, "start"),
        ({"start": "1.5 g"}, "start"),
        ({"start_date": "05/01/2026"}, "start_date"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"form": "patch"}, "form"),
        ({"time": "noon"}, "time"),
        ({"maintenance_days": 0}, "maintenance_days"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(kw, field):
    with pytest.raises(LowdoseError) as info:
        spec(**kw)
    assert info.value.field == field


def test_fifty_mg_is_refused_as_not_a_low_dose_even_when_allowed():
    with pytest.raises(DoseError) as info:
        spec(target="50", step="1", ceiling="60", allow_above_ceiling=True)
    assert "not a low dose" in str(info.value)


def test_above_the_ceiling_only_when_allowed_and_then_with_a_warning():
    schedule = plan_titration(spec(target="7", allow_above_ceiling=True))
    assert schedule.steps[-1].dose == mg("7")
    assert any("above the ceiling" in w for w in schedule.warnings)
    assert any("above 4.5 mg" in w for w in schedule.warnings)


def test_above_4_5_mg_warns():
    schedule = plan_titration(spec(target="6"))
    assert any("above 4.5 mg" in w for w in schedule.warnings)


def test_units_are_read():
    plan = spec(start="500 mcg", step="0.5mg", target="4.5 mg")
    assert plan.start == mg("0.5")
    assert plan.ladder[:2] == (mg("0.5"), mg("1"))
    assert plan.form is DoseForm.CAPSULE
    assert plan.time is DoseTime.BEDTIME


def test_a_tenfold_step_is_flagged_as_a_probable_slip():
    schedule = plan_titration(spec(start="0.45", step="4.05", target="4.5"))
    assert any("exactly 10 times 0.45 mg" in w for w in schedule.warnings)
    assert slip_warning(mg("4.5"), mg("0.45")).startswith("0.45 mg is exactly one tenth")
    assert slip_warning(mg("1.5"), mg("3")) is None
    assert slip_warning(mg("0"), mg("3")) is None


def test_step_back_goes_to_the_previous_dose_then_climbs_again_after_an_interval():
    revision = step_back(D(2026, 1, 21), reason="insomnia", **WHO)
    schedule = current_schedule(spec(), [revision])
    assert summary(schedule)[2:5] == [
        ("2026-01-19", "2026-01-20", "3"),
        ("2026-01-21", "2026-01-27", "2"),
        ("2026-01-28", "2026-02-03", "3"),
    ]
    assert schedule.steps[-1].dose == mg("4.5")
    assert schedule.revisions == (revision,)


def test_step_back_to_an_explicit_half_dose_rejoins_the_ladder():
    schedule = current_schedule(
        spec(), [step_back(D(2026, 1, 26), to=mg("2"), reason="halve it", **WHO)]
    )
    doses = [s.dose.text for s in schedule.steps]
    assert doses == ["1", "2", "3", "2", "3", "4", "4.5"]


def test_step_back_at_the_first_step_needs_a_dose():
    with pytest.raises(PlanError) as info:
        current_schedule(spec(), [step_back(D(2026, 1, 6), reason="nausea", **WHO)])
    assert info.value.field == "dose"
    with pytest.raises(PlanError):
        current_schedule(spec(), [step_back(D(2026, 1, 6), to=mg("1"), reason="x", **WHO)])


def test_step_back_tenfold_is_flagged():
    schedule = current_schedule(
        spec(), [step_back(D(2026, 1, 27), to=mg("0.4"), reason="typo?", **WHO)]
    )
    assert any("one tenth" in w for w in schedule.warnings)


def test_a_hold_on_the_day_of_a_step_keeps_the_old_dose():
    schedule = current_schedule(spec(), [hold(D(2026, 1, 12), days=7, reason="x", **WHO)])
    assert summary(schedule)[0] == ("2026-01-05", "2026-01-18", "1")


def test_hold_stays_at_the_dose_for_n_days():
    schedule = current_schedule(spec(), [hold(D(2026, 1, 13), days=14, reason="headache", **WHO)])
    assert summary(schedule)[1] == ("2026-01-12", "2026-01-26", "2")


def test_an_open_hold_lasts_until_resume():
    open_hold = hold(D(2026, 1, 13), reason="dreams", **WHO)
    held = current_schedule(spec(), [open_hold])
    assert held.steps[-1].dose == mg("2")
    resumed = current_schedule(spec(), [open_hold, resume(D(2026, 2, 1), reason="ok", **WHO)])
    assert summary(resumed)[1] == ("2026-01-12", "2026-01-31", "2")
    assert resumed.steps[2].first_day == D(2026, 2, 1)
    assert resumed.steps[-1].dose == mg("4.5")


def test_change_interval_slows_the_climb():
    schedule = current_schedule(
        spec(), [change_interval(D(2026, 1, 13), 14, reason="slower", **WHO)]
    )
    assert summary(schedule)[1:3] == [
        ("2026-01-12", "2026-01-25", "2"),
        ("2026-01-26", "2026-02-08", "3"),
    ]


def test_revisions_replay_in_effective_order_whatever_the_input_order():
    a = hold(D(2026, 1, 12), days=7, reason="a", **WHO)
    b = step_back(D(2026, 1, 30), reason="b", **WHO)
    assert current_schedule(spec(), [b, a]) == current_schedule(spec(), [a, b])


def test_a_revision_after_the_end_extends_the_schedule():
    schedule = current_schedule(spec(), [step_back(D(2026, 3, 1), reason="late", **WHO)])
    assert any(s.dose == mg("4") and s.first_day == D(2026, 3, 1) for s in schedule.steps)


def test_apply_revision_refuses_a_revision_before_the_start():
    with pytest.raises(PlanError) as info:
        apply_revision(spec(), [], hold(D(2025, 12, 1), days=3, reason="x", **WHO))
    assert info.value.field == "effective"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": RevisionKind.HOLD, "by": " ", "reason": "x"}, "by"),
        ({"kind": RevisionKind.HOLD, "by": "a", "reason": ""}, "reason"),
        ({"kind": RevisionKind.HOLD, "by": "a", "reason": "x", "days": 0}, "days"),
        ({"kind": RevisionKind.CHANGE_INTERVAL, "by": "a", "reason": "x"}, "days"),
        ({"kind": RevisionKind.RESUME, "by": "a", "reason": "x", "dose": mg("1")}, "dose"),
        ({"kind": RevisionKind.STEP_BACK, "by": "a", "reason": "x", "dose": mg("0")}, "dose"),
    ],
)
def test_bad_revisions_are_refused(kwargs, field):
    with pytest.raises(PlanError) as info:
        Revision(effective=D(2026, 1, 10), at=AT, **kwargs)
    assert info.value.field == field


def test_dose_on_and_days():
    schedule = plan_titration(spec())
    assert schedule.dose_on(D(2026, 1, 4)) is None
    assert schedule.dose_on(D(2026, 1, 12)) == mg("2")
    assert schedule.dose_on(D(2027, 1, 1)) == mg("4.5")
    assert len(schedule.days) == 35
    assert schedule.first_day == D(2026, 1, 5)
    assert schedule.last_day == D(2026, 2, 8)


def test_as_dict_round_trips_through_the_plan_reader():
    schedule = plan_titration(spec())
    data = schedule.as_dict()
    assert data["steps"][0] == {"from": D(2026, 1, 5), "to": D(2026, 1, 11), "dose_mg": Decimal(1)}
    as_text = {"steps": [{k: str(v) for k, v in row.items()} for row in data["steps"]]}
    assert steps_from_plan_json(as_text) == schedule.steps


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"steps": []},
        {"steps": [{"from": "2026-01-05", "dose_mg": "1"}]},
        {"steps": [{"from": "2026-01-05", "to": "2026-01-01", "dose_mg": "1"}]},
        {"steps": [{"from": "2026-01-05", "to": "2026-01-06", "dose_mg": "50"}]},
        {"steps": [{"from": "2026-01-05", "to": "2026-01-06", "dose_mg": "0"}]},
        {"steps": [{"from": "5 Jan", "to": "2026-01-06", "dose_mg": "1"}]},
    ],
)
def test_bad_plan_files_are_refused(data):
    with pytest.raises(LowdoseError) as info:
        steps_from_plan_json(data)
    assert info.value.field == "plan"


def test_parse_date_accepts_dates():
    assert parse_date(D(2026, 1, 1)) == D(2026, 1, 1)


# --------------------------------------------------------------------------- invariants

micrograms = st.integers(min_value=1, max_value=6000)


@st.composite
def plans(draw):
    target = draw(micrograms)
    start = draw(st.integers(min_value=1, max_value=target))
    step = draw(st.integers(min_value=max(1, (target - start) // 30), max_value=target))
    return PlanSpec(
        start=Dose(Decimal(start) / 1000),
        step=Dose(Decimal(step) / 1000),
        interval_days=draw(st.integers(min_value=1, max_value=21)),
        target=Dose(Decimal(target) / 1000),
        start_date=draw(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))),
        maintenance_days=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=60))),
    )


def assert_contiguous(schedule):
    days = [entry.day for entry in schedule.days]
    assert days[0] == schedule.spec.start_date
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))
    steps = schedule.steps
    assert all((b.first_day - a.last_day).days == 1 for a, b in itertools.pairwise(steps))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_plan_invariants(plan):
    schedule = plan_titration(plan)
    assert_contiguous(schedule)
    doses = [entry.dose for entry in schedule.days]
    assert all(Dose(Decimal(0)) < d <= plan.target <= plan.ceiling for d in doses)
    assert doses == sorted(doses)
    assert schedule.steps[-1].dose == plan.target
    assert schedule.steps[0].dose == plan.start
    for before, after in itertools.pairwise(schedule.steps):
        assert before.days == plan.interval_days
        assert after.dose.mg - before.dose.mg <= plan.step.mg


revision_kinds = st.sampled_from(["step_back", "hold", "open_hold", "resume", "interval"])


@settings(max_examples=150, deadline=None)
@given(plans(), st.lists(st.tuples(revision_kinds, st.integers(0, 120), st.integers(1, 30))))
def test_revised_schedule_invariants(plan, raw_revisions):
    made = {
        "step_back": lambda d, n: step_back(d, reason="r", **WHO),
        "hold": lambda d, n: hold(d, days=n, reason="r", **WHO),
        "open_hold": lambda d, n: hold(d, reason="r", **WHO),
        "resume": lambda d, n: resume(d, reason="r", **WHO),
        "interval": lambda d, n: change_interval(d, n, reason="r", **WHO),
    }
    revisions = [
        made[kind](plan.start_date + dt.timedelta(days=offset), n)
        for kind, offset, n in raw_revisions
    ]
    try:
        schedule = current_schedule(plan, revisions)
    except PlanError:
        assume(False)
    assert_contiguous(schedule)
    assert all(Dose(Decimal(0)) < e.dose <= plan.target for e in schedule.days)
    latest = max((r.effective for r in revisions), default=plan.start_date)
    assert schedule.last_day >= latest
    open_holds = [
        r for r in schedule.revisions if r.kind in (RevisionKind.HOLD, RevisionKind.RESUME)
    ]
    still_held = (
        open_holds and open_holds[-1].kind is RevisionKind.HOLD and open_holds[-1].days is None
    )
    if not still_held:
        assert schedule.steps[-1].dose == plan.target


def test_enum_values_are_accepted_as_they_are():
    plan = spec(form=DoseForm.LIQUID, time=DoseTime.MORNING)
    assert (plan.form, plan.time) == (DoseForm.LIQUID, DoseTime.MORNING)


def test_a_schedule_of_more_than_ten_years_is_refused():
    with pytest.raises(PlanError) as info:
        plan_titration(spec(start="0.001", step="0.001", every=1, target="6"))
    assert info.value.field == "revisions"


def test_revisions_describe_themselves_for_the_history():
    lines = [
        step_back(D(2026, 1, 21), reason="insomnia", **WHO).describe(),
        step_back(D(2026, 1, 21), to=mg("1.5"), reason="halve", **WHO).describe(),
        hold(D(2026, 1, 13), reason="dreams", **WHO).describe(),
        change_interval(D(2026, 1, 13), 14, reason="slower", **WHO).describe(),
        resume(D(2026, 2, 1), reason="settled", **WHO).describe(),
    ]
    assert lines == [
        "From 2026-01-21: step back to the previous dose (dr.lee, 2026-01-01 09:00): insomnia",
        "From 2026-01-21: step back to 1.5 mg (dr.lee, 2026-01-01 09:00): halve",
        "From 2026-01-13: hold until resumed (dr.lee, 2026-01-01 09:00): dreams",
        "From 2026-01-13: step up every 14 days (dr.lee, 2026-01-01 09:00): slower",
        "From 2026-02-01: resume the titration (dr.lee, 2026-01-01 09:00): settled",
    ]
