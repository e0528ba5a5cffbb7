"""The opioid-alert card, the surgery letter and the evidence library."""

import io

import pytest
from pypdf import PdfReader

from tests.builders import pdf_text, write_diary


def _pdf_text(response) -> str:
    """The PDF's text with line breaks folded into spaces, as a reader would see it."""
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


@pytest.fixture
def north_phone(people):
    people.north.phone = "+44 20 7946 0001"
    people.north.save()


def test_the_patient_downloads_her_card(client, people, north_phone):
    client.force_login(people.anna.user)
    text = _pdf_text(client.get("/me/card.pdf"))
    assert "LOW-DOSE NALTREXONE" in text
    assert "Anna Archer" in text
    assert "4.5 mg once daily" in text
    assert "Do not start opioids" in text
    assert "Nora North" in text
    assert "+44 20 7946 0001" in text


def test_the_card_is_wallet_sized_with_two_sides(client, people):
    client.force_login(people.anna.user)
    reader = PdfReader(io.BytesIO(client.get("/me/card.pdf").content))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    mm = 25.4 / 72
    assert round(float(box.width) * mm, 1) == 85.6
    assert round(float(box.height) * mm, 1) == 54.0


def test_the_surgery_letter_gives_the_hold_and_restart_windows_with_sources(client, people):
    client.force_login(people.nora)
    text = _pdf_text(client.get(f"/patients/{people.anna.pk}/surgery-letter.pdf"))
    assert "Stop LDN 3 full days before" in text
    assert "7–10" in text
    assert "10–14" in text
    assert "LDN Research Trust" in text
    assert "decision support" in text


@pytest.mark.parametrize(
    ("name", "path", "status"),
    [
        ("sam", "/patients/{anna}/card.pdf", 404),
        ("phil", "/patients/{anna}/card.pdf", 404),
        ("anna", "/patients/{anna}/card.pdf", 404),
        ("sam", "/patients/{anna}/surgery-letter.pdf", 404),
        ("rita", "/patients/{anna}/surgery-letter.pdf", 404),
        ("nora", "/me/card.pdf", 404),
        ("ben", "/me/card.pdf", 404),  # no course: a card saying he takes LDN would be false
    ],
)
def test_documents_only_for_those_who_may_see_the_patient(client, people, name, path, status):
    person = getattr(people, name)
    client.force_login(getattr(person, "user", person))
    assert client.get(path.format(anna=people.anna.pk)).status_code == status


def test_documents_need_a_log_in(client, people):
    assert client.get("/me/card.pdf").status_code == 302
    assert client.get("/evidence/").status_code == 302


def test_the_evidence_library_lists_studies_with_citations(client, people):
    client.force_login(people.anna.user)
    index = client.get("/evidence/").content.decode()
    assert "Fibromyalgia" in index
    page = client.get("/evidence/fibromyalgia/").content.decode()
    assert "Lancet Rheumatol 2024" in page
    assert "99 participants" in page
    pots = client.get("/evidence/pots/").content.decode()
    assert "benefit is unproven" in pots


def test_an_unknown_condition_is_404(client, people):
    client.force_login(people.anna.user)
    assert client.get("/evidence/hiccups/").status_code == 404


def test_the_course_report_pdf_holds_dose_history_and_outcomes(client, people, today):
    # baseline (worse) and maintenance (better) pain, enough to compare
    write_diary(people, today, "pain", 7, 3, days=range(8, 75))
    client.force_login(people.nora)
    text = _pdf_text(client.get(f"/patients/{people.anna.pk}/report.pdf"))
    assert "Low-dose naltrexone (LDN) course report" in text
    assert "Anna Archer" in text
    assert "1.5 mg" in text
    assert "3 mg" in text
    assert "4.5 mg" in text
    # pain 7 or 8 before LDN (mean 7.5), 3 or 4 on maintenance (mean 3.8): about 49% better
    assert "Pain 7.5 3.8 -3.69 (-4.21 to -3.16) moderate" in text
    assert "Fatigue (main) 7 more baseline days with a fatigue rating are needed" in text
    assert "Propranolol 10 mg" in text
    assert "decision support" in text


def test_the_course_report_page_and_pdf_only_for_her_clinicians(client, people):
    for name in ("sam", "phil", "rita"):
        client.force_login(getattr(people, name))
        assert client.get(f"/patients/{people.anna.pk}/report/").status_code == 404
        assert client.get(f"/patients/{people.anna.pk}/report.pdf").status_code == 404
    client.force_login(people.anna.user)
    assert client.get(f"/patients/{people.anna.pk}/report/").status_code == 404
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/report/").content.decode()
    assert "/static/lowdose/report.css" in page
    assert "<style" not in page  # the page obeys the Content-Security-Policy
