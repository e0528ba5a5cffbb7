"""The outcomes API: due questionnaires, answers and scores, stand tests, check-in guidance."""

from __future__ import annotations

import datetime as dt

import pytest

from lowdose.web.accounts.models import ApiToken
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest

# COMPASS-31 with no symptoms: every "No" skips its follow-ups; every answer scores 0 points
COMPASS_NO = {
    "q01": 2, "q05": 2, "q08": 3, "q09": 2, "q10": 2, "q11": 1, "q12": 3, "q13": 1, "q14": 1,
    "q15": 1, "q16": 2, "q20": 2, "q24": 1, "q25": 1, "q26": 1, "q27": 1, "q29": 1, "q31": 1,
}  # fmt: skip


def _readings(supine=70, standing=104):
    rows = [
        {"minute": m, "position": "supine", "hr": supine, "sbp": 120, "dbp": 80} for m in (0, 1)
    ]
    rows += [
        {"minute": m, "position": "standing", "hr": standing, "sbp": 118, "dbp": 82}
        for m in range(2, 12)
    ]
    return rows


@pytest.fixture
def call(client, people):
    def as_user(user, method, path, body=None):
        token = ApiToken.issue(user)
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return as_user


def test_the_due_questionnaires(call, people):
    response = call(people.anna.user, "get", "/api/questionnaires/due")
    assert response.status_code == 200
    rows = response.json()
    assert {r["instrument"] for r in rows} == {"compass31", "fatigue_vas", "pgic"}
    assert {(r["week"], r["state"]) for r in rows} == {(8, "due")}


def test_submitting_answers_stores_the_scores(call, people, today):
    body = {"answers": {**COMPASS_NO, "q02": 3}}  # q02 is skipped by q01 = No: ignored
    response = call(people.anna.user, "post", "/api/questionnaires/compass31/responses", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["instrument"], data["date"], data["total"]) == (
        "compass31", today.isoformat(), "0.00",
    )  # fmt: skip
    assert "q02" in data["skipped"]
    assert QuestionnaireResponse.objects.get().answers.get("q02") is None
    listed = call(people.anna.user, "get", "/api/questionnaires/responses?instrument=compass31")
    assert [r["id"] for r in listed.json()] == [data["id"]]
    assert (
        call(people.anna.user, "get", "/api/questionnaires/responses?instrument=fss").json() == []
    )


def test_an_answer_outside_the_options_is_422_naming_the_item(call, people):
    body = {"answers": {**COMPASS_NO, "q08": 9}}
    response = call(people.anna.user, "post", "/api/questionnaires/compass31/responses", body)
    assert response.status_code == 422
    assert response.json()["field"] == "q08"
    assert "q08" in response.json()["detail"]
    assert not QuestionnaireResponse.objects.exists()


def test_missing_follow_ups_are_422_naming_them(call, people):
    body = {"answers": {**COMPASS_NO, "q01": 1}}
    response = call(people.anna.user, "post", "/api/questionnaires/compass31/responses", body)
    assert response.status_code == 422
    assert response.json()["field"] == "q02"
    assert "q02, q03, q04" in response.json()["detail"]
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"q01": "yes"}}, "answers.q01.int"),
        ({"answers": {}, "extra": 1}, "extra"),
    ],
)
def test_malformed_answers_are_422(call, people, body, field):
    response = call(people.anna.user, "post", "/api/questionnaires/compass31/responses", body)
    assert response.status_code == 422
    assert response.json()["field"].startswith(field.split(".")[0])
    assert not QuestionnaireResponse.objects.exists()


def test_a_future_date_is_422(call, people, today):
    body = {"date": (today + dt.timedelta(days=1)).isoformat(), "answers": {"change": 2}}
    response = call(people.anna.user, "post", "/api/questionnaires/pgic/responses", body)
    assert (response.status_code, response.json()["field"]) == (422, "date")
    assert not QuestionnaireResponse.objects.exists()


def test_an_unknown_questionnaire_is_404(call, people):
    response = call(people.anna.user, "post", "/api/questionnaires/sf36/responses", {"answers": {}})
    assert response.status_code == 404


