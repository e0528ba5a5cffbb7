"""`lowdose report`: one patient's course report, or every patient of a clinic."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app
from tests.builders import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args):
    return CliRunner().invoke(app, ["report", *args])


def test_one_patients_report(people, tmp_path):
    target = tmp_path / "anna.pdf"
    result = run("anna", "--pdf", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"reports": [str(target)]}
    text = pdf_text(target)
    assert "Anna Archer" in text
    assert "Dose history" in text


def test_every_patient_of_a_clinic(people, tmp_path):
    result = run("--clinic", "--clinic-slug", "north", "--pdf-dir", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["N-1.pdf", "N-2.pdf"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--clinic", "--pdf-dir", "x"), "Name one clinic"),
        (("--clinic",), "Use --clinic with --pdf-dir"),
        (("anna",), "Name a patient and --pdf"),
        (("nobody", "--pdf", "x.pdf"), "No patient has"),
        (("anna", "--pdf", "report.docx"), "does not end in .pdf"),
    ],
)
def test_bad_input_exits_2(people, args, words):
    result = run(*args)
    assert result.exit_code == 2
    assert words in result.stderr
