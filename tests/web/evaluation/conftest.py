"""Check-ins that give Anna enough data to evaluate: two weeks of baseline, a month on
maintenance, pain clearly lower on LDN and fatigue unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

PAIN_BASELINE = [7, 6, 7, 8, 6, 7, 7]
PAIN_MAINTENANCE = [4, 3, 4, 5, 3, 4, 4]
FATIGUE = [6, 5, 6, 7, 6, 5, 6]


def add_checkins(patient, course, first: dt.date, last: dt.date, pain, fatigue=FATIGUE) -> None:
    from lowdose.web.diary.models import CheckIn

    day, i = first, 0
    while day <= last:
        CheckIn.objects.update_or_create(
            patient=patient,
            date=day,
            defaults={"course": course, "pain": pain[i % len(pain)],
                      "fatigue": fatigue[i % len(fatigue)], "dose_taken": True},
        )  # fmt: skip
        day += dt.timedelta(days=1)
        i += 1


@pytest.fixture
def anna_data(people, today):
    """Baseline (14 days) and every maintenance day up to yesterday for Anna."""
    course = people.course
    add_checkins(
        people.anna, course, course.baseline_start, course.start_date - dt.timedelta(1),
        PAIN_BASELINE,
    )  # fmt: skip
    add_checkins(
        people.anna, course, course.maintenance_start, today - dt.timedelta(1), PAIN_MAINTENANCE
    )
    return people
