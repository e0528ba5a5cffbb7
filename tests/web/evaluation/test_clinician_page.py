"""The clinician's evaluation page: numbers per outcome, the main outcome setting, access."""

from __future__ import annotations

import re

import pytest

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.evaluation.models import MainOutcome


@pytest.fixture
def nora(client, anna_data):
    client.force_login(anna_data.nora)
    return anna_data


def test_the_clinician_sees_every_number_per_outcome(client, nora):
    page = client.get(f"/patients/{nora.anna.pk}/evaluation/").content.decode()
    assert "Main outcome: Fatigue" in page
    assert "product default" in page
    assert "NCT05363514" in page
    for words in ("95% CI", "AR(1) φ", "NAP", "sceptical prior", "flat prior", "Responder class",
                  "With a linear trend", "Caveats", "Methods", "nlme::gls"):  # fmt: skip
        assert words in page, words
    assert "Pain" in page
    assert "moderate" in page
    assert AuditEvent.objects.filter(actor=nora.nora, patient_id=nora.anna.pk).exists()


def test_the_patient_page_links_to_it(client, nora):
    page = client.get(f"/patients/{nora.anna.pk}/").content.decode()
    assert f'href="/patients/{nora.anna.pk}/evaluation/"' in page
    assert "Fatigue (main outcome)" in page


def test_the_clinician_chart(client, nora):
    response = client.get(f"/patients/{nora.anna.pk}/evaluation/pain.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    # dates as on the course chart: months and days, the year once, no ISO dates aslant
    drawn = response.content.decode().split("</desc>")[1]
    assert not re.search(r">\d{4}-\d\d-\d\d<", drawn)
    assert re.search(r">20\d\d<", drawn)


def test_the_clinician_changes_the_main_outcome(client, nora):
    response = client.post(
        f"/patients/{nora.anna.pk}/evaluation/main-outcome/", {"outcome": "pain"}, follow=True
    )
    assert MainOutcome.objects.get(course=nora.course).outcome == "pain"
    page = response.content.decode()
    assert "Main outcome: Pain" in page
    assert "chosen by Nora North" in page


def test_a_bad_main_outcome_is_refused_on_the_form(client, nora):
    response = client.post(
        f"/patients/{nora.anna.pk}/evaluation/main-outcome/", {"outcome": "steps"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MainOutcome.objects.exists()


@pytest.mark.parametrize("who", ["sam", "phil", "rita", "ada"])
def test_others_get_404(client, anna_data, who):
    client.force_login(getattr(anna_data, who))
    pk = anna_data.anna.pk
    assert client.get(f"/patients/{pk}/evaluation/").status_code == 404
    assert client.get(f"/patients/{pk}/evaluation/pain.svg").status_code == 404
    assert (
        client.post(f"/patients/{pk}/evaluation/main-outcome/", {"outcome": "pain"}).status_code
        == 404
    )
    assert not MainOutcome.objects.exists()


def test_the_patient_herself_gets_404_on_the_staff_page(client, anna_data):
    client.force_login(anna_data.anna.user)
    assert client.get(f"/patients/{anna_data.anna.pk}/evaluation/").status_code == 404


def test_a_patient_without_a_course(client, people):
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/evaluation/").content.decode()
    assert "No LDN course yet." in page
    assert client.post(f"/patients/{people.ben.pk}/evaluation/main-outcome/",
                       {"outcome": "pain"}).status_code == 404  # fmt: skip