def test_a_stand_test_is_analysed_and_listed(call, people, today):
    body = {"readings": _readings(), "symptoms": "light-headed"}
    response = call(people.anna.user, "post", "/api/stand-tests", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    # baseline 70; standing 104 at every minute: rise 34 from standing minute 1, adult threshold 30
    assert (data["baseline_hr"], data["max_delta_hr"], data["max_delta_standing_minute"]) == (
        "70.0", "34.0", 1,
    )  # fmt: skip
    assert (data["hr_threshold_bpm"], data["sustained"], data["pots_hr_criterion_met"]) == (
        30, True, True,
    )  # fmt: skip
    assert data["complete"] is True
    listed = call(people.anna.user, "get", "/api/stand-tests").json()
    assert [t["id"] for t in listed] == [data["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"hr": 400}, "hr"), ({"position": "sitting"}, "position"), ({"sbp": 70}, "sbp")],
)
def test_a_bad_reading_is_422_and_nothing_saved(call, people, change, field):
    readings = _readings()
    readings[3].update(change)
    response = call(people.anna.user, "post", "/api/stand-tests", {"readings": readings})
    assert (response.status_code, response.json()["field"]) == (422, field)
    assert not StandTest.objects.exists()


def test_guidance_for_a_check_in(call, people, today):
    CheckIn.objects.create(
        patient=people.anna,
        course=people.course,
        date=today,
        dose_time=dt.time(22, 0),
        side_effects=[{"name": "vivid_dreams", "severity": "mild"}],
    )
    response = call(people.anna.user, "get", f"/api/checkins/{today.isoformat()}/guidance")
    assert response.status_code == 200
    data = response.json()
    assert data["before_ldn"] is False
    [item] = data["guidance"]
    assert (item["side_effect"], item["urgency"], item["rule"]) == (
        "vivid_dreams", "next_contact", "sleep_effects_evening_dose",
    )  # fmt: skip
    assert item["sources"]


def test_a_check_in_without_side_effects_has_no_guidance(call, people, today):
    day = today - dt.timedelta(days=1)
    response = call(people.anna.user, "get", f"/api/checkins/{day.isoformat()}/guidance")
    assert response.json()["guidance"] == []


def test_guidance_for_a_day_without_a_check_in_is_404(call, people, today):
    response = call(people.anna.user, "get", f"/api/checkins/{today.isoformat()}/guidance")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["nora", "sam", "phil", "rita", "ada"])
def test_staff_get_404_from_the_patient_operations(call, people, today, who):
    user = getattr(people, who)
    day = (today - dt.timedelta(days=1)).isoformat()
    for method, path, body in (
        ("get", "/api/questionnaires/due", None),
        ("get", "/api/questionnaires/responses", None),
        ("post", "/api/questionnaires/pgic/responses", {"answers": {"change": 2}}),
        ("get", "/api/stand-tests", None),
        ("post", "/api/stand-tests", {"readings": _readings()}),
        ("get", f"/api/checkins/{day}/guidance", None),
    ):
        assert call(user, method, path, body).status_code == 404, path
    assert not QuestionnaireResponse.objects.exists()
    assert not StandTest.objects.exists()


def test_a_patient_sees_only_her_own(call, people, today):
    call(people.sara.user, "post", "/api/stand-tests", {"readings": _readings()})
    call(people.sara.user, "post", "/api/questionnaires/pgic/responses", {"answers": {"change": 2}})
    assert call(people.anna.user, "get", "/api/stand-tests").json() == []
    assert call(people.anna.user, "get", "/api/questionnaires/responses").json() == []
    day = (today - dt.timedelta(days=1)).isoformat()
    assert call(people.sara.user, "get", f"/api/checkins/{day}/guidance").status_code == 404


def test_without_a_token_it_is_401(client, people):
    assert client.get("/api/questionnaires/due").status_code == 401


def test_the_operations_are_in_the_openapi_document(client, people):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/questionnaires/due",
        "/api/questionnaires/{instrument_id}/responses",
        "/api/questionnaires/responses",
        "/api/stand-tests",
        "/api/checkins/{day}/guidance",
    ):
        assert path in paths
