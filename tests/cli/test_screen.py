"""``lowdose screen``: exit 3 when contraindicated, 0 otherwise, 2 for usage errors."""

import json

from typer.testing import CliRunner

from lowdose.cli.main import app

runner = CliRunner()


def test_contraindicated_list_exits_3_with_the_documented_json():
    result = runner.invoke(app, ["screen", "oxycodone/APAP 5/325", "levothyroxine", "--json"])
    assert result.exit_code == 3, result.output
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "contraindicated"
    assert payload["unknown"] == []
    first = payload["findings"][0]
    assert first["input"] == "oxycodone/APAP 5/325"
    assert first["ingredients"] == ["oxycodone", "paracetamol"]
    assert first["class"] == "opioid agonist"
    assert first["severity"] == "contraindicated"
    assert first["confidence"] == "1"
    assert first["reason"]
    assert "DailyMed" in first["source"]
    assert payload["findings"][1]["severity"] == "caution"


def test_clear_list_exits_0():
    result = runner.invoke(app, ["screen", "Panadol 500mg", "ibuprofen", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "clear"


def test_unknown_names_make_it_caution_not_clear():
    result = runner.invoke(app, ["screen", "Zzyzx tonic", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload == {"verdict": "caution", "findings": [], "unknown": ["Zzyzx tonic"]}


def test_text_output_says_did_you_mean_and_unknown():
    result = runner.invoke(app, ["screen", "trammadol", "Zzyzx tonic"])
    assert result.exit_code == 3
    assert "did you mean tramadol?" in result.stdout
    assert "UNKNOWN" in result.stdout
    assert "written override" in result.stdout


def test_kratom_and_tylenol_3():
    result = runner.invoke(app, ["screen", "kratom powder", "Tylenol with codeine #3", "--json"])
    assert result.exit_code == 3
    found = [set(f["ingredients"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [{"kratom"}, {"codeine", "paracetamol"}]


def test_no_medication_is_a_usage_error():
    result = runner.invoke(app, ["screen"])
    assert result.exit_code == 2


def test_blank_medications_are_refused_without_a_traceback():
    result = runner.invoke(app, ["screen", " ", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr) == {
        "error": "Enter at least one medication to screen.",
        "field": "medications",
    }
    assert "Traceback" not in result.output
