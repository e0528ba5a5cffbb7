"""Stand-test findings as a table: across the age thresholds and with missing minutes.

POTS heart-rate criterion (Sheldon 2015 HRS; Vernino 2021; Raj 2020): a sustained rise of at
least 30 bpm in adults, at least 40 bpm at ages 12-19, within 10 minutes of standing; undefined
under 12. Orthostatic hypotension: a fall of at least 20/10 mmHg within 3 minutes.
"""

from decimal import Decimal

import pytest

from lowdose.standtest import Position, Reading, analyse_stand_test

BASE = 60  # supine heart rate at minutes 0 and 1


def stand(rise, *, minutes=range(1, 11), age):
    """Supine 0-1 at 60 bpm, then standing minutes ``minutes`` at 60 + ``rise`` bpm."""
    readings = [Reading(m, Position.SUPINE, BASE, 120, 80) for m in (0, 1)]
    readings += [Reading(1 + m, Position.STANDING, BASE + rise, 118, 78) for m in minutes]
    return analyse_stand_test(readings, age_years=age)


AGE_TABLE = [
    # age, sustained rise (bpm), threshold, criterion met
    (30, 29, 30, False),
    (30, 30, 30, True),
    (20, 30, 30, True),  # 20 is an adult
    (19, 30, 40, False),  # 19 is in the 12-19 band
    (19, 39, 40, False),
    (19, 40, 40, True),
    (12, 40, 40, True),
    (11, 45, None, None),  # undefined under 12
    (8, 60, None, None),
]


@pytest.mark.parametrize(("age", "rise", "threshold", "met"), AGE_TABLE)
def test_pots_hr_criterion_across_age_thresholds(age, rise, threshold, met):
    result = stand(rise, age=age)
    assert result.hr_threshold_bpm == threshold
    assert result.max_delta_hr == Decimal(rise)
    assert result.pots_hr_criterion_met is met
    assert result.complete is True
    assert result.orthostatic_hypotension is False  # 120/80 -> 118/78


MISSING_TABLE = [
    # label, standing minutes recorded, rise, complete, criterion met
    ("all ten minutes", range(1, 11), 35, True, True),
    ("all ten, no rise", range(1, 11), 10, True, False),
    ("stopped at 5, rise already sustained", range(1, 6), 35, False, True),
    ("stopped at 5, no rise: too short to rule out", range(1, 6), 10, False, None),
    ("minutes 4 and 7 missing, no rise", [1, 2, 3, 5, 6, 8, 9, 10], 10, False, None),
    ("sparse 1-3-5-7-10, sustained rise", [1, 3, 5, 7, 10], 35, False, True),
    ("no standing readings", [], 35, False, None),
]


@pytest.mark.parametrize(
    ("minutes", "rise", "complete", "met"),
    [row[1:] for row in MISSING_TABLE],
    ids=[row[0] for row in MISSING_TABLE],
)
def test_missing_minutes(minutes, rise, complete, met):
    result = stand(rise, minutes=minutes, age=30)
    assert result.complete is complete
    assert result.pots_hr_criterion_met is met
    if not complete:
        assert result.notes  # says why it cannot be judged fully


def test_one_supine_reading_is_incomplete_but_still_measured():
    readings = [Reading(0, Position.SUPINE, 60, 120, 80)]
    readings += [Reading(m, Position.STANDING, 95, 118, 78) for m in range(1, 11)]
    result = analyse_stand_test(readings, age_years=30)
    assert result.complete is False
    assert result.max_delta_hr == Decimal("35.0")
    assert result.pots_hr_criterion_met is True
    assert any("supine" in note for note in result.notes)
