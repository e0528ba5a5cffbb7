"""The demo clinic: its second patient is on "Tramadol 50 mg" and cannot start LDN; running the
demo again replaces the clinic even after plans, screenings, overrides and batches were added."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.courses.models import Patient
from lowdose.web.demo import create_demo_clinic
from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety import services
from lowdose.web.safety.models import Plan, Screening

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_opioid_patient_is_blocked_and_the_demo_can_be_replaced(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_clinic(seed=1, n_patients=2, n_days=14, progress=False)
    patient = Patient.objects.get(record_number="LD-00002")
    screening, _ = services.current_screening(patient)
    assert screening.verdict == "contraindicated"
    assert services.guard_for(screening).blocked
    clinician = patient.clinic.members.get(role="clinician")
    services.record_override(screening, reason="Tested by the demo check.", by=clinician)
    course = patient.current_course()
    plan = Plan.objects.create(
        course=course, start_mg=Decimal(1), step_mg=Decimal(1), interval_days=7,
        target_mg=Decimal(3), ceiling_mg=Decimal(6), form="capsule", time="bedtime",
        start_date=course.start_date, created_by=clinician,
    )  # fmt: skip
    pharmacist = patient.clinic.members.get(role="pharmacist")
    Batch.objects.create(
        plan=plan, lot="D-1", form="capsule", strength_mg=Decimal(1), quantity=Decimal(7),
        prepared_on=dt.date(2026, 1, 1), beyond_use=dt.date(2026, 6, 30), dispensed_by=pharmacist,
    )  # fmt: skip

    create_demo_clinic(seed=1, n_patients=2, n_days=14, progress=False)
    assert not Plan.objects.exists()
    assert not Screening.objects.exists()
    assert Patient.objects.filter(record_number="LD-00002").exists()


@pytest.mark.parametrize(
    "url", ["safety/screening", "safety/override", "safety/plannedevent", "safety/plan",
            "pharmacy/batch"],
)  # fmt: skip
def test_the_admin_lists_the_safety_and_pharmacy_records(client, people, url):
    client.force_login(people.ada)
    assert client.get(f"/admin/{url}/").status_code == 200
