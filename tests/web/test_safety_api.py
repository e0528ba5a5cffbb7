"""The plan and screening API: the patient's own plan, a clinician's view of her patients' plans
and screenings; refusals are 422 naming the field and change nothing; others get 404."""

from decimal import Decimal

import pytest

from lowdose.web.accounts.models import ApiToken, AuditEvent
from lowdose.web.courses.models import Course, DoseChange, Medication
from lowdose.web.safety.models import Plan, Screening


@pytest.fixture
def call(client):
    def do(user, method, path, body=None):
        token = ApiToken.issue(user)
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return do


@pytest.fixture
def plan(people, today):
    course = Course.objects.create(
        patient=people.ben, prescriber=people.nora, baseline_start=today, start_date=today
    )
    plan = Plan.objects.create(
        course=course, start_mg=Decimal("1.5"), step_mg=Decimal("1.5"), interval_days=14,
        target_mg=Decimal("4.5"), ceiling_mg=Decimal(6), form="capsule", time="bedtime",
        start_date=today, created_by=people.nora,
    )  # fmt: skip
    for step in plan.schedule().steps:
        DoseChange.objects.create(course=course, effective_on=step.first_day, dose_mg=step.dose.mg)
    return plan


def test_the_patient_reads_her_plan(call, people, plan, today):
    response = call(people.ben.user, "get", "/api/plan")
    assert response.status_code == 200
    body = response.json()
    assert [s["dose_mg"] for s in body["steps"]] == ["1.5", "3", "4.5"]
    assert body["steps"][0]["first_day"] == today.isoformat()
    assert body["dose_today_mg"] == "1.5"
    assert body["dose_today_dispensed"] is None
    assert AuditEvent.objects.filter(object_type="safety.plan", actor=people.ben.user).exists()


def test_no_plan_is_a_404(call, people):
    assert call(people.anna.user, "get", "/api/plan").status_code == 404


@pytest.mark.parametrize("name", ["nora", "phil"])
def test_staff_have_no_own_plan(call, people, name):
    assert call(getattr(people, name), "get", "/api/plan").status_code == 404


def test_the_clinician_reads_a_patients_plan(call, people, plan):
    response = call(people.nora, "get", f"/api/patients/{people.ben.pk}/plan")
    assert response.status_code == 200
    assert response.json()["target_mg"] == "4.5"


def test_the_clinician_reads_the_screening(call, people):
    Medication.objects.create(patient=people.ben, name="Tylenol #3")
    response = call(people.nora, "get", f"/api/patients/{people.ben.pk}/screening")
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "contraindicated"
    assert body["blocked"] is True
    assert body["findings"][0]["ingredients"] == ["codeine", "paracetamol"]
    assert body["findings"][0]["source"]


def test_adding_a_medication_screens_again(call, people):
    response = call(
        people.nora, "post", f"/api/patients/{people.ben.pk}/medications", {"name": "Kratom powder"}
    )
    assert response.status_code == 201
    assert response.json()["verdict"] == "contraindicated"
    assert Screening.objects.filter(patient=people.ben, created_by=people.nora).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({}, "name"),
        ({"name": "Tramadol", "started_on": "yesterday"}, "started_on"),
        ({"name": "Tramadol", "dose": "50 mg"}, "dose"),
    ],
)
def test_a_bad_medication_is_a_422_naming_the_field(call, people, body, field):
    response = call(people.nora, "post", f"/api/patients/{people.ben.pk}/medications", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Medication.objects.filter(patient=people.ben).exists()
    assert not Screening.objects.exists()


def test_a_list_is_screened_without_saving(call, people):
    body = {"medications": ["oxycodone/APAP 5/325", "levothyroxine", "Zyxobrontal"]}
    response = call(people.phil, "post", "/api/screening", body)
    assert response.status_code == 200
    result = response.json()
    assert result["verdict"] == "contraindicated"
    assert result["unknown"] == ["Zyxobrontal"]
    assert not Screening.objects.exists()


@pytest.mark.parametrize("body", [{"medications": []}, {"medications": ["  "]}, {}])
def test_an_empty_list_is_a_422(call, people, body):
    response = call(people.nora, "post", "/api/screening", body)
    assert response.status_code == 422
    assert response.json()["field"] == "medications"


@pytest.mark.parametrize("name", ["sam", "phil", "rita", "anna", "ben"])
def test_only_the_clinic_clinician_reads_and_writes_a_patient(call, people, plan, name):
    person = getattr(people, name)
    user = getattr(person, "user", person)
    pk = people.ben.pk
    assert call(user, "get", f"/api/patients/{pk}/plan").status_code == 404
    assert call(user, "get", f"/api/patients/{pk}/screening").status_code == 404
    added = call(user, "post", f"/api/patients/{pk}/medications", {"name": "Tramadol"})
    assert added.status_code == 404
    assert not Medication.objects.filter(patient=people.ben).exists()


@pytest.mark.parametrize("name", ["anna", "rita"])
def test_patients_and_researchers_cannot_use_the_screening_tool(call, people, name):
    person = getattr(people, name)
    response = call(
        getattr(person, "user", person), "post", "/api/screening", {"medications": ["x"]}
    )
    assert response.status_code == 404


def test_the_operations_are_in_the_openapi_document(client, people):
    paths = client.get("/api/openapi.json").json()["paths"]
    patient = "/api/patients/{patient_id}"
    expected = ["/api/plan", "/api/screening", f"{patient}/plan", f"{patient}/screening",
                f"{patient}/medications"]  # fmt: skip
    assert set(expected) <= set(paths)


def test_an_unknown_patient_is_a_404(call, people):
    assert call(people.nora, "get", "/api/patients/999999/screening").status_code == 404
