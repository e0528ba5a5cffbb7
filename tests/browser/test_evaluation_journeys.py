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
