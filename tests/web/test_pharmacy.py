"""The pharmacist's queue of new and changed plans, worksheets, dispensing with beyond-use dates,
printable labels, and tracing a lot to the patients and diary days it supplied."""

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import Course, DoseChange
from lowdose.web.diary.models import CheckIn
from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety.models import Plan, PlanRevision


def _plan(people, patient, prescriber, today, form="capsule") -> Plan:
    course = Course.objects.create(
        patient=patient, prescriber=prescriber, baseline_start=today, start_date=today
    )
    plan = Plan.objects.create(
        course=course,
        start_mg=Decimal("1.5"),
        step_mg=Decimal("1.5"),
        interval_days=14,
        target_mg=Decimal("4.5"),
        ceiling_mg=Decimal(6),
        form=form,
        time="bedtime",
        start_date=today,
        created_by=prescriber,
    )
    for step in plan.schedule().steps:
        DoseChange.objects.create(course=course, effective_on=step.first_day, dose_mg=step.dose.mg)
    return plan


@pytest.fixture
def capsules(people, today):
    return _plan(people, people.ben, people.nora, today)


@pytest.fixture
def liquid(people, today):
    return _plan(people, people.ben, people.nora, today, form="liquid")


def _dispense(client, plan, today, **data):
    post = {"lot": "L-0042", "strength_mg": "1.5", "quantity": "14",
            "prepared_on": today.isoformat(), **data}  # fmt: skip
    return client.post(f"/pharmacy/plans/{plan.pk}/dispense/", post)


def test_a_new_plan_is_in_the_queue_until_dispensed(client, people, capsules, today):
    client.force_login(people.phil)
    page = client.get("/pharmacy/").content.decode()
    assert "Ben Baker" in page
    assert "new" in page
    response = _dispense(client, capsules, today)
    assert response.status_code == 302
    batch = Batch.objects.get(plan=capsules)
    assert batch.beyond_use == today + dt.timedelta(days=180)  # USP <795> solid default
    assert batch.dispensed_by == people.phil
    assert AuditEvent.objects.filter(object_type="pharmacy.batch", action="create").exists()
    assert "Ben Baker" not in client.get("/pharmacy/queue/").content.decode()


def test_a_revised_plan_comes_back_to_the_queue(client, people, capsules, today):
    client.force_login(people.phil)
    _dispense(client, capsules, today)
    client.force_login(people.nora)
    client.post(
        f"/patients/{people.ben.pk}/plan/revise/",
        {"kind": "hold", "effective": today.isoformat(), "days": "7", "reason": "Headache"},
    )
    assert PlanRevision.objects.count() == 1
    client.force_login(people.phil)
    page = client.get("/pharmacy/queue/").content.decode()
    assert "changed since last dispensing" in page


def test_the_capsule_worksheet(client, people, capsules):
    client.force_login(people.phil)
    page = client.get(f"/pharmacy/plans/{capsules.pk}/").content.decode()
    assert "Capsules per step" in page
    assert "14 × 1.5 mg, 14 × 3 mg, 14 × 4.5 mg for 42 days" in page
    assert "Beyond-use: 180 days" in page


def test_the_liquid_worksheet_with_its_rounding(client, people, liquid):
    client.force_login(people.phil)
    url = f"/pharmacy/plans/{liquid.pk}/"
    page = client.get(url).content.decode()
    assert "1 mg/mL" in page
    assert "draw 1.5 mL" in page
    page = client.get(url, {"tablet_mg": "50", "tablet_count": "2", "volume_ml": "30",
                            "graduation_ml": "0.1"}).content.decode()  # fmt: skip
    assert "3.3333 mg/mL" in page
    bad = client.get(url, {"tablet_mg": "50", "tablet_count": "1", "volume_ml": "50",
                           "graduation_ml": "5"}).content.decode()  # fmt: skip
    assert "is larger than the 1.5 mg dose volume" in bad


