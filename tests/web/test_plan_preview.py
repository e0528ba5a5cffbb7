"""The live preview of a titration plan: the steps as the clinician types, nothing stored."""

import pytest

from lowdose.web.courses.models import Course, DoseChange


@pytest.fixture
def nora(client, people):
    client.force_login(people.nora)
    return client


def _query(**overrides):
    params = {
        "start": "1.5",
        "step": "1.5",
        "every": "14",
        "target": "4.5",
        "ceiling": "6",
        "form": "capsule",
        "time": "bedtime",
        "start_date": "2027-01-04",
        "baseline_start": "2026-12-21",
    }
    params.update(overrides)
    return params


def test_the_preview_shows_the_steps_and_stores_nothing(nora, people):
    before = (Course.objects.count(), DoseChange.objects.count())
    response = nora.get(f"/patients/{people.ben.pk}/start/preview/", _query())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Steps of this plan" in body
    assert "<html" not in body
    assert (Course.objects.count(), DoseChange.objects.count()) == before


def test_an_unfinished_plan_says_what_is_missing(nora, people):
    response = nora.get(f"/patients/{people.ben.pk}/start/preview/", {"start": "1.5"})
    assert "No schedule yet" in response.content.decode()


@pytest.mark.parametrize("name", ["sam", "phil", "rita"])
def test_only_her_clinician_may_preview(client, people, name):
    client.force_login(getattr(people, name))
    assert client.get(f"/patients/{people.ben.pk}/start/preview/").status_code == 404


def test_the_start_page_asks_for_the_preview_as_you_type(nora, people):
    page = nora.get(f"/patients/{people.ben.pk}/start/").content.decode()
    assert f'hx-get="/patients/{people.ben.pk}/start/preview/"' in page
    assert 'aria-live="polite"' in page
