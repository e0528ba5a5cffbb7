"""Side-effect guidance (each rule fires on its case, not its neighbours) and clinician alerts."""

import datetime as dt
import itertools

import pytest

from lowdose.errors import LowdoseError
from lowdose.guidance import (
    AlertKind,
    DiaryDay,
    DoseTime,
    GuidanceError,
    PlanChange,
    SideEffectReport,
    Urgency,
    advise,
    clinician_alerts,
    dose_time_from_clock,
    load_rule_book,
)
from lowdose.ratings import Severity, SideEffect

SE, SV, T = SideEffect, Severity, DoseTime


def report(effect, severity, days_on_dose, time=T.MORNING, *, since_start=None):
    """A report ``days_on_dose`` days after the last increase (course started earlier)."""
    start = since_start if since_start is not None else days_on_dose + 30
    last = None if since_start is not None else days_on_dose
    return SideEffectReport(effect, severity, start, last, time)


# case -> (rule, urgency, plan change); neighbours differ from a case in one condition
TABLE = [
    # severe anything: contact now, suggest holding
    (report(SE.NAUSEA, SV.SEVERE, 3), "severe_any", Urgency.CONTACT_NOW, PlanChange.HOLD),
    (report(SE.OTHER, SV.SEVERE, 60), "severe_any", Urgency.CONTACT_NOW, PlanChange.HOLD),
    (report(SE.FLARE, SV.SEVERE, 2), "severe_any", Urgency.CONTACT_NOW, PlanChange.HOLD),
    # sleep effects with an evening or bedtime dose: suggest the morning
    (report(SE.VIVID_DREAMS, SV.MILD, 3, T.BEDTIME), "sleep_effects_evening_dose",
     Urgency.NEXT_CONTACT, PlanChange.MOVE_DOSE_TO_MORNING),
    (report(SE.INSOMNIA, SV.MODERATE, 30, T.EVENING), "sleep_effects_evening_dose",
     Urgency.NEXT_CONTACT, PlanChange.MOVE_DOSE_TO_MORNING),
    #   neighbours: morning dose; afternoon dose; a headache at bedtime; severe dreams at bedtime
    (report(SE.VIVID_DREAMS, SV.MILD, 3, T.MORNING), "common_effect_settling",
     Urgency.SELF_CARE, PlanChange.NONE),
    (report(SE.VIVID_DREAMS, SV.MILD, 3, T.AFTERNOON), "common_effect_settling",
     Urgency.SELF_CARE, PlanChange.NONE),
    (report(SE.HEADACHE, SV.MILD, 3, T.BEDTIME), "common_effect_settling",
     Urgency.SELF_CARE, PlanChange.NONE),
    (report(SE.VIVID_DREAMS, SV.SEVERE, 3, T.BEDTIME), "severe_any",
     Urgency.CONTACT_NOW, PlanChange.HOLD),
    # common effects within 7 days on the dose: self-care
    (report(SE.HEADACHE, SV.MILD, 0), "common_effect_settling", Urgency.SELF_CARE, PlanChange.NONE),
    (report(SE.NAUSEA, SV.MODERATE, 7), "common_effect_settling",
     Urgency.SELF_CARE, PlanChange.NONE),
    #   neighbours: day 8 moderate -> halve and re-titrate; day 8 mild -> slower titration
    (report(SE.NAUSEA, SV.MODERATE, 8), "common_effect_persisting_moderate",
     Urgency.NEXT_CONTACT, PlanChange.HALVE_AND_RETITRATE),
    (report(SE.NAUSEA, SV.MILD, 8), "common_effect_persisting_mild",
     Urgency.NEXT_CONTACT, PlanChange.SLOW_TITRATION),
    (report(SE.INSOMNIA, SV.MILD, 20, T.MORNING), "common_effect_persisting_mild",
     Urgency.NEXT_CONTACT, PlanChange.SLOW_TITRATION),
    (report(SE.INSOMNIA, SV.MILD, 20, T.BEDTIME), "sleep_effects_evening_dose",
     Urgency.NEXT_CONTACT, PlanChange.MOVE_DOSE_TO_MORNING),
    # flares: within 14 days on the dose vs after
    (report(SE.FLARE, SV.MODERATE, 14), "flare_early", Urgency.NEXT_CONTACT, PlanChange.NONE),
    (report(SE.FLARE, SV.MILD, 0), "flare_early", Urgency.NEXT_CONTACT, PlanChange.NONE),
    (report(SE.FLARE, SV.MODERATE, 15), "flare_late",
     Urgency.NEXT_CONTACT, PlanChange.BACK_TO_PREVIOUS_STEP),
    # effects outside the common set
    (report(SE.BLOATING_CONSTIPATION, SV.MILD, 3), "other_effect",
     Urgency.NEXT_CONTACT, PlanChange.NONE),
    (report(SE.IRRITABILITY, SV.MODERATE, 40), "other_effect",
     Urgency.NEXT_CONTACT, PlanChange.NONE),
    (report(SE.OTHER, SV.MILD, 1, T.BEDTIME), "other_effect",
     Urgency.NEXT_CONTACT, PlanChange.NONE),
]  # fmt: skip


@pytest.mark.parametrize(("case", "rule", "urgency", "plan"), TABLE)
def test_rule_table(case, rule, urgency, plan):
    guidance = advise(case)
    assert (guidance.rule_id, guidance.urgency, guidance.plan_change) == (rule, urgency, plan)


