"""Which questionnaires a course uses, and which are due, from the stored answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lowdose.course import Condition
from lowdose.instruments import (
    DueState,
    Instrument,
    QuestionnaireSchedule,
    TimepointStatus,
    load_instrument,
    schedule_status,
)
from lowdose.web.courses.models import Course, Patient
from lowdose.web.outcomes.models import QuestionnairePlan, QuestionnaireResponse

# Product defaults, not clinical claims: the questionnaires a new course starts with, by the
# condition it is for. The clinician changes them per course. The 0-100 fatigue scale is the
# primary outcome of the POTS trial NCT05363514 (its definition file cites the registry record).
CONDITION_INSTRUMENTS: dict[Condition, tuple[str, ...]] = {
    Condition.POTS: ("compass31", "fatigue_vas"),
    Condition.FIBROMYALGIA: ("fiqr", "acr2016"),
    Condition.ME_CFS: ("fss", "fatigue_vas"),
}
#: Product default: every course asks for the global impression of change after the start.
EVERY_COURSE = ("pgic",)
#: Questionnaires asked "since the start of the course": they have no baseline timepoint.
NO_BASELINE = frozenset({"pgic"})
#: Never scheduled: the daily ratings are the check-in itself.
NOT_SCHEDULABLE = frozenset({"daily_ratings"})


def default_instruments(patient: Patient) -> list[str]:
    """The product-default questionnaires for the patient's conditions, then PGIC."""
    return instruments_for([row.condition for row in patient.conditions.all()])


def instruments_for(conditions: Iterable[str]) -> list[str]:
    """The product-default questionnaires for these condition codes, in order, then PGIC.

    >>> instruments_for(["pots", "me_cfs"])
    ['compass31', 'fatigue_vas', 'fss', 'pgic']
    """
    chosen: list[str] = []
    for condition in conditions:
        for instrument_id in CONDITION_INSTRUMENTS.get(Condition(condition), ()):
            if instrument_id not in chosen:
                chosen.append(instrument_id)
    return [*chosen, *EVERY_COURSE]


def plan_for(course: Course) -> QuestionnairePlan:
    """The course's stored plan, or an unsaved one with the defaults."""
    try:
        return course.questionnaires
    except QuestionnairePlan.DoesNotExist:
        return QuestionnairePlan(course=course, instruments=default_instruments(course.patient))


def schedule_of(plan: QuestionnairePlan, instrument_id: str) -> QuestionnaireSchedule | None:
    """The plan's schedule for one questionnaire (without week 0 for "since the start" ones)."""
    schedule = plan.schedule
    if instrument_id not in NO_BASELINE:
        return schedule
    weeks = tuple(w for w in schedule.weeks if w > 0)
    if not weeks and schedule.repeat_every_weeks:
        weeks = (schedule.repeat_every_weeks,)
    if not weeks:
        return None
    return QuestionnaireSchedule(weeks=weeks, repeat_every_weeks=schedule.repeat_every_weeks)


@dataclass(frozen=True)
class InstrumentStatus:
    """One scheduled questionnaire of a course: its timepoints on a given day."""

    instrument: Instrument
    timepoints: tuple[TimepointStatus, ...]

    @property
    def current(self) -> TimepointStatus | None:
        """The timepoint that needs doing now (due or overdue), if any."""
        waiting = [t for t in self.timepoints if t.state in (DueState.DUE, DueState.OVERDUE)]
        return waiting[-1] if waiting else None

    @property
    def next_upcoming(self) -> TimepointStatus | None:
        return next((t for t in self.timepoints if t.state is DueState.UPCOMING), None)


def course_status(course: Course, today: dt.date) -> list[InstrumentStatus]:
    """Every scheduled questionnaire of the course with the state of each timepoint today."""
    plan = plan_for(course)
    dates: dict[str, list[dt.date]] = {}
    rows = QuestionnaireResponse.objects.filter(
        patient_id=course.patient_id, date__gte=course.baseline_start
    ).values_list("instrument", "date")
    for instrument_id, day in rows:
        dates.setdefault(instrument_id, []).append(day)
    result = []
    for instrument_id in plan.instruments:
        schedule = schedule_of(plan, instrument_id)
        if schedule is None:
            continue
        timepoints = schedule_status(
            course.start_date, today, dates.get(instrument_id, []), schedule
        )
        result.append(InstrumentStatus(load_instrument(instrument_id), timepoints))
    return result


def waiting(course: Course | None, today: dt.date) -> list[tuple[Instrument, TimepointStatus]]:
    """The questionnaires due or overdue today (nothing without a course or after it stopped)."""
    if course is None or (course.stopped_on and course.stopped_on <= today):
        return []
    found = [(s.instrument, s.current) for s in course_status(course, today)]
    return [(instrument, point) for instrument, point in found if point is not None]


def overdue(course: Course | None, today: dt.date) -> list[tuple[str, dt.date]]:
    """(questionnaire name, due date) of each overdue timepoint, for the clinician alerts."""
    return [
        (instrument.name, point.due)
        for instrument, point in waiting(course, today)
        if point.state is DueState.OVERDUE
    ]
