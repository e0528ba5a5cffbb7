"""The diary's day is the patient's local date, from her time zone or else her clinic's."""

import datetime as dt

import pytest

from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn

NOON_UTC = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)  # already 23 Nov on Kiritimati (UTC+14)


@pytest.fixture
def frozen_noon(monkeypatch):
    monkeypatch.setattr("lowdose.web.courses.models.timezone.now", lambda: NOON_UTC)


def test_a_patient_far_east_may_check_in_for_her_tomorrow(client, people, frozen_noon):
    Patient.objects.filter(pk=people.anna.pk).update(timezone="Pacific/Kiritimati")
    client.force_login(people.anna.user)
    client.post("/me/checkin/", {"date": "2026-11-23", "pain": "3"})
    row = CheckIn.objects.get(patient=people.anna, date=dt.date(2026, 11, 23))
    assert row.late is False


def test_the_same_day_is_the_future_in_utc(client, people, frozen_noon):
    client.force_login(people.anna.user)
    response = client.post("/me/checkin/", {"date": "2026-11-23", "pain": "3"})
    assert "in the future" in response.content.decode()
    assert not CheckIn.objects.filter(date=dt.date(2026, 11, 23)).exists()


def test_without_her_own_zone_the_clinics_applies(people, frozen_noon):
    people.north.timezone = "Pacific/Kiritimati"
    people.north.save()
    anna = Patient.objects.get(pk=people.anna.pk)
    assert anna.local_today() == dt.date(2026, 11, 23)
    anna.timezone = "America/Los_Angeles"
    assert anna.local_today() == dt.date(2026, 11, 22)


def test_an_unknown_time_zone_is_refused(people):
    from django.core.exceptions import ValidationError

    people.anna.timezone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError, match="not a time zone"):
        people.anna.full_clean()
