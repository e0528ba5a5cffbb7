"""A clinician sets a new dose from a date; units are required and mistakes are refused."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import DoseChange


def _post(client, patient, **data):
    return client.post(f"/patients/{patient.pk}/dose/", data)


def test_the_clinician_sets_a_dose(client, people, today):
    client.force_login(people.nora)
    response = _post(
        client,
        people.anna,
        effective_on=today.isoformat(),
        dose="3 mg",
        note="Vivid dreams at 4.5 mg",
    )
    assert response.status_code == 302
    change = DoseChange.objects.get(course=people.course, effective_on=today)
    assert change.dose_mg == Decimal("3")
    assert change.created_by == people.nora
    assert people.course.dose_on(today) == Decimal("3")
    assert AuditEvent.objects.filter(object_type="courses.dosechange", actor=people.nora).exists()


def test_micrograms_are_converted(client, people, today):
    client.force_login(people.nora)
    _post(client, people.anna, effective_on=today.isoformat(), dose="1500 mcg")
    assert DoseChange.objects.get(course=people.course, effective_on=today).dose_mg == Decimal(
        "1.5"
    )


@pytest.mark.parametrize(
    ("dose", "words"),
    [
        ("3", "has no unit"),
        ("-3 mg", "cannot be negative"),
        ("0 mg", "above 0 mg"),
        ("50 mg", "not a low dose"),
        ("1,5 mg", "comma"),
        ("3 g", "not a unit"),
        ("", "This field is required"),
    ],
)
def test_bad_doses_are_refused_and_nothing_changes(client, people, today, dose, words):
    client.force_login(people.nora)
    before = list(DoseChange.objects.values())
    response = _post(client, people.anna, effective_on=today.isoformat(), dose=dose)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert list(DoseChange.objects.values()) == before


def test_a_change_before_the_first_dose_is_refused(client, people):
    client.force_login(people.nora)
    day = people.course.start_date - dt.timedelta(days=1)
    response = _post(client, people.anna, effective_on=day.isoformat(), dose="1 mg")
    assert "cannot come before it" in response.content.decode()


@pytest.mark.parametrize("name", ["sam", "phil", "rita", "ada"])
def test_only_the_patients_clinic_clinician_may_change_the_dose(client, people, today, name):
    client.force_login(getattr(people, name))
    response = _post(client, people.anna, effective_on=today.isoformat(), dose="1 mg")
    assert response.status_code == 404
    assert not DoseChange.objects.filter(effective_on=today).exists()


def test_a_patient_cannot_change_her_own_dose(client, people, today):
    client.force_login(people.anna.user)
    assert (
        _post(client, people.anna, effective_on=today.isoformat(), dose="1 mg").status_code == 404
    )


def test_a_get_is_not_allowed(client, people):
    client.force_login(people.nora)
    assert client.get(f"/patients/{people.anna.pk}/dose/").status_code == 405


def test_a_course_with_a_titration_plan_changes_dose_only_through_the_plan(client, people, today):
    from tests.builders import make_plan

    make_plan(people)
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert "revising the plan" in page
    assert "Set this dose" not in page
    before = list(DoseChange.objects.values())
    response = _post(client, people.anna, effective_on=today.isoformat(), dose="1 mg")
    assert response.status_code == 302
    assert list(DoseChange.objects.values()) == before
