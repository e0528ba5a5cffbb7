"""What a daily check-in may contain."""

import datetime as dt

import pytest

from lowdose.checkin import CheckinError, validate_checkin
from lowdose.ratings import Severity, SideEffect

TODAY = dt.date(2026, 11, 22)


def check(**overrides):
    args = {"date": TODAY, "today": TODAY, "dose_taken": True, "ratings": {"pain": 4}}
    args.update(overrides)
    return validate_checkin(**args)


def test_a_full_entry():
    entry = check(
        ratings={"pain": 4, "mood": "7", "fatigue": None, "brain_fog": ""},
        side_effects=[("headache", "Moderate")],
        note="  fine  ",
        dose_time=dt.time(22, 0),
    )
    assert entry.ratings == {"pain": 4, "mood": 7}
    assert entry.side_effects[0].effect is SideEffect.HEADACHE
    assert entry.side_effects[0].severity is Severity.MODERATE
    assert entry.note == "fine"
    assert entry.late is False


def test_a_past_day_is_late():
    assert check(date=TODAY - dt.timedelta(days=1)).late is True


def test_the_day_of_birth_itself_may_be_recorded():
    assert check(date=dt.date(1990, 5, 17), born=dt.date(1990, 5, 17)).late is True


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"date": TODAY + dt.timedelta(days=1)}, "date", "future"),
        ({"date": dt.date(148, 3, 1), "born": dt.date(1990, 5, 17)}, "date", "date of birth"),
        ({"ratings": {"pain": 11}}, "ratings.pain", "between 0 and 10"),
        ({"ratings": {"pain": -1}}, "ratings.pain", "between 0 and 10"),
        ({"ratings": {"pain": 2.5}}, "ratings.pain", "whole number"),
        ({"ratings": {"pain": "lots"}}, "ratings.pain", "whole number"),
        ({"ratings": {"pain": float("nan")}}, "ratings.pain", "whole number"),
        ({"ratings": {"pain": True}}, "ratings.pain", "whole number"),
        ({"ratings": {"joy": 3}}, "ratings.joy", "not a daily rating"),
        ({"side_effects": [("hiccups", "mild")]}, "side_effects", "not a side effect"),
        ({"side_effects": [("nausea", "awful")]}, "side_effects", "mild, moderate or severe"),
        ({"side_effects": [("nausea", "mild"), ("nausea", "severe")]}, "side_effects", "twice"),
        ({"dose_taken": False, "dose_time": dt.time(8)}, "dose_time", "not marked as taken"),
        ({"note": "x" * 2001}, "note", "longer than"),
    ],
)
def test_refusals_name_the_field(overrides, field, words):
    with pytest.raises(CheckinError, match=words) as error:
        check(**overrides)
    assert error.value.field == field
