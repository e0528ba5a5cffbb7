"""A patient checks in and sees it on the chart; her clinician opens her chart."""

from __future__ import annotations

import pytest

from lowdose.web.diary.models import CheckIn
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, question: str, value: int) -> None:
    group = page.get_by_role("group", name=question)
    group.get_by_role("radio", name=str(value), exact=True).check()


def test_a_patient_checks_in_and_sees_the_new_point(page, people, today):
    log_in(page, "anna", PASSWORD)
    page.get_by_role("heading", name="Today's check-in").wait_for()
    assert "4.5 mg" in page.get_by_role("region", name=f"Today, {today:%A %-d %B}").inner_text()
    check_accessibility(page)

    page.get_by_role("group", name="Took my LDN dose").get_by_label("Yes").check()
    _rate(page, "How bad was your pain today?", 2)
    _rate(page, "How tired or drained were you today?", 3)
    _rate(page, "How was your mood today?", 8)
    page.get_by_text("Side effects today").click()
    page.get_by_label("Vivid dreams").select_option("mild")
    page.get_by_role("button", name="Save check-in").click()

    page.get_by_role("status").get_by_text("saved").wait_for()
    row = CheckIn.objects.get(patient=people.anna, date=today)
    assert (row.pain, row.fatigue, row.mood, row.dose_taken) == (2, 3, 8, True)
    assert row.side_effects == [{"name": "vivid_dreams", "severity": "mild"}]

    table = page.get_by_role("table", name="Your last 14 check-ins")
    first_row = table.get_by_role("row").nth(1)
    assert first_row.get_by_role("rowheader").inner_text().startswith(today.strftime("%a %-d %b"))
    chart = page.get_by_role("img", name="Chart of your daily ratings")
    chart_url = chart.get_attribute("src")
    svg = page.request.get(chart_url).text()
    assert f"Latest entry {today.isoformat()}: pain 2, fatigue 3, mood 8" in svg
    page.wait_for_function(
        "() => document.querySelector('img.chart').complete "
        "&& document.querySelector('img.chart').naturalWidth > 0"
    )
    check_accessibility(page)


def test_a_clinician_opens_her_patients_chart(page, people, today):
    CheckIn.objects.create(
        patient=people.anna, course=people.course, date=today, pain=1, dose_taken=True
    )
    log_in(page, "nora", PASSWORD)
    page.get_by_role("heading", name="Patients of North Clinic").wait_for()
    check_accessibility(page)
    assert "Sara Stone" not in page.content()
    page.get_by_label("Find a patient").fill("Archer")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Anna Archer").click()

    page.get_by_role("heading", name="Anna Archer").wait_for()
    facts = page.locator("dl.facts").inner_text()
    assert "4.5 mg" in facts
    assert "Maintenance" in facts
    assert "Propranolol 10 mg" in page.content()
    svg = page.request.get(f"/patients/{people.anna.pk}/chart.svg").text()
    assert f"Latest entry {today.isoformat()}: pain 1" in svg
    table = page.get_by_role("table", name="Last 28 check-ins")
    assert table.get_by_role("row").count() == 1 + 8
    check_accessibility(page)
