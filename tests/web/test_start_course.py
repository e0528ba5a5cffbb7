"""The clinician's "Start LDN" flow: a plan with a preview, and the opioid guard that blocks the
start until the opioid is stopped or a clinician overrides with a written reason."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import Course, DoseChange, Medication
from lowdose.web.safety.models import Override, Plan
from tests.builders import start_form


def _start(client, patient, data):
    return client.post(f"/patients/{patient.pk}/start/", data)


def test_the_preview_shows_the_steps_and_saves_nothing(client, people, today):
    client.force_login(people.nora)
    response = _start(client, people.ben, start_form(today, action="preview", target="6 mg"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Steps of this plan" in page
    assert "6 mg is above 4.5 mg, the most-studied LDN dose" in page
    assert not Course.objects.filter(patient=people.ben).exists()


def test_start_creates_the_course_the_plan_and_the_dose_changes(client, people, today):
    client.force_login(people.nora)
    start = today + dt.timedelta(days=14)
    response = _start(client, people.ben, start_form(start))
    assert response.status_code == 302
    assert response.url == f"/patients/{people.ben.pk}/plan/"
    course = Course.objects.get(patient=people.ben)
    assert (course.baseline_start, course.start_date) == (today, start)
    assert course.prescriber == people.nora
    steps = [(d - start).days for d, _ in course.dose_steps()]
    doses = [mg for _, mg in course.dose_steps()]
    assert steps == [0, 7, 14, 21, 28]
    assert doses == [Decimal(x) for x in ("1", "2", "3", "4", "4.5")]
    assert course.maintenance_start == start + dt.timedelta(days=28)
    plan = Plan.objects.get(course=course)
    assert (plan.start_mg, plan.target_mg, plan.interval_days) == (1, Decimal("4.5"), 7)
    assert AuditEvent.objects.filter(object_type="courses.course", action="create").exists()
    # the existing patient page and the patient's home now show the course
    assert "4.5 mg" in client.get(f"/patients/{people.ben.pk}/").content.decode()


def test_micrograms_are_read_as_milligrams(client, people, today):
    client.force_login(people.nora)
    _start(client, people.ben, start_form(today, start="500 mcg", step="0.5", target="1.5"))
    plan = Plan.objects.get(course__patient=people.ben)
    assert plan.start_mg == Decimal("0.5")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"every": "0"}, "The interval must be at least 1 day."),
        ({"step": "5"}, "is larger than the target"),
        ({"target": "50 mg"}, "not a low dose"),
        ({"target": "8 mg"}, "is above the ceiling"),
        ({"start": "1,5"}, "comma"),
        ({"start": "-1"}, "cannot be negative"),
        ({"start_date": "05/01/2026"}, "is not a date written as YYYY-MM-DD"),
        ({"form": "patch"}, "Select a valid choice"),
        ({"start": ""}, "This field is required"),
    ],
)
def test_bad_plans_are_refused_naming_the_field_and_nothing_is_saved(
    client, people, today, changes, words
):
    client.force_login(people.nora)
    response = _start(client, people.ben, start_form(today, **changes))
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Course.objects.filter(patient=people.ben).exists()
    assert not Plan.objects.exists()


def test_a_baseline_after_the_first_dose_is_refused(client, people, today):
    client.force_login(people.nora)
    data = start_form(today, baseline_start=(today + dt.timedelta(days=1)).isoformat())
    response = _start(client, people.ben, data)
    assert response.status_code == 422
    assert "The baseline must begin on or before the first dose." in response.content.decode()


def test_an_opioid_blocks_the_start(client, people, today):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/start/").content.decode()
    assert "LDN cannot start while the medication list has a contraindicated medication" in page
    response = _start(client, people.ben, start_form(today))
    assert response.status_code == 409
    assert "LDN cannot start: the medication list has a contraindicated medication" in (
        response.content.decode()
    )
    assert "Override the contraindication" in response.content.decode()
    assert not Course.objects.filter(patient=people.ben).exists()
    assert not DoseChange.objects.filter(course__patient=people.ben).exists()


def test_an_override_with_a_reason_lets_the_course_start(client, people, today):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    reason = "Tramadol stopped last week; list not yet updated by the GP."
    response = client.post(
        f"/patients/{people.ben.pk}/override/", {"reason": reason, "next_page": "start"}
    )
    assert response.status_code == 302
    assert response.url == f"/patients/{people.ben.pk}/start/"
    override = Override.objects.get(patient=people.ben)
    assert (override.created_by, override.reason, override.covers) == (
        people.nora,
        reason,
        ["tramadol 50 mg"],
    )
    assert AuditEvent.objects.filter(object_type="safety.override", actor=people.nora).exists()
    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "Contraindication overridden by Nora North" in page
    assert reason in page
    assert _start(client, people.ben, start_form(today)).status_code == 302
    assert Course.objects.filter(patient=people.ben).exists()


def test_a_new_opioid_after_the_override_blocks_again(client, people, today):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    client.post(f"/patients/{people.ben.pk}/override/", {"reason": "Agreed with pain team."})
    client.post(f"/patients/{people.ben.pk}/medications/", {"name": "Vitamin D"})
    assert _start(client, people.ben, start_form(today)).status_code == 302  # same opioid: covered
    Course.objects.filter(patient=people.ben).update(stopped_on=today)
    client.post(f"/patients/{people.ben.pk}/medications/", {"name": "Oxycodone 5 mg"})
    assert _start(client, people.ben, start_form(today)).status_code == 409


@pytest.mark.parametrize("reason", ["", "ok", "         "])
def test_an_override_needs_a_written_reason(client, people, reason):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    response = client.post(f"/patients/{people.ben.pk}/override/", {"reason": reason})
    assert response.status_code == 422
    assert not Override.objects.exists()


def test_there_is_nothing_to_override_on_a_clear_list(client, people):
    client.force_login(people.nora)
    response = client.post(
        f"/patients/{people.anna.pk}/override/", {"reason": "No reason at all here."}
    )
    assert response.status_code == 404
    assert not Override.objects.exists()


def test_a_patient_on_a_course_cannot_start_another(client, people, today):
    client.force_login(people.nora)
    response = _start(client, people.anna, start_form(today))
    assert response.status_code == 409
    assert "already on an LDN course" in response.content.decode()
    assert Course.objects.filter(patient=people.anna).count() == 1


@pytest.mark.parametrize("name", ["sam", "phil", "rita", "ben", "ada"])
def test_only_the_clinic_clinician_may_start(client, people, today, name):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    assert client.get(f"/patients/{people.ben.pk}/start/").status_code == 404
    assert _start(client, people.ben, start_form(today)).status_code == 404
    assert not Course.objects.filter(patient=people.ben).exists()


def test_the_demo_patient_on_tramadol_is_blocked(client, people, today):
    """The demo clinic gives its second patient "Tramadol 50 mg" (lowdose.simulation)."""
    from lowdose.simulation import OPIOID_MEDICATION

    Medication.objects.create(patient=people.ben, name=OPIOID_MEDICATION)
    client.force_login(people.nora)
    assert _start(client, people.ben, start_form(today)).status_code == 409


def test_a_pending_course_gets_its_plan_and_no_second_course(client, people, today):
    first = today + dt.timedelta(days=10)
    pending = Course.objects.create(
        patient=people.ben, prescriber=people.sam, baseline_start=today, start_date=first
    )
    DoseChange.objects.create(course=pending, effective_on=first, dose_mg=Decimal("0.5"))
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/").content.decode()
    assert "has no titration plan yet" in page
    assert _start(client, people.ben, start_form(first)).status_code == 302
    course = Course.objects.get(patient=people.ben)
    assert course.pk == pending.pk
    assert course.plan.start_mg == Decimal(1)
    assert course.dose_steps()[0][1] == Decimal(1)


def test_a_pending_course_with_an_opioid_is_blocked(client, people, today):
    """Like the demo clinic's second patient: a course in baseline and "Tramadol 50 mg"."""
    first = today + dt.timedelta(days=10)
    Course.objects.create(
        patient=people.ben, prescriber=people.nora, baseline_start=today, start_date=first
    )
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    assert _start(client, people.ben, start_form(first)).status_code == 409
    assert not Plan.objects.exists()


def test_a_running_course_next_to_an_opioid_is_flagged(client, people):
    Medication.objects.create(patient=people.anna, name="Tramadol 50 mg")
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert "taking LDN next to a contraindicated medication" in page


def test_the_plan_written_before_an_override_is_kept(client, people, today):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    client.force_login(people.nora)
    plan = start_form(today)
    del plan["action"]
    response = client.post(
        f"/patients/{people.ben.pk}/override/",
        {"reason": "Stopped last week, list out of date.", "next_page": "start", **plan},
    )
    assert response.status_code == 302
    assert response.url.startswith(f"/patients/{people.ben.pk}/start/?start=1+mg")
    page = client.get(response.url).content.decode()
    assert "Steps of this plan" in page
    assert 'value="4.5 mg"' in page
