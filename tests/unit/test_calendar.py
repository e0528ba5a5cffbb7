"""Calendar export: one daily dose event per step with an alarm, one event per step change."""

import datetime as dt
from decimal import Decimal

from icalendar import Calendar

from lowdose.calendar import schedule_to_ics
from lowdose.dose import Dose
from lowdose.dosing import current_schedule, make_plan_spec, plan_titration, step_back

STAMP = dt.datetime(2026, 1, 1, 12, 0)


def plan(**kw):
    base = {"start": "1.5", "step": "1.5", "every": 14, "target": "4.5", "start_date": "2026-01-05"}
    return make_plan_spec(**(base | kw))


def events(ics):
    calendar = Calendar.from_ical(ics)
    return list(calendar.walk("VEVENT"))


def test_daily_dose_events_cover_every_day_with_an_alarm_at_the_dose_time():
    schedule = plan_titration(plan())
    doses = [e for e in events(schedule_to_ics(schedule, generated_at=STAMP)) if e.get("rrule")]
    assert [e.decoded("dtstart") for e in doses] == [
        dt.datetime(2026, 1, 5, 22, 0),
        dt.datetime(2026, 1, 19, 22, 0),
        dt.datetime(2026, 2, 2, 22, 0),
    ]
    assert sum(e["rrule"]["COUNT"][0] for e in doses) == len(schedule.days)
    for event in doses:
        (alarm,) = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY"
        assert alarm.decoded("trigger") == dt.timedelta(0)
        assert "do not take with opioids" in event["description"]


def test_each_step_change_is_an_all_day_event():
    schedule = current_schedule(
        plan(),
        [step_back(dt.date(2026, 1, 25), by="dr", at=STAMP, reason="dreams")],
    )
    changes = [
        e for e in events(schedule_to_ics(schedule, generated_at=STAMP)) if not e.get("rrule")
    ]
    assert [str(e["summary"]) for e in changes] == [
        "LDN starts at 1.5 mg",
        "LDN dose goes up to 3 mg (from 1.5 mg)",
        "LDN dose goes down to 1.5 mg (from 3 mg)",
        "LDN dose goes up to 3 mg (from 1.5 mg)",
        "LDN dose goes up to 4.5 mg (from 3 mg)",
    ]
    assert changes[0].decoded("dtstart") == dt.date(2026, 1, 5)


def test_morning_plans_remind_in_the_morning_and_times_can_be_chosen():
    schedule = plan_titration(plan(time="morning"))
    first = events(schedule_to_ics(schedule, generated_at=STAMP))[0]
    assert first.decoded("dtstart").time() == dt.time(8, 0)
    custom = schedule_to_ics(schedule, generated_at=STAMP, reminder_at=dt.time(21, 15))
    assert events(custom)[0].decoded("dtstart").time() == dt.time(21, 15)


def test_labels_and_uids():
    schedule = plan_titration(plan())
    ics = schedule_to_ics(
        schedule,
        generated_at=STAMP,
        uid_prefix="course-42",
        dose_labels={Dose(Decimal("1.5")): "1.5 mL of 1 mg/mL liquid"},
    )
    found = events(ics)
    assert "1.5 mL of 1 mg/mL liquid" in str(found[0]["summary"])
    uids = [str(e["uid"]) for e in found]
    assert len(set(uids)) == len(uids)
    assert all(uid.startswith("course-42-") for uid in uids)
    assert ics == schedule_to_ics(
        schedule,
        generated_at=STAMP,
        uid_prefix="course-42",
        dose_labels={Dose(Decimal("1.5")): "1.5 mL of 1 mg/mL liquid"},
    )
