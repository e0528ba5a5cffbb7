"""The phase of a day follows from the course's dates."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.course import CourseDates, CourseDatesError, Phase, dose_on

D = dt.date


@pytest.fixture
def course():
    return CourseDates(
        baseline_start=D(2026, 1, 1),
        start=D(2026, 1, 15),
        maintenance_start=D(2026, 2, 12),
        stopped_on=D(2026, 6, 1),
    )


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (D(2025, 12, 31), None),
        (D(2026, 1, 1), Phase.BASELINE),
        (D(2026, 1, 14), Phase.BASELINE),
        (D(2026, 1, 15), Phase.TITRATION),
        (D(2026, 2, 11), Phase.TITRATION),
        (D(2026, 2, 12), Phase.MAINTENANCE),
        (D(2026, 5, 31), Phase.MAINTENANCE),
        (D(2026, 6, 1), Phase.STOPPED),
    ],
)
def test_phase_of_each_day(course, day, phase):
    assert course.phase_on(day) is phase


def test_without_maintenance_the_course_stays_in_titration():
    dates = CourseDates(D(2026, 1, 1), D(2026, 1, 15))
    assert dates.phase_on(D(2027, 1, 1)) is Phase.TITRATION


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"baseline_start": D(2026, 2, 1), "start": D(2026, 1, 15)}, "baseline_start"),
        (
            {
                "baseline_start": D(2026, 1, 1),
                "start": D(2026, 1, 15),
                "maintenance_start": D(2026, 1, 10),
            },
            "maintenance_start",
        ),
        (
            {
                "baseline_start": D(2026, 1, 1),
                "start": D(2026, 1, 15),
                "stopped_on": D(2026, 1, 15),
            },
            "stopped_on",
        ),
    ],
)
def test_contradictory_dates_are_refused(kwargs, field):
    with pytest.raises(CourseDatesError) as error:
        CourseDates(**kwargs)
    assert error.value.field == field


def test_dose_on_a_day_is_the_last_step_that_began():
    steps = [(D(2026, 1, 15), Decimal("1.5")), (D(2026, 1, 29), Decimal("3"))]
    assert dose_on(steps, D(2026, 1, 14)) is None
    assert dose_on(steps, D(2026, 1, 28)) == Decimal("1.5")
    assert dose_on(steps, D(2026, 1, 29)) == Decimal("3")
