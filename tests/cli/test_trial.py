"""`lowdose trial design`: the randomized schedule and what the design can show."""

import json

from typer.testing import CliRunner

from lowdose.cli.main import app


def run(*args):
    return CliRunner().invoke(app, ["trial", "design", *args])


def test_json_trial_file_with_schedule_and_smallest_p_value():
    result = run(
        "--pairs", "5", "--block-days", "14", "--washout-days", "3", "--seed", "7", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "lowdose-nof1-trial"
    assert data["seed"] == 7
    assert data["min_p_value"] == 1 / 32
    assert len(data["periods"]) == 10
    assert {p["arm"] for p in data["periods"][:2]} == {"ldn", "placebo"}


def test_same_seed_same_schedule():
    first = run("--pairs", "4", "--block-days", "7", "--seed", "3", "--json").stdout
    assert run("--pairs", "4", "--block-days", "7", "--seed", "3", "--json").stdout == first


def test_two_pairs_are_said_to_be_too_few():
    result = run("--pairs", "2", "--block-days", "14", "--seed", "1")
    assert result.exit_code == 0
    assert "0.25" in result.stdout
    assert "cannot show an effect" in result.stdout
    assert "at least 5 pairs" in result.stdout


def test_impossible_design_exits_2_without_traceback():
    result = run("--pairs", "3", "--block-days", "7", "--washout-days", "7", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["field"] == "washout_days"
    assert "Traceback" not in result.output
