"""Plan revisions (step back, hold, change interval, resume) kept with who, when and why; the
course's future dose changes follow the current schedule and past ones never change. The patient
sees today's dose in mg and as taken from the batch, and downloads the schedule as a calendar."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import Course, DoseChange, Medication
from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety.models import Plan, PlanRevision


@pytest.fixture
def planned(people, today):
    """Ben started 1 mg +1 mg weekly to 4.5 mg, ten days ago (so today is at 2 mg)."""
    start = today - dt.timedelta(days=10)
    course = Course.objects.create(
        patient=people.ben, prescriber=people.nora, baseline_start=start, start_date=start
    )
    plan = Plan.objects.create(
        course=course,
        start_mg=Decimal(1),
        step_mg=Decimal(1),
        interval_days=7,
        target_mg=Decimal("4.5"),
        ceiling_mg=Decimal(6),
        form="liquid",
        time="bedtime",
        start_date=start,
        created_by=people.nora,
    )
    for step in plan.schedule().steps:
        DoseChange.objects.create(course=course, effective_on=step.first_day, dose_mg=step.dose.mg)
    return plan


def _revise(client, patient, **data):
    return client.post(f"/patients/{patient.pk}/plan/revise/", data)


def test_the_plan_page_shows_the_schedule_and_history(client, people, planned):
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/plan/").content.decode()
    assert "Steps, with every revision applied" in page
    assert "plan written by Nora North" in page


def test_a_step_back_rewrites_future_doses_and_keeps_the_past(client, people, planned, today):
    past = list(DoseChange.objects.filter(effective_on__lt=today).values_list("pk", "dose_mg"))
    client.force_login(people.nora)
    response = _revise(
        client, people.ben, kind="step_back", effective=today.isoformat(), reason="Vivid dreams"
    )
    assert response.status_code == 302
    revision = PlanRevision.objects.get(plan=planned)
    assert (revision.kind, revision.created_by, revision.reason) == (
        "step_back",
        people.nora,
        "Vivid dreams",
    )
    assert planned.course.dose_on(today) == Decimal(1)
    assert list(DoseChange.objects.filter(effective_on__lt=today).values_list("pk", "dose_mg")) == (
        past
    )
    # the climb starts again after a full interval at the lower dose
    assert planned.course.dose_on(today + dt.timedelta(days=7)) == Decimal(2)
    rows = DoseChange.objects.filter(course=planned.course, effective_on__gte=today)
    assert [(r.effective_on - today).days for r in rows][:2] == [0, 7]
    assert AuditEvent.objects.filter(object_type="safety.planrevision").exists()
    page = client.get(f"/patients/{people.ben.pk}/plan/").content.decode()
    assert f"From {today.isoformat()}: step back to the previous dose (Nora North" in page


def test_a_hold_keeps_the_dose_for_n_days(client, people, planned, today):
    client.force_login(people.nora)
    _revise(client, people.ben, kind="hold", effective=today.isoformat(), days="14",
            reason="Insomnia")  # fmt: skip
    assert planned.course.dose_on(today + dt.timedelta(days=13)) == Decimal(2)
    assert planned.course.dose_on(today + dt.timedelta(days=14)) == Decimal(3)


def test_a_changed_interval_slows_the_climb(client, people, planned, today):
    client.force_login(people.nora)
    _revise(client, people.ben, kind="change_interval", effective=today.isoformat(), days="14",
            reason="Slower, please")  # fmt: skip
    assert planned.course.dose_on(today + dt.timedelta(days=10)) == Decimal(2)
    assert planned.course.dose_on(today + dt.timedelta(days=11)) == Decimal(3)


def test_resume_is_blocked_by_an_opioid_without_override(client, people, planned, today):
    client.force_login(people.nora)
    _revise(client, people.ben, kind="hold", effective=today.isoformat(), reason="Surgery soon")
    Medication.objects.create(patient=people.ben, name="Oxycodone 5 mg")
    response = _revise(
        client, people.ben, kind="resume", effective=today.isoformat(), reason="Back on track"
    )
    assert response.status_code == 409
    assert "The titration cannot resume" in response.content.decode()
    assert PlanRevision.objects.filter(kind="resume").count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "hold", "days": "0"}, "Ensure this value is greater than or equal to 1"),
        ({"kind": "change_interval"}, "The new interval must be at least 1 day."),
        ({"kind": "step_back", "dose": "2 mg"}, "A step back must go below the current dose"),
        ({"kind": "step_back", "dose": "50 mg"}, "not a low dose"),
        ({"kind": "hold", "reason": ""}, "This field is required"),
        ({"kind": "hold", "effective": "yesterday"}, "Enter a valid date"),
        ({"kind": "hold", "past": True}, "cannot change a day that has passed"),
        ({"kind": "bounce"}, "Select a valid choice"),
    ],
)
def test_bad_revisions_are_refused_and_nothing_changes(client, people, planned, today, data, words):
    client.force_login(people.nora)
    post = {"effective": today.isoformat(), "reason": "Because", **data}
    if post.pop("past", False):
        post["effective"] = (today - dt.timedelta(days=1)).isoformat()
    before = list(DoseChange.objects.values())
    response = _revise(client, people.ben, **post)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not PlanRevision.objects.exists()
    assert list(DoseChange.objects.values()) == before


@pytest.mark.parametrize("name", ["sam", "phil", "rita", "ben", "anna", "ada"])
def test_only_the_clinic_clinician_sees_and_revises_the_plan(client, people, planned, today, name):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    assert client.get(f"/patients/{people.ben.pk}/plan/").status_code == 404
    response = _revise(client, people.ben, kind="hold", effective=today.isoformat(), reason="x")
    assert response.status_code == 404
    assert not PlanRevision.objects.exists()


def test_a_course_without_a_plan_has_no_plan_page(client, people):
    client.force_login(people.nora)
    assert client.get(f"/patients/{people.anna.pk}/plan/").status_code == 404


def test_the_patient_sees_todays_dose_as_taken_from_the_batch(client, people, planned, today):
    Batch.objects.create(
        plan=planned,
        lot="L-7",
        form="liquid",
        strength_mg=Decimal(1),
        quantity=Decimal(50),
        prepared_on=today - dt.timedelta(days=3),
        beyond_use=today + dt.timedelta(days=11),
        dispensed_by=people.phil,
    )
    client.force_login(people.ben.user)
    page = client.get("/me/").content.decode()
    assert "2 mL of 1 mg/mL liquid" in page
    assert "batch L-7" in page


def test_the_patient_downloads_the_calendar(client, people, planned):
    client.force_login(people.ben.user)
    response = client.get("/me/plan.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2 * len(planned.schedule().steps)
    assert "BEGIN:VALARM" in body
    assert AuditEvent.objects.filter(object_type="safety.plan", actor=people.ben.user).exists()


@pytest.mark.parametrize("name", ["anna", "nora", "phil"])
def test_no_calendar_without_ones_own_plan(client, people, planned, name):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    assert client.get("/me/plan.ics").status_code == 404


def test_a_stopped_course_is_not_revised(client, people, planned, today):
    Course.objects.filter(pk=planned.course_id).update(stopped_on=today)
    client.force_login(people.nora)
    response = _revise(client, people.ben, kind="hold", effective=today.isoformat(), reason="x")
    assert response.status_code == 409
    assert not PlanRevision.objects.exists()


def test_before_the_first_dose_the_patient_sees_when_it_comes(client, people, planned, today):
    Course.objects.filter(pk=planned.course_id).update(
        start_date=today + dt.timedelta(days=3), baseline_start=today
    )
    client.force_login(people.ben.user)
    first = today + dt.timedelta(days=3)
    assert f"Your first dose is on {first:%A} {first.day} {first:%B}" in (
        client.get("/me/").content.decode()
    )
