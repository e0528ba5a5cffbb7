"""Nora is stopped from starting LDN next to an opioid, overrides with a reason and starts the
course; Phil dispenses the new plan and prints its label."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.courses.models import Course, DoseChange, Medication
from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety.models import Override, Plan
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_plan(page, first_dose: dt.date) -> None:
    page.get_by_label("Start dose").fill("1 mg")
    page.get_by_label("Step", exact=True).fill("1 mg")
    page.get_by_label("Step up every (days)").fill("7")
    page.get_by_label("Target dose").fill("4.5 mg")
    page.get_by_label("Dispensed as").select_option("liquid")
    page.get_by_label("First dose on").fill(first_dose.isoformat())


def test_an_opioid_blocks_the_start_until_an_override_is_written(page, people, today):
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    log_in(page, "nora", PASSWORD)
    page.get_by_role("link", name="Ben Baker").click()
    page.get_by_role("heading", name="Ben Baker").wait_for()
    screening = page.get_by_role("region", name="Medications and opioid screening")
    assert "Contraindicated" in screening.inner_text()
    assert "LDN cannot start or resume" in screening.inner_text()
    check_accessibility(page)

    screening.get_by_role("link", name="Start LDN").click()
    page.get_by_role("heading", name="Start LDN: Ben Baker").wait_for()
    check_accessibility(page)
    first_dose = today + dt.timedelta(days=14)
    _fill_plan(page, first_dose)
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("table", name="Steps of this plan")
    assert preview.get_by_role("row").count() == 1 + 5
    check_accessibility(page)

    page.get_by_role("button", name="Start LDN").click()
    page.get_by_role("alert").get_by_text("LDN cannot start").wait_for()
    assert not Course.objects.filter(patient=people.ben).exists()
    check_accessibility(page)

    page.get_by_label("Why LDN may start despite this").fill(
        "Tramadol stopped two weeks ago; the GP list is out of date."
    )
    page.get_by_role("button", name="Record override").click()
    page.get_by_role("status").get_by_text("Override recorded").wait_for()
    assert Override.objects.get(patient=people.ben).created_by == people.nora
    assert "overridden by Nora North" in page.content()
    check_accessibility(page)

    # the plan written before the override is kept, with its preview
    assert page.get_by_label("Target dose").input_value() == "4.5 mg"
    assert page.get_by_role("table", name="Steps of this plan").get_by_role("row").count() == 6
    page.get_by_role("button", name="Start LDN").click()
    page.get_by_role("heading", name="Titration plan: Ben Baker").wait_for()
    course = Course.objects.get(patient=people.ben)
    assert course.start_date == first_dose
    assert course.dose_steps()[-1][1] == Decimal("4.5")
    check_accessibility(page)

    page.get_by_role("link", name="← Ben Baker").click()
    page.get_by_role("heading", name="Ben Baker").wait_for()
    assert "overridden by Nora North" in page.content()
    check_accessibility(page)


def test_the_pharmacist_dispenses_a_new_plan_and_prints_its_label(page, people, today):
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

    log_in(page, "phil", PASSWORD)
    queue = page.get_by_role("region", name="New and changed plans")
    queue.get_by_role("link", name="Ben Baker").click()
    page.get_by_role("heading", name="Worksheet: Ben Baker (N-2)").wait_for()
    assert "14 × 1.5 mg, 14 × 3 mg, 14 × 4.5 mg" in page.content()
    check_accessibility(page)

    page.get_by_label("Lot or batch number").fill("LDN-2611-A")
    page.get_by_label("Quantity (capsules or mL)").fill("14")
    page.get_by_role("button", name="Record dispensing").click()
    page.get_by_role("heading", name="Label for lot LDN-2611-A").wait_for()
    label = page.get_by_role("article", name="Dispensing label").inner_text()
    assert "Contains naltrexone — do not take with opioids." in label
    assert "1 capsule of 1.5 mg" in label
    batch = Batch.objects.get(plan=plan)
    assert batch.beyond_use == today + dt.timedelta(days=180)
    check_accessibility(page)

    page.goto("/pharmacy/")
    assert "Ben Baker" not in page.get_by_role("region", name="New and changed plans").inner_text()
    page.get_by_label("Find a lot (which patients and days it supplied)").fill("LDN-2611-A")
    page.get_by_role("button", name="Find lot").click()
    page.get_by_role("heading", name="Ben Baker (N-2)").wait_for()
    check_accessibility(page)
