"""A patient opens "Is it working?" from her home page and reads the plain summary; her
clinician opens the numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.web.evaluation.conftest import PAIN_BASELINE, PAIN_MAINTENANCE, add_checkins

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rated(people, today):
    course = people.course
    add_checkins(people.anna, course, course.baseline_start,
                 course.start_date - dt.timedelta(1), PAIN_BASELINE)  # fmt: skip
    add_checkins(people.anna, course, course.maintenance_start, today - dt.timedelta(1),
                 PAIN_MAINTENANCE)  # fmt: skip
    return people


def test_a_patient_reads_whether_it_is_working(page, rated):
    log_in(page, "anna", PASSWORD)
    page.get_by_role("link", name="See whether LDN is working for you").click()
    page.get_by_role("heading", name="Is it working?", level=1).wait_for()
    main = page.get_by_role("region", name="Your fatigue")
    assert "Your fatigue averaged 5.9 before LDN" in main.inner_text()
    other = page.get_by_role("region", name="Your other ratings")
    assert "Your pain averaged 6.9 before LDN and 3.9" in other.inner_text()
    assert "placebo" in main.inner_text()
    page.wait_for_function("document.querySelector('img.chart').complete")
    assert page.evaluate("document.querySelector('img.chart').naturalWidth") > 0
    check_accessibility(page)


def test_a_clinician_reads_the_numbers(page, rated):
    log_in(page, "nora", PASSWORD)
    page.goto(f"/patients/{rated.anna.pk}/")
    page.get_by_role("link", name="Full evaluation, methods and caveats").click()
    page.get_by_role("heading", name="Main outcome: Fatigue").wait_for()
    check_accessibility(page)
    page.get_by_label("Main outcome", exact=True).select_option("pain")
    page.get_by_role("button", name="Set", exact=True).click()
    page.get_by_role("heading", name="Main outcome: Pain").wait_for()
    assert "chosen by Nora North" in page.content()
    check_accessibility(page)


def test_a_pharmacist_sets_up_a_blinded_trial_and_the_clinician_sees_only_periods(page, rated):
    log_in(page, "phil", PASSWORD)
    page.get_by_role("link", name="Blinded trials").click()
    check_accessibility(page)
    page.get_by_role("link", name="Anna Archer").click()
    page.get_by_role("heading", name="Create the trial").wait_for()
    check_accessibility(page)
    page.get_by_label("Pairs").fill("3")
    page.get_by_label("Seed").fill("7")
    page.get_by_role("button", name="Create the trial").click()
    page.get_by_role("button", name="Dispense period 1", exact=True).click()
    page.get_by_role("status").get_by_text("Pack for period 1 recorded").wait_for()
    table = page.get_by_role("table", name="Label each pack with its period number only")
    assert "Placebo" in table.inner_text()
    assert "SHA-256" in page.content()
    check_accessibility(page)

    page.get_by_role("button", name=f"Log out {rated.phil.display_name}").click()
    log_in(page, "nora", PASSWORD)
    page.goto(f"/patients/{rated.anna.pk}/evaluation/")
    periods = page.get_by_role("table", name="Averages per period")
    assert "Period 6" in periods.inner_text()
    assert "Placebo" not in periods.inner_text()
    check_accessibility(page)
