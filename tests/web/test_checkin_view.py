"""The patient's check-in form: one entry a day, late entries marked, bad input changes nothing."""

import datetime as dt

import pytest

from lowdose.web.diary.models import CheckIn


def _form(day, **overrides):
    data = {
        "date": day.isoformat(),
        "dose_taken": "yes",
        "pain": "3",
        "fatigue": "4",
        "brain_fog": "",
        "sleep_quality": "7",
        "mood": "6",
        "orthostatic": "2",
        "se_vivid_dreams": "mild",
        "note": "Slept badly",
    }
    data.update(overrides)
    return data


@pytest.fixture
def anna(client, people):
    client.force_login(people.anna.user)
    return people.anna


def test_a_check_in_is_saved_and_shown(client, anna, today):
    response = client.post("/me/checkin/", _form(today), follow=True)
    row = CheckIn.objects.get(patient=anna, date=today)
    assert (row.pain, row.fatigue, row.brain_fog, row.sleep_quality) == (3, 4, None, 7)
    assert row.side_effects == [{"name": "vivid_dreams", "severity": "mild"}]
    assert row.dose_taken is True
    assert row.late is False
    assert row.course == anna.courses.get()
    assert "saved" in response.content.decode()


def test_a_second_check_in_the_same_day_edits_the_first(client, anna, today):
    client.post("/me/checkin/", _form(today))
    client.post("/me/checkin/", _form(today, pain="8", se_vivid_dreams=""))
    rows = CheckIn.objects.filter(patient=anna, date=today)
    assert rows.count() == 1
    assert rows.get().pain == 8
    assert rows.get().side_effects == []


def test_a_past_day_is_accepted_and_marked_late(client, anna, today):
    day = today - dt.timedelta(days=20)
    client.post("/me/checkin/", _form(day))
    assert CheckIn.objects.get(patient=anna, date=day).late is True


def test_the_form_shows_an_earlier_entry_for_correction(client, anna, today):
    page = client.get(f"/me/checkin/?date={(today - dt.timedelta(days=1)).isoformat()}")
    assert page.context["form"].initial["pain"] == "5"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2999-01-01"}, "date", "in the future"),
        ({"date": "1901-01-01"}, "date", "before the date of birth"),
        ({"pain": "11"}, "pain", "not one of the available choices"),
        ({"pain": "-1"}, "pain", "not one of the available choices"),
        ({"fatigue": "lots"}, "fatigue", "not one of the available choices"),
        ({"date": "yesterday"}, "date", "Enter a valid date"),
        ({"se_headache": "unbearable"}, "se_headache", "not one of the available choices"),
        ({"dose_taken": "no", "dose_time": "22:00"}, "dose_time", "not marked as taken"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, anna, today, change, field, message
):
    before = list(CheckIn.objects.values())
    response = client.post("/me/checkin/", _form(today, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert list(CheckIn.objects.values()) == before


def test_the_home_page_shows_todays_dose_and_history(client, anna, today):
    page = client.get("/me/").content.decode()
    assert "4.5 mg" in page
    assert "Maintenance phase" in page
    assert (today - dt.timedelta(days=1)).strftime("%-d %b") in page


def test_a_patient_in_baseline_is_told_there_is_no_dose_yet(client, people, today):
    from lowdose.web.courses.models import Course

    Course.objects.filter(patient=people.sara).update(
        start_date=today + dt.timedelta(days=3), baseline_start=today
    )
    client.force_login(people.sara.user)
    page = client.get("/me/").content.decode()
    assert "no LDN yet" in page


def test_the_chart_is_svg_with_a_text_alternative(client, anna, today):
    client.post("/me/checkin/", _form(today))
    response = client.get("/me/chart.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert f"Latest entry {today.isoformat()}: pain 3" in svg
    assert "4.5 mg from" in svg


def test_the_chart_may_style_itself_but_not_run_scripts(client, anna):
    policy = client.get("/me/chart.svg")["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy
    assert "default-src 'none'" in policy
    assert "script" not in policy


def test_the_chart_shows_questionnaires_stand_tests_and_medication_changes(client, anna, today):
    from decimal import Decimal

    from lowdose.web.courses.models import Medication
    from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest

    day = today - dt.timedelta(days=3)
    QuestionnaireResponse.objects.create(
        patient=anna,
        instrument="compass31",
        definition_version="1",
        date=day,
        answers={},
        total=Decimal("41.5"),
    )
    StandTest.objects.create(
        patient=anna, date=day, age_years=36, readings=[], max_delta_hr=Decimal("38"), result={}
    )
    Medication.objects.create(patient=anna, name="Ivabradine 5 mg", started_on=day)
    svg = client.get("/me/chart.svg").content.decode()
    assert f"Questionnaires: COMPASS-31 41.5 on {day.isoformat()}." in svg
    assert f"Stand tests, largest heart-rate rise: 38 bpm on {day.isoformat()}." in svg
    assert f"Ivabradine 5 mg started on {day.isoformat()}" in svg


def test_plan_revisions_are_marked_on_the_chart(client, anna, people, today):

    from lowdose.web.safety.models import PlanRevision
    from tests.builders import make_plan

    plan = make_plan(people)
    day = today - dt.timedelta(days=2)
    PlanRevision.objects.create(
        plan=plan, kind="step_back", effective=day, reason="Vivid dreams", created_by=people.nora
    )
    svg = client.get("/me/chart.svg").content.decode()
    assert f"Plan: step back on {day.isoformat()}" in svg
