"""When questionnaires are due during a course: baseline, weeks 4, 8 and 12, then every 12 weeks.

The weeks are editable per course. A timepoint opens a few days before its due date, becomes
overdue a week after it, and is missed once the next timepoint opens. These windows are product
defaults chosen for the reminders, not clinical claims.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lowdose.errors import LowdoseError

#: Default timepoints in weeks from the course start (baseline = week 0).
DEFAULT_WEEKS: tuple[int, ...] = (0, 4, 8, 12)
#: After the last listed week, repeat every this many weeks.
DEFAULT_REPEAT_EVERY_WEEKS = 12
#: Product default, not a clinical claim: a questionnaire can be filled this many days early.
DEFAULT_OPENS_DAYS_BEFORE = 3
#: Product default, not a clinical claim: days after the due date before it counts as overdue.
DEFAULT_OVERDUE_AFTER_DAYS = 7


class ScheduleError(LowdoseError):
    """A questionnaire schedule that cannot be used (weeks out of order, negative, ...)."""


class DueState(enum.Enum):
    """Where a questionnaire timepoint stands on a given day."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"  # never filled, and the next timepoint has opened
    DONE = "done"


@dataclass(frozen=True)
class QuestionnaireSchedule:
    """The timepoints of one course (weeks from the start), editable per course."""

    weeks: tuple[int, ...] = DEFAULT_WEEKS
    repeat_every_weeks: int | None = DEFAULT_REPEAT_EVERY_WEEKS
    opens_days_before: int = DEFAULT_OPENS_DAYS_BEFORE
    overdue_after_days: int = DEFAULT_OVERDUE_AFTER_DAYS

    def __post_init__(self) -> None:
        if not self.weeks:
            raise ScheduleError("A schedule needs at least one week.", field="weeks")
        if any(w < 0 for w in self.weeks) or list(self.weeks) != sorted(set(self.weeks)):
            raise ScheduleError(
                f"Schedule weeks must be distinct, non-negative and in order: {list(self.weeks)}.",
                field="weeks",
            )
        if self.repeat_every_weeks is not None and self.repeat_every_weeks < 1:
            raise ScheduleError("Repeat every at least 1 week.", field="repeat_every_weeks")
        if self.opens_days_before < 0 or self.overdue_after_days < 0:
            raise ScheduleError("Window lengths cannot be negative.", field="overdue_after_days")


@dataclass(frozen=True)
class Timepoint:
    """One scheduled questionnaire: ``week`` from the start, due on ``due``."""

    week: int
    due: dt.date
    opens: dt.date | None  # None for the first timepoint: answers from before the start count


@dataclass(frozen=True)
class TimepointStatus:
    """A timepoint's state on a given day, with the date it was filled in (if it was)."""

    week: int
    due: dt.date
    state: DueState
    completed_on: dt.date | None = None


def due_timepoints(
    start: dt.date, until: dt.date, schedule: QuestionnaireSchedule | None = None
) -> tuple[Timepoint, ...]:
    """The timepoints due from ``start`` up to and including ``until``.

    >>> [t.week for t in due_timepoints(dt.date(2026, 1, 5), dt.date(2026, 12, 31))]
    [0, 4, 8, 12, 24, 36, 48]
    """
    plan = schedule or QuestionnaireSchedule()
    result = []
    for index, week in enumerate(_weeks(plan)):
        due = start + dt.timedelta(weeks=week)
        if due > until:
            break
        opens = None if index == 0 else due - dt.timedelta(days=plan.opens_days_before)
        result.append(Timepoint(week, due, opens))
    return tuple(result)


def _weeks(plan: QuestionnaireSchedule) -> Iterable[int]:
    yield from plan.weeks
    if plan.repeat_every_weeks is None:
        return
    week = plan.weeks[-1]
    while True:
        week += plan.repeat_every_weeks
        yield week


def schedule_status(
    start: dt.date,
    today: dt.date,
    completed_on: Iterable[dt.date] = (),
    schedule: QuestionnaireSchedule | None = None,
) -> tuple[TimepointStatus, ...]:
    """Each timepoint up to today, plus the next upcoming one, with its state on ``today``.

    ``completed_on`` are the dates this questionnaire was filled in during the course. Each date
    counts for the latest timepoint already open on that day; a second answer for the same
    timepoint is a repeat and does not fill the next one.

    >>> start = dt.date(2026, 1, 5)
    >>> [s.state.value for s in schedule_status(start, dt.date(2026, 2, 3), [start])]
    ['done', 'due', 'upcoming']
    """
    plan = schedule or QuestionnaireSchedule()
    points = due_timepoints(start, today + dt.timedelta(weeks=_longest_gap(plan) + 1), plan)
    filled = _assign(points, sorted(completed_on))
    statuses = []
    for index, point in enumerate(points):
        following = points[index + 1] if index + 1 < len(points) else None
        statuses.append(_status(point, following, filled.get(point.week), today, plan))
        if point.opens is not None and point.opens > today:
            break  # show only the next upcoming timepoint
    return tuple(statuses)


def _longest_gap(plan: QuestionnaireSchedule) -> int:
    gaps = [b - a for a, b in zip(plan.weeks, plan.weeks[1:], strict=False)]
    return max([*gaps, plan.repeat_every_weeks or 0, 1])


def _assign(points: Sequence[Timepoint], dates: Sequence[dt.date]) -> dict[int, dt.date]:
    filled: dict[int, dt.date] = {}
    for day in dates:
        open_points = [p for p in points if p.opens is None or p.opens <= day]
        if open_points:
            filled.setdefault(open_points[-1].week, day)
    return filled


def _status(
    point: Timepoint,
    following: Timepoint | None,
    completed: dt.date | None,
    today: dt.date,
    plan: QuestionnaireSchedule,
) -> TimepointStatus:
    if completed is not None:
        state = DueState.DONE
    elif following is not None and following.opens is not None and following.opens <= today:
        state = DueState.MISSED
    elif point.opens is not None and today < point.opens:
        state = DueState.UPCOMING
    elif today <= point.due + dt.timedelta(days=plan.overdue_after_days):
        state = DueState.DUE
    else:
        state = DueState.OVERDUE
    return TimepointStatus(point.week, point.due, state, completed)
