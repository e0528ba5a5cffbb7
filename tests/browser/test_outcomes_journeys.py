"""A patient fills COMPASS-31 and enters a stand test; her clinician reads the results."""

from __future__ import annotations

import pytest

from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (question number, answer) for COMPASS-31 with standing symptoms and nothing else: the
# follow-ups of every other "No" are hidden by the page and skipped by the scoring
ANSWERS = [
    (1, "Yes"), (2, "Frequently"), (3, "Moderate"), (4, "Somewhat worse"), (5, "No"),
    (8, "No change noticed"), (9, "No"), (10, "No"), (11, "Have not had these symptoms"),
    (12, "No change noticed"), (13, "Never"), (14, "Never"), (15, "Never"), (16, "No"),
    (20, "No"), (24, "Never"), (25, "Never"), (26, "Never"), (27, "Never"), (29, "Never"),
    (31, "Have not had these symptoms"),
]  # fmt: skip


def _question(page, number: int):
    return page.locator("fieldset.oc-item").nth(number - 1)


def test_a_patient_fills_compass31(page, people):
    log_in(page, "anna", PASSWORD)
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.get_by_role("link", name="COMPASS-31 (Composite Autonomic Symptom Score)").first.click()
    page.get_by_role("heading", name="COMPASS-31").wait_for()
    check_accessibility(page)

    assert _question(page, 2).is_visible()
    _question(page, 5).get_by_label("No", exact=True).check()
    assert not _question(page, 6).is_visible()  # hidden once "No" is chosen
    assert not _question(page, 7).is_visible()
    _question(page, 1).get_by_label("Yes", exact=True).check()
    _question(page, 2).get_by_label("Frequently").check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_role("alert").first.wait_for()
    assert "Please answer this question." in _question(page, 3).inner_text()
    check_accessibility(page)
    assert not QuestionnaireResponse.objects.exists()

    for number, answer in ANSWERS:
        _question(page, number).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_role("heading", name="Your answers of").wait_for()
    row = QuestionnaireResponse.objects.get(patient=people.anna)
    # orthostatic raw sum q01 1 + q02 2 + q03 2 + q04 2 = 7; weight 4 (40 points over a raw
    # maximum of 10) gives 28; every other domain scores 0
    assert str(row.total) == "28.00"
    assert "Your score is 28 on a scale from 0 to 100" in page.content()
    check_accessibility(page)

    page.get_by_role("button", name="Log out").click()
    log_in(page, "nora", PASSWORD)
    page.goto(f"/patients/{people.anna.pk}/questionnaires/")
    table = page.get_by_role("table", name="Scores over time, oldest first")
    assert "\t28\t28\t0\t" in table.inner_text()  # total, then orthostatic, vasomotor ...
    check_accessibility(page)


def test_a_patient_enters_a_stand_test_with_the_timer(page, people):
    page.clock.install()
    log_in(page, "anna", PASSWORD)
    page.goto("/me/stand-tests/new/")
    page.get_by_role("heading", name="Stand test", exact=True).wait_for()
    check_accessibility(page)

    page.get_by_role("button", name="Start the timer").click()
    status = page.locator("[data-timer-status]")
    assert status.inner_text() == "Take the reading for Lying down, minute 1."
    page.clock.run_for(3 * 60_000)  # three minutes lying down
    assert status.inner_text() == "Stand up now. Take the reading for Standing, minute 1."
    page.get_by_role("button", name="Stop the timer").click()

    for minute in range(1, 4):
        page.get_by_label(f"Heart rate, lying down minute {minute}", exact=True).fill("68")
        page.get_by_label(f"Systolic, lying down minute {minute}", exact=True).fill("118")
        page.get_by_label(f"Diastolic, lying down minute {minute}", exact=True).fill("76")
    for minute in range(1, 11):
        page.get_by_label(f"Heart rate, standing minute {minute}", exact=True).fill(
            str(90 + minute)
        )
        page.get_by_label(f"Systolic, standing minute {minute}", exact=True).fill("116")
        page.get_by_label(f"Diastolic, standing minute {minute}", exact=True).fill("80")
    page.get_by_label("Symptoms, standing minute 6", exact=True).fill("dizzy")
    page.get_by_role("button", name="Save stand test").click()

    page.get_by_role("heading", name="What the readings show").wait_for()
    test = StandTest.objects.get(patient=people.anna)
    # baseline 68; standing 91 ... 100: largest rise 32 at standing minute 10; reaching 30 at
    # minutes 8, 9 and 10 is sustained, so the adult criterion (30 bpm) is met
    assert (str(test.max_delta_hr), test.max_delta_standing_minute) == ("32.0", 10)
    assert test.pots_hr_criterion_met is True
    facts = page.locator("dl.facts").inner_text()
    assert "32 beats a minute, at standing minute 10" in facts
    check_accessibility(page)

    page.get_by_role("button", name="Log out").click()
    log_in(page, "nora", PASSWORD)
    page.goto(f"/patients/{people.anna.pk}/stand-tests/")
    assert page.evaluate("document.querySelector('img.chart').naturalWidth") > 0
    assert "32" in page.get_by_role("table", name="Stand tests, oldest first").inner_text()
    check_accessibility(page)
