"""Calendar export (RFC 5545) of a titration schedule, built with the icalendar library.

Each step becomes one daily repeating dose event with a reminder alarm at the dose time, and each
step change (including the first dose) becomes an all-day event, so a phone calendar both reminds
the patient every day and shows when the dose changes. Times are *floating* local times (no time
zone): a bedtime reminder should ring at bedtime wherever the patient is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from icalendar import Alarm, Calendar, Event

from lowdose.dose import Dose
from lowdose.dosing import DoseTime, Schedule, Step

__all__ = ["DEFAULT_REMINDER_TIMES", "schedule_to_ics"]

#: Default reminder clock times. These are convenience defaults for a reminder, not clinical
#: values: the patient or clinician can pass any time.
DEFAULT_REMINDER_TIMES: Mapping[DoseTime, dt.time] = {
    DoseTime.MORNING: dt.time(8, 0),
    DoseTime.BEDTIME: dt.time(22, 0),
}

_WARNING = "Contains naltrexone: do not take with opioids; tell any doctor or surgeon about it."
_PRODUCT_ID = "-//lowdose//LDN titration schedule//EN"


def schedule_to_ics(
    schedule: Schedule,
    *,
    generated_at: dt.datetime,
    reminder_at: dt.time | None = None,
    uid_prefix: str = "lowdose",
    dose_labels: Mapping[Dose, str] | None = None,
) -> bytes:
    """Render ``schedule`` as an iCalendar file (bytes, CRLF lines as RFC 5545 requires).

    ``generated_at`` stamps every event (DTSTAMP), passed in so the output is reproducible;
    ``reminder_at`` defaults to :data:`DEFAULT_REMINDER_TIMES` for the plan's time of day;
    ``uid_prefix`` makes event UIDs unique per course (the web layer passes the course id);
    ``dose_labels`` adds the dispensed form to each dose ("0.45 mL of 10 mg/mL liquid").

    >>> from lowdose.dosing import make_plan_spec, plan_titration
    >>> plan = plan_titration(make_plan_spec(start="1.5", step="1.5", every=14, target="4.5",
    ...                                      start_date="2026-01-05"))
    >>> ics = schedule_to_ics(plan, generated_at=dt.datetime(2026, 1, 1, 12, 0))
    >>> ics.count(b"BEGIN:VEVENT"), ics.count(b"BEGIN:VALARM")
    (6, 3)
    """
    at = reminder_at or DEFAULT_REMINDER_TIMES[schedule.spec.time]
    labels = dose_labels or {}
    calendar = Calendar()
    calendar.add("prodid", _PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "LDN doses")
    previous: Dose | None = None
    for number, step in enumerate(schedule.steps, start=1):
        label = labels.get(step.dose)
        calendar.add_component(_dose_event(step, number, at, generated_at, uid_prefix, label))
        calendar.add_component(_change_event(step, previous, number, generated_at, uid_prefix))
        previous = step.dose
    return calendar.to_ical()


def _dose_event(
    step: Step, number: int, at: dt.time, stamp: dt.datetime, prefix: str, label: str | None
) -> Event:
    how = f" ({label})" if label else ""
    event = Event()
    event.add("uid", f"{prefix}-step-{number}-dose@lowdose")
    event.add("dtstamp", stamp)
    event.add("summary", f"LDN {step.dose}{how}")
    event.add("description", f"Take {step.dose} of low-dose naltrexone{how}. {_WARNING}")
    event.add("dtstart", dt.datetime.combine(step.first_day, at))
    event.add("duration", dt.timedelta(minutes=5))
    event.add("rrule", {"freq": "daily", "count": step.days})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Time for your LDN: {step.dose}{how}")
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event


def _change_event(
    step: Step, previous: Dose | None, number: int, stamp: dt.datetime, prefix: str
) -> Event:
    if previous is None:
        summary = f"LDN starts at {step.dose}"
    elif step.dose > previous:
        summary = f"LDN dose goes up to {step.dose} (from {previous})"
    else:
        summary = f"LDN dose goes down to {step.dose} (from {previous})"
    event = Event()
    event.add("uid", f"{prefix}-step-{number}-change@lowdose")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("description", f"{summary}, taken daily until {step.last_day.isoformat()}.")
    event.add("dtstart", step.first_day)
    event.add("dtend", step.first_day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event
