"""Stand test: validation of readings, CSV reading, and the parts of the analysis."""

from decimal import Decimal

import pytest

from lowdose.errors import LowdoseError
from lowdose.standtest import (
    Position,
    Reading,
    StandTestError,
    analyse_stand_test,
    pots_hr_threshold,
    read_readings_csv,
    validate_readings,
)

SUPINE, STANDING = Position.SUPINE, Position.STANDING


def analyse(readings_hr, *, supine=(60, 62), bp=(120, 80), age=30):
    """Readings: supine minutes 0.., then one standing reading per heart rate given."""
    readings = [Reading(m, SUPINE, hr, *bp) for m, hr in enumerate(supine)]
    first = len(supine)
    readings += [
        Reading(first + i, STANDING, hr, *bp) for i, hr in enumerate(readings_hr) if hr is not None
    ]
    return analyse_stand_test(readings, age_years=age)


@pytest.mark.parametrize(
    ("reading", "field"),
    [
        (Reading(0, SUPINE, 0), "hr"),
        (Reading(0, SUPINE, 400), "hr"),
        (Reading(0, SUPINE, 70, 80, 90), "sbp"),
        (Reading(0, SUPINE, 70, 80, 80), "sbp"),
        (Reading(0, SUPINE, 70, 120, None), "sbp"),
        (Reading(0, SUPINE, 70, 400, 80), "sbp"),
        (Reading(0, SUPINE, 70, 120, 5), "dbp"),
        (Reading(-1, SUPINE, 70), "minute"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(reading, field):
    with pytest.raises(StandTestError) as caught:
        validate_readings([reading])
    assert caught.value.field == field
    assert isinstance(caught.value, LowdoseError)


def test_minutes_must_be_unique_and_in_order_with_supine_first():
    with pytest.raises(StandTestError, match="twice"):
        validate_readings([Reading(0, SUPINE, 60), Reading(0, STANDING, 80)])
    with pytest.raises(StandTestError, match="later minute"):
        validate_readings([Reading(1, SUPINE, 60), Reading(0, SUPINE, 60)])
    with pytest.raises(StandTestError, match="supine after standing"):
        validate_readings([Reading(0, STANDING, 60), Reading(1, SUPINE, 60)])
    with pytest.raises(StandTestError, match="at least one"):
        validate_readings([])


@pytest.mark.parametrize("age", [-1, 131])
def test_impossible_ages_are_refused(age):
    with pytest.raises(StandTestError):
        pots_hr_threshold(age)


def test_baseline_is_the_mean_of_supine_readings():
    result = analyse([80] * 10, supine=(61, 62, 64))  # (61 + 62 + 64) / 3 = 62.33 -> 62.3
    assert result.baseline_hr == Decimal("62.3")
    assert result.baseline_sbp == Decimal("120.0")


def test_largest_rise_and_its_minute():
    # baseline 61; standing minutes 1..10 at test minutes 2..11; peak 99 at standing minute 4
    result = analyse([80, 85, 90, 99, 95, 90, 88, 85, 84, 83])
    assert result.max_delta_hr == Decimal("38.0")
    assert result.max_delta_minute == 5
    assert result.max_delta_standing_minute == 4


def test_a_single_spike_is_not_sustained():
    result = analyse([70, 70, 95, 70, 70, 70, 70, 70, 70, 70])  # +34 at one reading only
    assert result.sustained is False
    assert result.pots_hr_criterion_met is False
    assert any("single reading" in note for note in result.notes)


def test_two_consecutive_readings_over_the_threshold_are_sustained():
    result = analyse([70, 70, 95, 96, 70, 70, 70, 70, 70, 70])
    assert result.sustained is True
    assert result.pots_hr_criterion_met is True


def test_orthostatic_hypotension_within_three_minutes():
    readings = [Reading(0, SUPINE, 60, 120, 80), Reading(1, SUPINE, 60, 120, 80)]
    readings += [Reading(2, STANDING, 70, 120, 80), Reading(3, STANDING, 70, 100, 80)]
    readings += [Reading(m, STANDING, 70, 120, 80) for m in range(4, 12)]
    # systolic fell 120 -> 100 = 20 at standing minute 2
    assert analyse_stand_test(readings, 30).orthostatic_hypotension is True


def test_diastolic_fall_of_10_counts_and_9_does_not():
    def run(dbp):
        readings = [Reading(m, SUPINE, 60, 120, 80) for m in (0, 1)]
        readings += [Reading(2, STANDING, 70, 118, dbp)]
        readings += [Reading(m, STANDING, 70, 118, 80) for m in range(3, 12)]
        return analyse_stand_test(readings, 30).orthostatic_hypotension

    assert run(70) is True  # 80 - 70 = 10
    assert run(71) is False  # 80 - 71 = 9


def test_a_fall_after_three_minutes_is_not_orthostatic_hypotension_here():
    readings = [Reading(m, SUPINE, 60, 120, 80) for m in (0, 1)]
    readings += [Reading(m, STANDING, 70, 120, 80) for m in range(2, 5)]
    readings += [Reading(5, STANDING, 70, 90, 60)]  # standing minute 4
    readings += [Reading(m, STANDING, 70, 120, 80) for m in range(6, 12)]
    assert analyse_stand_test(readings, 30).orthostatic_hypotension is False


def test_missing_blood_pressure_leaves_orthostatic_hypotension_undecided():
    readings = [Reading(m, SUPINE, 60, 120, 80) for m in (0, 1)]
    readings += [Reading(m, STANDING, 70) for m in range(2, 12)]
    result = analyse_stand_test(readings, 30)
    assert result.orthostatic_hypotension is None
    assert any("Blood pressure" in note for note in result.notes)


def test_readings_after_ten_standing_minutes_are_not_used():
    result = analyse([70] * 10 + [120, 120])
    assert result.max_delta_hr == Decimal("9.0")
    assert any("not used" in note for note in result.notes)


def test_no_supine_reading_means_no_baseline():
    result = analyse_stand_test([Reading(m, STANDING, 90) for m in range(10)], 30)
    assert result.baseline_hr is None
    assert result.max_delta_hr is None
    assert result.pots_hr_criterion_met is None
    assert result.complete is False


def test_csv_reading():
    text = (
        "Minute,Position,HR,SBP,DBP,Symptoms\n"
        "0,supine,60,120,80,\n"
        "1,Supine,62,,,\n"
        "2,standing,90,110,75,dizzy\n"
    )
    readings = read_readings_csv(text)
    assert readings[1] == Reading(1, SUPINE, 62, None, None, "")
    assert readings[2].symptoms == "dizzy"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("minute,position,hr\n0,supine,60\n", "csv"),
        ("minute,position,hr,sbp,dbp\n0,sitting,60,120,80\n", "position"),
        ("minute,position,hr,sbp,dbp\n0,supine,sixty,120,80\n", "hr"),
        ("minute,position,hr,sbp,dbp\n,supine,60,120,80\n", "minute"),
    ],
)
def test_csv_errors_name_the_column(text, field):
    with pytest.raises(StandTestError) as caught:
        read_readings_csv(text)
    assert caught.value.field == field
