"""`lowdose card PATIENT --pdf FILE` writes the opioid-alert card."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app
from tests.builders import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_card_by_username(people, tmp_path):
    target = tmp_path / "anna.pdf"
    result = CliRunner().invoke(app, ["card", "anna", "--pdf", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"patient": "anna", "pdf": str(target)}
    text = pdf_text(target)
    assert "Anna Archer" in text
    assert "4.5 mg once daily" in text


def test_the_card_by_record_number(people, tmp_path):
    result = CliRunner().invoke(app, ["card", "S-1", "--pdf", str(tmp_path / "s.pdf")])
    assert result.exit_code == 0, result.output
    assert "Sara Stone" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nobody", "--pdf", "x.pdf"], "No patient has"),
        (["anna", "--pdf", "card.txt"], "does not end in .pdf"),
        (["anna", "--pdf", "/nonexistent-dir/card.pdf"], "Cannot write"),
        (["ben", "--pdf", "ben.pdf"], "has no LDN course"),
    ],
)
def test_bad_input_is_refused_with_exit_2(people, args, words):
    result = CliRunner().invoke(app, ["card", *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_a_record_number_in_two_clinics_needs_the_clinic(people, tmp_path):
    people.sara.record_number = "N-1"
    people.sara.save()
    result = CliRunner().invoke(app, ["card", "N-1", "--pdf", str(tmp_path / "c.pdf")])
    assert result.exit_code == 2
    assert "add --clinic" in result.stderr
    ok = CliRunner().invoke(
        app, ["card", "N-1", "--clinic", "south", "--pdf", str(tmp_path / "c.pdf")]
    )
    assert ok.exit_code == 0
    assert "Sara Stone" in ok.stdout