def test_every_rule_is_exercised_by_the_table():
    assert {row[1] for row in TABLE} == {rule.id for rule in load_rule_book().rules}


def test_days_on_dose_count_from_the_start_until_the_first_increase():
    on_start_dose = report(SE.HEADACHE, SV.MILD, 0, since_start=20)
    assert advise(on_start_dose).rule_id == "common_effect_persisting_mild"
    just_raised = SideEffectReport(SE.HEADACHE, SV.MILD, 20, 3, T.MORNING)
    assert advise(just_raised).rule_id == "common_effect_settling"


def test_every_report_gets_guidance():
    for effect, severity, time, days in itertools.product(
        SideEffect, Severity, DoseTime, (0, 7, 8, 14, 15, 400)
    ):
        guidance = advise(SideEffectReport(effect, severity, days, days, time))
        assert guidance.patient_text
        assert guidance.sources


def test_morning_dosing_advice_says_its_evidence_is_weak():
    guidance = advise(report(SE.VIVID_DREAMS, SV.MILD, 3, T.BEDTIME))
    assert "PARTIAL" in {source.status for source in guidance.sources}
    assert "weak" in guidance.patient_text


def test_product_defaults_are_labelled_as_such():
    guidance = advise(report(SE.FLARE, SV.MILD, 3))
    assert {s.status for s in guidance.sources} == {"PRODUCT_DEFAULT"}
    assert "not a clinical claim" in guidance.sources[0].citation


@pytest.mark.parametrize(("since_start", "since_increase"), [(-1, None), (5, 6), (5, -1)])
def test_impossible_day_counts_are_refused(since_start, since_increase):
    with pytest.raises(GuidanceError) as caught:
        SideEffectReport(SE.NAUSEA, SV.MILD, since_start, since_increase, T.MORNING)
    assert isinstance(caught.value, LowdoseError)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (dt.time(3, 59), T.BEDTIME),
        (dt.time(4, 0), T.MORNING),
        (dt.time(11, 59), T.MORNING),
        (dt.time(12, 0), T.AFTERNOON),
        (dt.time(17, 0), T.EVENING),
        (dt.time(21, 0), T.BEDTIME),
    ],
)
def test_dose_time_from_clock(clock, expected):
    assert dose_time_from_clock(clock) is expected


# --- clinician alerts ---------------------------------------------------------------------------

START = dt.date(2026, 3, 2)


def day(n, taken=True, *effects):
    return DiaryDay(START + dt.timedelta(days=n), taken, tuple(effects))


def kinds(diary, **kwargs):
    return [(a.kind, (a.day - START).days) for a in clinician_alerts(diary, course_start=START,
                                                                       **kwargs)]  # fmt: skip


def test_no_alerts_for_a_quiet_diary():
    assert kinds([day(n) for n in range(10)]) == []


def test_a_severe_side_effect_alerts():
    diary = [
        day(1),
        day(2, True, (SE.HEADACHE, SV.SEVERE)),
        day(3, True, (SE.HEADACHE, SV.MODERATE)),
    ]
    assert kinds(diary) == [(AlertKind.SEVERE_SIDE_EFFECT, 2)]


def test_a_flare_alerts_only_after_14_days_on_the_dose():
    assert kinds([day(14, True, (SE.FLARE, SV.MODERATE))]) == []
    assert kinds([day(15, True, (SE.FLARE, SV.MODERATE))]) == [(AlertKind.LATE_FLARE, 15)]


def test_a_dose_increase_restarts_the_flare_window():
    increase = [START + dt.timedelta(days=10)]
    assert kinds([day(20, True, (SE.FLARE, SV.MILD))], dose_increases=increase) == []
    assert kinds([day(25, True, (SE.FLARE, SV.MILD))], dose_increases=increase) == [
        (AlertKind.LATE_FLARE, 25)
    ]


def test_three_missed_doses_in_a_row_alert_once_and_two_do_not():
    assert kinds([day(0), day(1, False), day(2, False), day(3)]) == []
    three = [day(0), day(1, False), day(2, False), day(3, False), day(4, False), day(5)]
    assert kinds(three) == [(AlertKind.MISSED_DOSES, 4)]


def test_a_gap_in_the_diary_breaks_a_missed_dose_run():
    # days 1, 2 missed, day 3 not recorded, day 4 missed: no three consecutive days
    assert kinds([day(1, False), day(2, False), day(4, False)]) == []
    # an unrecorded dose (None) is not a missed dose
    assert kinds([day(1, False), day(2, None), day(3, False), day(4, False)]) == []


def test_overdue_questionnaires_alert():
    due = START + dt.timedelta(days=28)
    alerts = clinician_alerts([], course_start=START, overdue_questionnaires=[("FIQR", due)])
    assert [(a.kind, a.day) for a in alerts] == [(AlertKind.QUESTIONNAIRE_OVERDUE, due)]
    assert "FIQR" in alerts[0].message


def test_alert_thresholds_are_labelled_product_defaults():
    alerts = clinician_alerts(
        [day(n, False) for n in range(3)] + [day(30, True, (SE.FLARE, SV.SEVERE))],
        course_start=START,
    )
    assert {a.source.status for a in alerts} == {"PRODUCT_DEFAULT"}
