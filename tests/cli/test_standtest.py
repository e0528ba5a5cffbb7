"""``lowdose standtest``: in-process through Typer's runner."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app

runner = CliRunner()

HEADER = "minute,position,hr,sbp,dbp\n"


def csv_file(tmp_path, rows):
    path = tmp_path / "stand.csv"
    path.write_text(HEADER + "".join(f"{','.join(map(str, row))}\n" for row in rows))
    return str(path)


def full_test(rise):
    """Supine minutes 0-1 at 60 bpm and 120/80, standing minutes 2-11 at 60 + rise."""
    rows = [(0, "supine", 60, 120, 80), (1, "supine", 60, 120, 80)]
    return rows + [(m, "standing", 60 + rise, 118, 79) for m in range(2, 12)]


def test_json_for_a_test_meeting_the_adult_criterion(tmp_path):
    result = runner.invoke(
        app, ["standtest", csv_file(tmp_path, full_test(32)), "--age", "34", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {
        key: payload[key]
        for key in (
            "baseline_hr", "max_delta_hr", "max_delta_minute", "sustained",
            "orthostatic_hypotension", "pots_hr_criterion_met", "complete", "notes",
        )
    } == {
        "baseline_hr": 60,
        "max_delta_hr": 32,
        "max_delta_minute": 2,
        "sustained": True,
        "orthostatic_hypotension": False,
        "pots_hr_criterion_met": True,
        "complete": True,
        "notes": [],
    }  # fmt: skip


def test_the_same_rise_does_not_meet_the_adolescent_criterion(tmp_path):
    path = csv_file(tmp_path, full_test(32))
    payload = json.loads(runner.invoke(app, ["standtest", path, "--age", "16", "--json"]).stdout)
    assert payload["pots_hr_criterion_met"] is False
    assert payload["hr_threshold_bpm"] == 40


def test_text_output_says_it_is_not_a_diagnosis(tmp_path):
    result = runner.invoke(app, ["standtest", csv_file(tmp_path, full_test(32)), "--age", "34"])
    assert result.exit_code == 0
    assert "Meets the POTS heart-rate criterion (rise of 30 bpm or more): yes" in result.stdout
    assert "not a diagnosis" in result.stdout


def test_short_test_is_reported_incomplete(tmp_path):
    rows = full_test(10)[:6]  # standing minutes 1-4 only
    result = runner.invoke(app, ["standtest", csv_file(tmp_path, rows), "--age", "34", "--json"])
    payload = json.loads(result.stdout)
    assert payload["complete"] is False
    assert payload["pots_hr_criterion_met"] is None
    assert any("too short" in note for note in payload["notes"])


@pytest.mark.parametrize(
    ("row", "field"),
    [((2, "standing", 0, 118, 79), "hr"), ((2, "standing", 90, 70, 80), "sbp")],
)
def test_impossible_values_exit_2(tmp_path, row, field):
    rows = full_test(10)
    rows[2] = row
    result = runner.invoke(app, ["standtest", csv_file(tmp_path, rows), "--age", "34", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr)["field"] == field


def test_missing_file_and_missing_age(tmp_path):
    result = runner.invoke(app, ["standtest", str(tmp_path / "none.csv"), "--age", "30"])
    assert result.exit_code == 2
    assert "No CSV file" in result.stderr
    assert runner.invoke(app, ["standtest", csv_file(tmp_path, full_test(0))]).exit_code == 2