def test_a_liquid_batch_gets_the_aqueous_beyond_use_date_and_a_label(client, people, liquid, today):
    client.force_login(people.phil)
    response = _dispense(client, liquid, today, strength_mg="1", quantity="50")
    batch = Batch.objects.get(plan=liquid)
    assert batch.beyond_use == today + dt.timedelta(days=14)
    assert response.url == f"/pharmacy/batches/{batch.pk}/label/"
    label = client.get(response.url).content.decode()
    assert "Naltrexone hydrochloride 1 mg/mL oral liquid" in label
    assert "1.5 mL of 1 mg/mL liquid" in label
    assert "Contains naltrexone — do not take with opioids." in label
    assert "Quantity: 50 mL" in label
    assert f"Use by {batch.beyond_use.day} {batch.beyond_use:%b %Y}" in label


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"lot": ""}, "This field is required"),
        ({"quantity": "0"}, "Ensure this value is greater than or equal to 0.01"),
        ({"quantity": "14.5"}, "Capsules are counted in whole numbers."),
        ({"strength_mg": "50"}, "not a low dose"),
        ({"prepared_on": "2026-02-30"}, "Enter a valid date"),
        ({"future": True}, "cannot be in the future"),
    ],
)
def test_bad_dispensings_are_refused_and_nothing_saved(
    client, people, capsules, today, data, words
):
    client.force_login(people.phil)
    if data.pop("future", False):
        data["prepared_on"] = (today + dt.timedelta(days=2)).isoformat()
    response = _dispense(client, capsules, today, **data)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Batch.objects.exists()


def test_each_diary_day_knows_its_batch_and_a_lot_is_traceable(client, people, capsules, today):
    older = Batch.objects.create(
        plan=capsules, lot="OLD-1", form="capsule", strength_mg=Decimal("1.5"),
        quantity=Decimal(14), prepared_on=today - dt.timedelta(days=20),
        beyond_use=today - dt.timedelta(days=3), dispensed_by=people.phil,
    )  # fmt: skip
    Batch.objects.create(
        plan=capsules, lot="NEW-2", form="capsule", strength_mg=Decimal("1.5"),
        quantity=Decimal(14), prepared_on=today - dt.timedelta(days=5),
        beyond_use=today + dt.timedelta(days=175), dispensed_by=people.phil,
    )  # fmt: skip
    for back in (1, 4):
        CheckIn.objects.create(patient=people.ben, date=today - dt.timedelta(days=back))
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/plan/").content.decode()
    assert "OLD-1" not in page.split("Diary days and their batch")[0]
    assert page.count("NEW-2") == 1
    assert page.count("OLD-1") == 1
    client.force_login(people.phil)
    page = client.get("/pharmacy/lots/", {"lot": "old-1"}).content.decode()
    assert "Ben Baker" in page
    day = today - dt.timedelta(days=4)
    assert f"{day.day} {day:%b %Y}" in page
    assert AuditEvent.objects.filter(object_id=str(older.pk), action="view").exists()


def test_another_clinics_lot_is_not_found(client, people, today):
    plan = _plan(people, people.sara, people.sam, today + dt.timedelta(days=400))
    Batch.objects.create(
        plan=plan, lot="SOUTH-9", form="capsule", strength_mg=Decimal("1.5"),
        quantity=Decimal(14), prepared_on=today, beyond_use=today, dispensed_by=people.sam,
    )  # fmt: skip
    client.force_login(people.phil)
    assert "Sara" not in client.get("/pharmacy/lots/", {"lot": "SOUTH-9"}).content.decode()


@pytest.mark.parametrize("name", ["nora", "sam", "anna", "ben", "rita", "ada"])
def test_only_the_pharmacist_sees_the_pharmacy_pages(client, people, capsules, today, name):
    batch = Batch.objects.create(
        plan=capsules, lot="L-1", form="capsule", strength_mg=Decimal("1.5"),
        quantity=Decimal(14), prepared_on=today, beyond_use=today, dispensed_by=people.phil,
    )  # fmt: skip
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    for url in (
        "/pharmacy/queue/",
        f"/pharmacy/plans/{capsules.pk}/",
        f"/pharmacy/batches/{batch.pk}/label/",
        "/pharmacy/lots/?lot=L-1",
    ):
        assert client.get(url).status_code == 404, url
    assert _dispense(client, capsules, today).status_code == 404
    assert Batch.objects.count() == 1


def test_another_clinics_pharmacist_sees_nothing(client, people, today):
    from tests.conftest import _user

    south_pharmacist = _user("pia", "pharmacist", people.south, "Pia", "South")
    plan = _plan(people, people.ben, people.nora, today)
    client.force_login(south_pharmacist)
    assert client.get(f"/pharmacy/plans/{plan.pk}/").status_code == 404
    assert _dispense(client, plan, today).status_code == 404
    assert "Ben Baker" not in client.get("/pharmacy/queue/").content.decode()
    assert not Batch.objects.exists()
