"""The clinician filters her dashboard to patients with alerts, opens a chart, files the report."""

from __future__ import annotations

import pytest

from lowdose.web.outcomes.models import Alert
from tests.browser.conftest import check_accessibility, log_in
from tests.builders import pdf_text, write_diary
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_to_alerts_open_the_chart_and_download_the_report(page, people, today, tmp_path):
    # fatigue 7-8 before LDN and 3-4 on maintenance: a clear estimate for the report
    write_diary(people, today, "fatigue", 7, 3, dose_taken=lambda on_baseline: not on_baseline)
    Alert.objects.create(
        patient=people.anna,
        kind="missed_doses",
        day=today,
        detail="3 days without a dose",
        source="product default",
    )
    log_in(page, "nora", PASSWORD)
    page.get_by_role("heading", name="Patients of North Clinic").wait_for()
    check_accessibility(page)

    page.get_by_label("Only patients with open alerts").check()
    table = page.get_by_role("table")
    table.get_by_text("1 patient with open alerts").wait_for()
    assert "Ben Baker" not in table.inner_text()
    row = table.get_by_role("row").nth(1)
    assert "Missed doses" in row.inner_text()
    assert "Fatigue" in row.inner_text()  # the main outcome's estimate

    row.get_by_role("link", name="Anna Archer").click()
    page.get_by_role("heading", name="Anna Archer").wait_for()
    chart = page.get_by_role("img", name="Chart of Anna Archer")
    # the SVG loads and draws (it is a separate request, checked like the page)
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    check_accessibility(page)

    page.get_by_role("link", name="Course report", exact=True).click()
    page.get_by_role("heading", name="Low-dose naltrexone (LDN) course report").wait_for()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF for the medical record").click()
    target = tmp_path / "report.pdf"
    download.value.save_as(target)
    text = pdf_text(target)
    assert "Dose history" in text
    assert "1.5 mg" in text
    assert "4.5 mg" in text
    assert "Fatigue (main) 7.5 3.5" in text  # means before LDN and on maintenance
    assert "moderate" in text or "substantial" in text
