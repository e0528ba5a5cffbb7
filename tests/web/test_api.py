"""The JSON API: tokens, the course, check-ins; refusals name the field and change nothing."""

import datetime as dt
import re
import uuid

import pytest

from lowdose.web.diary.models import CheckIn
from tests.conftest import PASSWORD


@pytest.fixture
def token(client, people):
    response = client.post(
        "/api/auth/token",
        {"username": "anna", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


@pytest.fixture
def api(client, token):
    def call(method, path, body=None, **headers):
        return getattr(client, method)(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **headers,
        )

    return call


def _checkin(day, **overrides):
    body = {
        "date": day.isoformat(),
        "dose_taken": True,
        "ratings": {"pain": 3, "fatigue": 4, "mood": 7},
        "side_effects": [{"name": "insomnia", "severity": "moderate"}],
        "note": "ok",
    }
    body.update(overrides)
    return body


def test_a_wrong_password_gets_no_token(client, people):
    response = client.post(
        "/api/auth/token", {"username": "anna", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_no_token_no_data(client, people):
    assert client.get("/api/course").status_code == 401
    bad = client.get("/api/course", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.status_code == 401


def test_the_course_with_todays_dose(api, people, today):
    body = api("get", "/api/course").json()
    assert body["phase_today"] == "maintenance"
    assert body["dose_today_mg"] == "4.5"
    assert [s["dose_mg"] for s in body["dose_steps"]] == ["1.5", "3", "4.5"]
    assert body["prescriber"] == "Nora North"


def test_create_then_edit_the_same_day(api, people, today):
    first = api("post", "/api/checkins", _checkin(today))
    assert first.status_code == 201
    assert first.json()["ratings"]["pain"] == 3
    second = api("post", "/api/checkins", _checkin(today, ratings={"pain": 6}))
    assert second.status_code == 200
    assert CheckIn.objects.filter(patient=people.anna, date=today).count() == 1
    assert CheckIn.objects.get(patient=people.anna, date=today).fatigue is None


def test_a_retried_request_with_the_same_client_id_is_stored_once(api, people, today):
    client_id = str(uuid.uuid4())
    body = _checkin(today, client_id=client_id)
    assert api("post", "/api/checkins", body).status_code == 201
    assert api("post", "/api/checkins", body).status_code == 200
    assert CheckIn.objects.filter(patient=people.anna, client_id=client_id).count() == 1


def test_a_client_id_cannot_move_to_another_day(api, people, today):
    client_id = str(uuid.uuid4())
    api("post", "/api/checkins", _checkin(today, client_id=client_id))
    moved = api(
        "post", "/api/checkins", _checkin(today - dt.timedelta(days=30), client_id=client_id)
    )
    assert moved.status_code == 422
    assert moved.json()["field"] == "client_id"


def test_past_days_are_late(api, today):
    body = api("post", "/api/checkins", _checkin(today - dt.timedelta(days=10))).json()
    assert body["late"] is True


def test_list_dates_are_written_as_dates(api):
    assert api("get", "/api/checkins?to=0").status_code == 422
    assert api("get", "/api/checkins/0/guidance").status_code == 422


def test_list_check_ins_between_dates(api, today):
    rows = api(
        "get",
        f"/api/checkins?from={(today - dt.timedelta(days=3)).isoformat()}"
        f"&to={(today - dt.timedelta(days=2)).isoformat()}",
    ).json()
    assert [r["date"] for r in rows] == [(today - dt.timedelta(days=d)).isoformat() for d in (3, 2)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratings": {"pain": 11}}, "ratings.pain"),
        ({"ratings": {"pain": -2}}, "ratings.pain"),
        ({"ratings": {"pain": "a lot"}}, "ratings.pain"),
        ({"ratings": {"pain": 4.5}}, "ratings.pain"),
        ({"ratings": {"happiness": 4}}, "ratings.happiness"),
        ({"date": "2999-01-01"}, "date"),
        ({"date": "22/11/2026"}, "date"),
        ({"date": "0148-03-01"}, "date"),  # before Anna was born
        ({"side_effects": [{"name": "hiccups", "severity": "mild"}]}, "side_effects"),
        ({"side_effects": [{"name": "nausea", "severity": "awful"}]}, "side_effects"),
        ({"patient": 1}, "patient"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        # values in another form than documented are refused, never converted
        ({"date": 0}, "date"),  # was read as a timestamp: a check-in on 1 January 1970
        ({"date": "20261122"}, "date"),
        ({"ratings": {"pain": True}}, "ratings.pain"),  # was stored as a rating of 1
        ({"ratings": {"pain": "5"}}, "ratings.pain"),
        ({"dose_taken": "yes"}, "dose_taken"),
        ({"dose_time": 3600}, "dose_time"),
        ({"dose_time": "08:00:00+01:00"}, "dose_time"),  # was a server error on saving
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(api, people, today, change, field):
    before = list(CheckIn.objects.values())
    response = api("post", "/api/checkins", _checkin(today, **change))
    assert response.status_code == 422
    assert response.json()["field"].startswith(field)
    assert list(CheckIn.objects.values()) == before


def test_a_clinician_token_has_no_patient_diary(client, people, today):
    token = client.post(
        "/api/auth/token",
        {"username": "nora", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/course", **headers).status_code == 404
    posted = client.post(
        "/api/checkins", _checkin(today), content_type="application/json", **headers
    )
    assert posted.status_code == 404
    assert not CheckIn.objects.filter(date=today).exists()


def test_the_openapi_document_describes_the_check_in(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/checkins" in document["paths"]
    assert "client_id" in document["components"]["schemas"]["CheckinIn"]["properties"]


def test_a_write_without_a_valid_token_or_session_is_told_to_log_in(people, today):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/api/checkins",
        _checkin(today),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer expired",
    )
    assert response.status_code == 401
    assert not CheckIn.objects.filter(date=today).exists()


def test_a_session_write_still_needs_its_csrf_token(people, today):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.anna.user)
    response = browser.post("/api/checkins", _checkin(today), content_type="application/json")
    assert response.status_code == 403
    assert not CheckIn.objects.filter(date=today).exists()


def test_the_openapi_document_lists_the_answers_every_operation_may_give(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    checkin = paths["/api/checkins"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "404", "422"} <= set(checkin)
    assert {"200", "401", "404"} <= set(paths["/api/course"]["get"]["responses"])
    assert "403" not in paths["/api/course"]["get"]["responses"]
    token = paths["/api/auth/token"]["post"]["responses"]
    assert {"400", "422"} <= set(token)
    assert "401" in token  # a wrong password, not a missing log-in


def test_the_dose_time_comes_back_as_the_document_describes_it(api, client, today):
    body = api("post", "/api/checkins", _checkin(today, dose_time="21:30")).json()
    assert body["dose_time"] == "21:30:00"
    document = client.get("/api/openapi.json").json()["components"]["schemas"]
    [written] = [
        s
        for s in document["CheckinOut"]["properties"]["dose_time"]["anyOf"]
        if s != {"type": "null"}
    ]
    assert re.fullmatch(written["pattern"], body["dose_time"])
