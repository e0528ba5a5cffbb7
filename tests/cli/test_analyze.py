"""`lowdose analyze`: CSV in, evaluation out (one patient or a batch)."""

import csv
import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from lowdose.analysis import Phase, design_trial, trial_to_dict
from lowdose.cli.main import app

START = dt.date(2025, 2, 1)


def _open_rows(patient=None, effect=-2.0, seed=1, n_base=21, n_maint=42):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_base + n_maint):
        treated = i >= n_base
        pain = 6 + (effect if treated else 0) + rng.normal(0, 0.8)
        row = {
            "date": (START + dt.timedelta(days=i)).isoformat(),
            "phase": "maintenance" if treated else "baseline",
            "pain": "" if i % 11 == 5 else f"{min(max(pain, 0), 10):.1f}",
            "steps": f"{4000 + (1500 if treated else 0) + rng.normal(0, 600):.0f}",
        }
        if patient is not None:
            row = {"patient": patient, **row}
        rows.append(row)
    return rows


def _write(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args):
    return CliRunner().invoke(app, ["analyze", *map(str, args)])


def test_open_course_json(tmp_path):
    path = _write(tmp_path / "course.csv", _open_rows())
    result = run(path, "--outcome", "pain", "--json")
    assert result.exit_code == 0, result.output
    (pain,) = json.loads(result.stdout)
    assert pain["outcome"] == "pain"
    assert pain["effect"]["estimate"] < 0
    assert pain["effect"]["ci_low"] < pain["effect"]["estimate"] < pain["effect"]["ci_high"]
    assert 0 <= pain["nap"]["value"] <= 1
    assert pain["responder"] in {"substantial", "moderate", "none", "inconclusive"}
    assert "p_randomization" not in pain
    assert any(c["code"] == "open_label" for c in pain["caveats"])
    assert result.stderr == ""


def test_other_columns_take_direction_and_mcid_from_options(tmp_path):
    path = _write(tmp_path / "course.csv", _open_rows())
    result = run(path, "--outcome", "steps", "--better", "higher", "--mcid", "500", "--json")
    assert result.exit_code == 0, result.output
    (steps,) = json.loads(result.stdout)
    assert steps["effect"]["estimate"] > 0
    assert steps["mcid"] == 500
    assert steps["percent_improvement"] > 0


def test_human_output_has_the_summary(tmp_path):
    path = _write(tmp_path / "course.csv", _open_rows())
    result = run(path, "--outcome", "pain")
    assert result.exit_code == 0
    assert "Your pain averaged" in result.stdout
    assert "NAP" in result.stdout


def _blinded_rows(trial, effect=-2.0):
    rng = np.random.default_rng(4)
    rows = []
    for period in trial.periods:
        for day in range(period.first_day, period.last_day + 1):
            washout = day < period.first_analysed_day
            pain = 6 + (effect if period.arm is Phase.LDN else 0) + rng.normal(0, 0.6)
            rows.append(
                {
                    "date": (START + dt.timedelta(days=day)).isoformat(),
                    "phase": "washout" if washout else period.arm.value,
                    "pain": f"{pain:.1f}",
                }
            )
    return rows


def test_blinded_with_trial_file_reports_the_randomization_test(tmp_path):
    trial = design_trial(5, 10, 2, seed=12)
    trial_path = tmp_path / "trial.json"
    trial_path.write_text(json.dumps(trial_to_dict(trial)))
    path = _write(tmp_path / "trial.csv", _blinded_rows(trial))
    result = run(path, "--outcome", "pain", "--design", "blinded", "--trial", trial_path, "--json")
    assert result.exit_code == 0, result.output
    (pain,) = json.loads(result.stdout)
    assert pain["p_randomization"] == pytest.approx(1 / 32)


def test_blinded_without_trial_file(tmp_path):
    trial = design_trial(3, 10, 2, seed=12)
    path = _write(tmp_path / "trial.csv", _blinded_rows(trial))
    result = run(path, "--design", "blinded", "--json")
    assert result.exit_code == 0, result.output
    (pain,) = json.loads(result.stdout)
    assert pain["p_randomization"] is None


