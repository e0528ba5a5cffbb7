"""A NUL character anywhere in a request is refused (400) before any view runs: PostgreSQL can
neither store nor compare text holding one, so it used to end in a server error there."""

import json

import pytest

from lowdose.web.accounts.models import ApiToken
from lowdose.web.courses.models import Medication
from lowdose.web.diary.models import CheckIn


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("nora", "/dashboard/?q=a%00b"),
        ("phil", "/pharmacy/?q=a%00b"),
        ("phil", "/pharmacy/lots/?lot=a%00b"),
        ("anna", "/me/checkin/?date=%00"),
    ],
)
def test_a_search_with_a_nul_is_refused(client, people, who, url):
    person = getattr(people, who)
    client.force_login(getattr(person, "user", person))
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_form_with_a_nul_is_refused_and_stores_nothing(client, people):
    client.force_login(people.nora)
    response = client.post(f"/patients/{people.anna.pk}/medications/", {"name": "Tram\x00adol"})
    assert response.status_code == 400
    assert not Medication.objects.filter(name__startswith="Tram").exists()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_an_api_body_with_a_nul_is_refused_and_stores_nothing(client, people, today, content_type):
    token = ApiToken.issue(people.anna.user)
    response = client.post(
        "/api/checkins",
        json.dumps({"date": today.isoformat(), "note": "a\x00b"}),
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Text may not contain a NUL character.", "field": None}
    assert not CheckIn.objects.filter(date=today).exists()


def test_a_log_in_with_a_nul_is_refused(client, people):
    response = client.post(
        "/api/auth/token",
        {"username": "an\x00na", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_text_without_nul_passes(client, people):
    client.force_login(people.nora)
    assert client.get("/dashboard/?q=anna").status_code == 200
