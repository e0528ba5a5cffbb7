"""The patient's "Is it working?" page, its chart and the link on the home page."""

from __future__ import annotations

import pytest

from lowdose.web.accounts.models import AuditEvent


@pytest.fixture
def anna(client, anna_data):
    client.force_login(anna_data.anna.user)
    return anna_data.anna


def test_the_patient_reads_the_plain_summary_of_her_main_outcome(client, anna):
    page = client.get("/me/is-it-working/").content.decode()
    # Anna has POTS: the product default main outcome is fatigue (NCT05363514's primary outcome)
    assert "Your fatigue" in page
    assert "Your pain averaged 6.9 before LDN and 3.9" in page
    assert "placebo effect" in page
    assert "not a diagnosis" in page
    assert 'src="/me/is-it-working/fatigue.svg' in page
    assert AuditEvent.objects.filter(actor=anna.user, action="view", patient_id=anna.pk).exists()


def test_the_chart_is_an_svg_with_a_text_alternative(client, anna):
    response = client.get("/me/is-it-working/pain.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<title>Pain before LDN and on the maintenance dose</title>" in svg
    assert "95% interval" in svg


def test_an_unknown_outcome_chart_is_not_found(client, anna):
    assert client.get("/me/is-it-working/steps.svg").status_code == 404


def test_too_little_data_says_what_is_missing(client, people):
    client.force_login(people.anna.user)  # only the fixture's 7 maintenance check-ins
    response = client.get("/me/is-it-working/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not enough information yet." in page
    assert "7 more baseline days with a fatigue rating are needed (0 so far)." in page
    assert "No brain fog ratings yet." in page


def test_before_maintenance_the_page_says_it_has_not_been_reached(client, people, today):
    import datetime as dt

    from tests.web.evaluation.conftest import PAIN_BASELINE, add_checkins

    course = people.course
    add_checkins(people.anna, course, course.baseline_start, course.start_date - dt.timedelta(1),
                 PAIN_BASELINE)  # fmt: skip
    course.maintenance_start = None
    course.save()
    client.force_login(people.anna.user)
    page = client.get("/me/is-it-working/").content.decode()
    assert "The maintenance dose has not been reached yet" in page


def test_a_patient_without_a_course_is_told_so(client, people):
    client.force_login(people.ben.user)
    page = client.get("/me/is-it-working/").content.decode()
    assert "No LDN course has been set up for you yet" in page
    assert client.get("/me/is-it-working/pain.svg").status_code == 404


def test_the_home_page_links_to_it(client, anna):
    page = client.get("/me/").content.decode()
    assert 'href="/me/is-it-working/"' in page


@pytest.mark.parametrize("who", ["nora", "phil", "rita", "sam", "ada"])
def test_staff_have_no_patient_page(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get("/me/is-it-working/").status_code == 404
    assert client.get("/me/is-it-working/pain.svg").status_code == 404


def test_logged_out_is_sent_to_log_in(client, people):
    response = client.get("/me/is-it-working/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_during_the_baseline_the_page_counts_the_days_still_needed(client, people, today):
    import datetime as dt

    from lowdose.web.courses.models import Course
    from lowdose.web.diary.models import CheckIn

    course = Course.objects.create(
        patient=people.ben, prescriber=people.nora, baseline_start=today - dt.timedelta(3),
        start_date=today + dt.timedelta(11),
    )  # fmt: skip
    for back in (1, 2, 3):
        CheckIn.objects.create(
            patient=people.ben, course=course, date=today - dt.timedelta(back), pain=5 + back % 2
        )
    client.force_login(people.ben.user)
    page = client.get("/me/is-it-working/").content.decode()
    assert "4 more baseline days with a pain rating are needed (3 so far)." in page
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/evaluation/").content.decode()
    assert "4 more baseline days with a pain rating are needed (3 so far)." in page