def test_trial_file_that_does_not_match(tmp_path):
    trial = design_trial(3, 10, 2, seed=12)
    other = next(
        t for t in (design_trial(3, 10, 2, seed=s) for s in range(60)) if t.periods != trial.periods
    )
    trial_path = tmp_path / "trial.json"
    trial_path.write_text(json.dumps(trial_to_dict(other)))
    path = _write(tmp_path / "trial.csv", _blinded_rows(trial))
    result = run(path, "--design", "blinded", "--trial", trial_path)
    assert result.exit_code == 2
    assert "trial schedule says" in result.stderr
    assert "Traceback" not in result.output


def test_batch_mode_analyses_each_patient(tmp_path):
    rows = _open_rows("p1", seed=1) + _open_rows("p2", effect=0.0, seed=2)
    rows += [{**r, "phase": "maintenance"} for r in _open_rows("p3", seed=3)]
    path = _write(tmp_path / "clinic.csv", rows)
    result = run(path, "--outcome", "pain", "--workers", "1", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["patient"] for e in entries] == ["p1", "p2", "p3"]
    assert entries[0]["effect"]["estimate"] < entries[1]["effect"]["estimate"]
    assert "baseline" in entries[2]["error"]


def test_batch_mode_in_parallel_matches_serial(tmp_path):
    rows = [r for k in range(4) for r in _open_rows(f"p{k}", seed=k)]
    path = _write(tmp_path / "clinic.csv", rows)
    serial = json.loads(run(path, "--outcome", "pain", "--workers", "1", "--json").stdout)
    parallel = json.loads(run(path, "--outcome", "pain", "--workers", "2", "--json").stdout)
    assert parallel == serial


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"date": "2025-01-01", "phase": "baseline", "pain": "5"}], "only 1 recorded"),
        ([{"date": "2025-01-01", "phase": "holiday", "pain": "5"}], "Unknown phase 'holiday'"),
        (
            [
                {"date": "2025-01-02", "phase": "baseline", "pain": "5"},
                {"date": "2025-01-01", "phase": "baseline", "pain": "5"},
            ],
            "out of order",
        ),
        ([{"date": "2025-01-01", "phase": "baseline", "pain": "12"}] * 1, "outside 0–10"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, rows, message):
    extra = [
        {
            "date": (dt.date(2025, 3, 1) + dt.timedelta(days=i)).isoformat(),
            "phase": "maintenance",
            "pain": str(i % 4),
        }
        for i in range(10)
    ]
    path = _write(tmp_path / "bad.csv", rows + extra)
    result = run(path, "--outcome", "pain")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_and_column(tmp_path):
    assert "No file" in run(tmp_path / "nope.csv").stderr
    path = _write(tmp_path / "course.csv", _open_rows())
    result = run(path, "--outcome", "fatigue", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"] == "The file has no column 'fatigue'."


def test_quoted_csv_cells_are_parsed_as_csv(tmp_path):
    rows = _open_rows('Doe, "Jane"')
    path = _write(tmp_path / "quoted.csv", rows)
    assert '"' in path.read_text()
    result = run(path, "--outcome", "pain", "--workers", "1", "--json")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)
    assert entry["patient"] == 'Doe, "Jane"'


def test_cells_with_spaces_and_a_medication_change_column(tmp_path):
    rows = _open_rows()
    for i, row in enumerate(rows):
        row["pain"] = f" {row['pain']} " if row["pain"] else ""
        row["medication_change"] = "started propranolol" if i == 10 else ""
    path = _write(tmp_path / "spaces.csv", rows)
    result = run(path, "--outcome", "pain", "--json")
    assert result.exit_code == 0, result.output
    (pain,) = json.loads(result.stdout)
    assert any(c["code"] == "medication_change" for c in pain["caveats"])


def test_batch_mode_prints_one_line_per_patient_and_keeps_stdout_clean(tmp_path):
    rows = _open_rows("p1", seed=1) + _open_rows("p2", seed=2)
    path = _write(tmp_path / "clinic.csv", rows)
    result = run(path, "--outcome", "pain", "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["p1", "p2"]
    assert "Analysing" not in result.stdout
