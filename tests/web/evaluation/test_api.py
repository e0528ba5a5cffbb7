"""The evaluation API: the patient's own, a clinician's patient; denials are 404."""

from __future__ import annotations

import pytest

from lowdose.web.accounts.models import ApiToken


def _get(client, user, path):
    token = ApiToken.issue(user)
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_patient_reads_her_evaluation(client, anna_data):
    response = _get(client, anna_data.anna.user, "/api/evaluation")
    assert response.status_code == 200
    body = response.json()
    assert body["main_outcome"] == "fatigue"
    assert body["main_outcome_is_default"] is True
    pain = next(o for o in body["outcomes"] if o["outcome"] == "pain")
    assert pain["evaluated"] is True
    assert pain["result"]["responder"] in ("moderate", "substantial")
    assert pain["result"]["effect"]["ci_low"] < pain["result"]["effect"]["estimate"] < 0
    assert body["trial"] is None


def test_what_is_missing_is_named(client, people):
    body = _get(client, people.anna.user, "/api/evaluation").json()
    assert body["outcomes"][0]["evaluated"] is False
    assert "more baseline days" in body["outcomes"][0]["missing"]


def test_the_clinician_reads_her_patients_evaluation(client, anna_data):
    response = _get(client, anna_data.nora, f"/api/patients/{anna_data.anna.pk}/evaluation")
    assert response.status_code == 200
    assert response.json()["patient"] == "Anna Archer"


def test_no_course_is_404_with_a_reason(client, people):
    response = _get(client, people.ben.user, "/api/evaluation")
    assert response.status_code == 404
    assert response.json()["detail"] == "No LDN course yet"


@pytest.mark.parametrize("who", ["sam", "phil", "rita", "ada"])
def test_others_cannot_read_a_patients_evaluation(client, anna_data, who):
    response = _get(
        client, getattr(anna_data, who), f"/api/patients/{anna_data.anna.pk}/evaluation"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["nora", "phil", "rita", "sam"])
def test_staff_have_no_own_evaluation(client, anna_data, who):
    assert _get(client, getattr(anna_data, who), "/api/evaluation").status_code == 404


def test_a_patient_cannot_read_another_through_the_clinician_route(client, anna_data):
    response = _get(client, anna_data.sara.user, f"/api/patients/{anna_data.anna.pk}/evaluation")
    assert response.status_code == 404
    response = _get(client, anna_data.anna.user, f"/api/patients/{anna_data.anna.pk}/evaluation")
    assert response.status_code == 404


def test_without_a_token_401(client, anna_data):
    assert client.get("/api/evaluation").status_code == 401
