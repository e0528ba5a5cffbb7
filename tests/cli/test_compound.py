"""``lowdose compound liquid|capsules``: worksheets as JSON and text, bad input exits 2."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app

runner = CliRunner()


def test_liquid_from_tablets_json():
    result = runner.invoke(
        app,
        ["compound", "liquid", "--dose", "4.5", "--tablet-mg", "50", "--tablet-count", "1",
         "--volume-ml", "50", "--graduation-ml", "0.2", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {k: payload[k] for k in (
        "concentration_mg_per_ml", "volume_per_dose_ml", "delivered_dose_mg",
        "rounding_error_pct", "beyond_use_days",
    )} == {
        "concentration_mg_per_ml": "1",
        "volume_per_dose_ml": "4.5",
        "delivered_dose_mg": "4.6",
        "rounding_error_pct": "2.22",
        "beyond_use_days": 14,
    }  # fmt: skip
    assert payload["storage"].startswith("Refrigerator")
    assert "USP" in payload["source"]


def test_liquid_from_powder_preserved_text():
    result = runner.invoke(
        app,
        ["compound", "liquid", "--dose", "1.5", "--powder-mg", "100", "--volume-ml", "100",
         "--preserved"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 mg/mL" in result.stdout
    assert "35 days" in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--dose", "1.5", "--tablet-count", "1", "--volume-ml", "50"], "tablet_mg"),
        (["--dose", "1.5", "--tablet-mg", "50", "--tablet-count", "1", "--volume-ml", "0"],
         "volume_ml"),
        (["--dose", "1.5", "--tablet-mg", "50", "--tablet-count", "1", "--volume-ml", "-3"],
         "volume_ml"),
        (["--dose", "0", "--tablet-mg", "50", "--tablet-count", "1", "--volume-ml", "50"], "dose"),
        (["--dose", "1.5", "--tablet-mg", "50", "--tablet-count", "1", "--volume-ml", "50",
          "--graduation-ml", "2"], "graduation_ml"),
        (["--dose", "1.5", "--tablet-mg", "abc", "--tablet-count", "1", "--volume-ml", "50"],
         "tablet_mg"),
        (["--dose", "1.5", "--powder-mg", "NaN", "--volume-ml", "50"], "powder_mg"),
        (["--dose", "50", "--tablet-mg", "50", "--tablet-count", "2", "--volume-ml", "50"], "dose"),
    ],
)  # fmt: skip
def test_bad_liquid_input_names_the_field(args, field):
    result = runner.invoke(app, ["compound", "liquid", *args, "--json"])
    assert result.exit_code == 2, result.output
    assert json.loads(result.stderr)["field"] == field


def test_capsules_for_a_plan_file(tmp_path):
    planned = runner.invoke(
        app,
        ["plan", "--start", "1.5", "--step", "1.5", "--every", "14", "--target", "4.5",
         "--start-date", "2026-01-05", "--json"],
    )  # fmt: skip
    path = tmp_path / "plan.json"
    path.write_text(planned.stdout)
    result = runner.invoke(app, ["compound", "capsules", "--plan", str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["totals"] == [
        {"capsule_mg": "1.5", "capsules": 14},
        {"capsule_mg": "3", "capsules": 14},
        {"capsule_mg": "4.5", "capsules": 14},
    ]
    assert payload["beyond_use_days"] == 180


def test_capsules_for_a_dose_with_stock_strengths_text():
    result = runner.invoke(
        app,
        ["compound", "capsules", "--dose", "4.5", "--days", "30", "--strength", "1.5",
         "--strength", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "30 x 1.5 mg capsules" in result.stdout
    assert "30 x 3 mg capsules" in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--dose", "4.5"], "days"),
        (["--dose", "4.5", "--days", "0"], "days"),
        ([], "dose"),
        (["--dose", "4.5", "--days", "30", "--plan", "x.json"], "plan"),
        (["--plan", "does-not-exist.json"], "plan"),
        (["--dose", "4.5", "--days", "30", "--strength", "2"], "strengths"),
    ],
)
def test_bad_capsule_input_names_the_field(args, field):
    result = runner.invoke(app, ["compound", "capsules", *args, "--json"])
    assert result.exit_code == 2, result.output
    assert json.loads(result.stderr)["field"] == field


def test_a_plan_file_that_is_not_json(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("not json")
    result = runner.invoke(app, ["compound", "capsules", "--plan", str(path)])
    assert result.exit_code == 2
    assert "not a JSON plan file" in result.stderr


def test_warnings_are_printed():
    long = runner.invoke(app, ["compound", "capsules", "--dose", "4.5", "--days", "200"])
    assert long.exit_code == 0
    assert "Warning:" in long.stdout
    strong = runner.invoke(
        app,
        ["compound", "liquid", "--dose", "4.5", "--tablet-mg", "50", "--tablet-count", "3",
         "--volume-ml", "1", "--graduation-ml", "0.01"],
    )  # fmt: skip
    assert strong.exit_code == 0
    assert "solubility" in strong.stdout


def test_a_bad_stock_strength_names_the_field():
    result = runner.invoke(
        app, ["compound", "capsules", "--dose", "4.5", "--days", "3", "--strength", "abc", "--json"]
    )
    assert result.exit_code == 2
    assert json.loads(result.stderr)["field"] == "strengths"
