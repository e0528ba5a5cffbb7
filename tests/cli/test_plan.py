"""``lowdose plan``: steps as JSON with decimal strings, warnings, calendar file, bad input."""

import json

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from lowdose.cli.main import app

runner = CliRunner()

BASE = ["plan", "--start", "1.5", "--step", "1.5", "--every", "14", "--target", "4.5"]


def test_json_steps():
    result = runner.invoke(app, [*BASE, "--start-date", "2026-01-05", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["steps"] == [
        {"from": "2026-01-05", "to": "2026-01-18", "dose_mg": "1.5"},
        {"from": "2026-01-19", "to": "2026-02-01", "dose_mg": "3"},
        {"from": "2026-02-02", "to": "2026-02-15", "dose_mg": "4.5"},
    ]
    assert payload["warnings"] == []


def test_units_and_options_are_read():
    result = runner.invoke(
        app,
        ["plan", "--start", "500 mcg", "--step", "0.5mg", "--every", "7", "--target", "6",
         "--start-date", "2026-01-05", "--form", "liquid", "--time", "morning", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["steps"][0]["dose_mg"] == "0.5"
    assert payload["steps"][-1]["dose_mg"] == "6"
    assert payload["form"] == "liquid"
    assert payload["time"] == "morning"
    assert any("above 4.5 mg" in w for w in payload["warnings"])


def test_text_output():
    result = runner.invoke(app, [*BASE, "--start-date", "2026-01-05"])
    assert result.exit_code == 0
    assert "2026-01-05 to 2026-01-18" in result.stdout
    assert "Then 4.5 mg daily" in result.stdout


def test_ics_file(tmp_path):
    path = tmp_path / "ldn.ics"
    result = runner.invoke(app, [*BASE, "--start-date", "2026-01-05", "--ics", str(path)])
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 6
    assert len(list(calendar.walk("VALARM"))) == 3


def test_ceiling_refusal_and_explicit_allowance():
    refused = runner.invoke(app, [*BASE[:-1], "7", "--json"])
    assert refused.exit_code == 2
    assert json.loads(refused.stderr)["field"] == "target"
    allowed = runner.invoke(app, [*BASE[:-1], "7", "--allow-above-ceiling", "--json"])
    assert allowed.exit_code == 0
    assert any("ceiling" in w for w in json.loads(allowed.stdout)["warnings"])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--start", "0", "--step", "1", "--every", "7", "--target", "4.5"], "start"),
        (["--start", "1", "--step", "5", "--every", "7", "--target", "4.5"], "step"),
        (["--start", "1", "--step", "1", "--every", "0", "--target", "4.5"], "every"),
        (["--start", "1", "--step", "1", "--every", "7", "--target", "50", "--ceiling", "60"],
         "target"),
        (["--start", "1,5", "--step", "1", "--every", "7", "--target", "4.5"], "start"),
        (["--start", "1", "--step", "1", "--every", "7", "--target", "4.5",
          "--start-date", "2026-13-01"], "start_date"),
        (["--start", "1", "--step", "1", "--every", "7", "--target", "4.5", "--form", "pill"],
         "form"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_exits_2(args, field):
    result = runner.invoke(app, ["plan", *args, "--json"])
    assert result.exit_code == 2, result.output
    assert json.loads(result.stderr)["field"] == field
    assert result.stdout == ""


def test_an_unwritable_calendar_is_a_user_error(tmp_path):
    result = runner.invoke(app, [*BASE, "--ics", str(tmp_path / "missing" / "x.ics")])
    assert result.exit_code == 2
    assert "Cannot write" in result.stderr


def test_warnings_are_printed_in_text():
    result = runner.invoke(app, [*BASE[:-1], "6", "--start-date", "2026-01-05"])
    assert result.exit_code == 0
    assert "Warning:" in result.stdout
