"""Stand tests on the web: entry form, stored findings, the clinician's table and chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.web.outcomes.models import StandTest
from tests.web.outcomes.conftest import stand_test_data


@pytest.fixture
def anna(client, people):
    client.force_login(people.anna.user)
    return people.anna


def test_the_form_has_three_lying_and_ten_standing_minutes(client, anna):
    page = client.get("/me/stand-tests/new/").content.decode()
    assert "Lying down, minute 3" in page
    assert "Standing, minute 10" in page
    assert "outcomes/standtest.js" in page
    assert 'name="hr_12"' in page


def test_a_stand_test_is_stored_and_analysed(client, anna, today):
    response = client.post("/me/stand-tests/new/", stand_test_data(today), follow=True)
    test = StandTest.objects.get(patient=anna)
    # baseline 70, standing 104 at every minute: rise 34 >= 30 (adult, Anna is 36) and sustained
    assert test.age_years == anna.age_on(today)
    assert (test.baseline_hr, test.max_delta_hr) == (Decimal("70.0"), Decimal("34.0"))
    assert test.max_delta_standing_minute == 1
    assert test.pots_hr_criterion_met is True
    assert test.orthostatic_hypotension is False
    assert test.complete is True
    assert len(test.readings) == 13
    assert test.symptoms == "Dizzy after 5 minutes"
    page = response.content.decode()
    assert "34 beats a minute, at standing minute 1" in page
    assert "not a diagnosis" in page


def test_a_short_test_says_what_it_cannot_judge(client, anna, today):
    data = stand_test_data(today, standing_hr=80)
    for minute in range(8, 13):  # stood for 5 minutes only
        for key in ("hr", "sbp", "dbp"):
            data[f"{key}_{minute}"] = ""
    client.post("/me/stand-tests/new/", data)
    test = StandTest.objects.get()
    assert test.complete is False
    assert test.pots_hr_criterion_met is None
    assert any("too short" in note for note in test.result["notes"])


def test_an_impossible_reading_is_shown_at_its_minute_and_nothing_saved(client, anna, today):
    data = {**stand_test_data(today), "hr_5": "400"}
    page = client.post("/me/stand-tests/new/", data)
    assert page.status_code == 200
    assert "Minute 5: HR (bpm) 400 is not possible" in page.context["form"].errors["hr_5"][0]
    assert not StandTest.objects.exists()


def test_systolic_without_diastolic_is_refused(client, anna, today):
    page = client.post("/me/stand-tests/new/", {**stand_test_data(today), "dbp_4": ""})
    assert "sbp_4" in page.context["form"].errors
    assert not StandTest.objects.exists()


def test_an_empty_form_is_refused(client, anna, today):
    page = client.post("/me/stand-tests/new/", {"date": today.isoformat()})
    assert "at least one reading" in str(page.context["form"].non_field_errors())
    assert not StandTest.objects.exists()


def test_the_age_is_the_age_on_the_test_day(client, people, today):
    # Anna was born 17 May 1990; a test dated before a birthday uses the younger age
    client.force_login(people.anna.user)
    day = today - dt.timedelta(days=3)
    client.post("/me/stand-tests/new/", stand_test_data(day))
    assert StandTest.objects.get().age_years == people.anna.age_on(day)


def test_the_patient_sees_only_her_own_tests(client, people, today):
    client.force_login(people.sara.user)
    client.post("/me/stand-tests/new/", stand_test_data(today))
    saras = StandTest.objects.get()
    client.force_login(people.anna.user)
    assert client.get(f"/me/stand-tests/{saras.pk}/").status_code == 404
    assert "No stand tests yet" in client.get("/me/stand-tests/").content.decode()


def test_the_clinician_sees_the_table_and_the_chart(client, people, today):
    client.force_login(people.anna.user)
    client.post("/me/stand-tests/new/", stand_test_data(today - dt.timedelta(days=30)))
    client.post("/me/stand-tests/new/", stand_test_data(today, standing_hr=90))
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/stand-tests/")
    assert [row["rise"] for row in page.context["rows"]] == [Decimal("34.0"), Decimal("20.0")]
    chart = client.get(f"/patients/{people.anna.pk}/stand-tests/chart.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    svg = chart.content.decode()
    assert "<title>Largest standing heart-rate rise of Anna Archer" in svg
    assert f"{today.isoformat()}: 20 bpm" in svg
    test = StandTest.objects.latest("date")
    detail = client.get(f"/patients/{people.anna.pk}/stand-tests/{test.pk}/")
    assert "20 beats a minute" in detail.content.decode()
    assert "Lying down, minute 3" in detail.content.decode()
    assert "Standing, minute 10" in detail.content.decode()


@pytest.mark.parametrize("who", ["sam", "phil", "rita", "ada"])
def test_others_cannot_see_annas_stand_tests(client, people, today, who):
    client.force_login(people.anna.user)
    client.post("/me/stand-tests/new/", stand_test_data(today))
    test = StandTest.objects.get()
    client.force_login(getattr(people, who))
    base = f"/patients/{people.anna.pk}/stand-tests/"
    for url in (base, f"{base}chart.svg", f"{base}{test.pk}/"):
        assert client.get(url).status_code == 404, url


def test_a_clinician_cannot_reach_another_patients_test_through_her_own(client, people, today):
    client.force_login(people.sara.user)
    client.post("/me/stand-tests/new/", stand_test_data(today))
    saras = StandTest.objects.get()
    client.force_login(people.nora)
    assert client.get(f"/patients/{people.anna.pk}/stand-tests/{saras.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["nora", "phil"])
def test_staff_cannot_enter_a_stand_test_as_a_patient(client, people, today, who):
    client.force_login(getattr(people, who))
    assert client.post("/me/stand-tests/new/", stand_test_data(today)).status_code == 404
    assert not StandTest.objects.exists()
