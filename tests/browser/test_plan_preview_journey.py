"""The plan's steps appear as the clinician types, before anything is saved."""

import datetime as dt

import pytest

from lowdose.web.courses.models import Course
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_preview_follows_the_typing(page, people, today):
    log_in(page, "nora", PASSWORD)
    page.get_by_role("heading", name="Patients of North Clinic").wait_for()
    page.goto(f"/patients/{people.ben.pk}/start/")
    preview = page.locator("#plan-preview")
    assert "appear here as you type" in preview.inner_text()
    page.get_by_label("Start dose").fill("1 mg")
    page.get_by_label("Step", exact=True).fill("1 mg")
    page.get_by_label("Step up every (days)").fill("7")
    page.get_by_label("Target dose").fill("3 mg")
    page.get_by_label("First dose on").fill((today + dt.timedelta(days=14)).isoformat())
    preview.get_by_role("table", name="Steps of this plan").wait_for()
    assert "3 mg" in preview.inner_text()
    check_accessibility(page)
    assert not Course.objects.filter(patient=people.ben).exists()
