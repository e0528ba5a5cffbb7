"""``lowdose score``: in-process through Typer's runner."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app

runner = CliRunner()


@pytest.fixture
def answers_file(tmp_path):
    def write(data):
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(data) if not isinstance(data, str) else data)
        return str(path)

    return write


FIQR_ANSWERS = (
    {f"f{n}": 3 for n in range(1, 10)}  # 27 / 3 = 9
    | {"o1": 5, "o2": 5}  # 10
    | {f"s{n}": 4 for n in range(1, 11)}  # 40 / 2 = 20
)


def test_score_json(answers_file):
    result = runner.invoke(
        app, ["score", "fiqr", "--answers", answers_file(FIQR_ANSWERS), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["instrument"] == "fiqr"
    assert payload["total"] == 39  # 9 + 10 + 20
    assert payload["domains"] == {"function": 9, "overall_impact": 10, "symptoms": 20}
    assert payload["interpretation"] is None
    assert payload["missing"] == []


def test_score_json_keeps_two_decimals(answers_file):
    answers = FIQR_ANSWERS | {"f1": 4}  # function 28 / 3 = 9.33
    result = runner.invoke(app, ["score", "fiqr", "--answers", answers_file(answers), "--json"])
    assert json.loads(result.stdout)["domains"]["function"] == 9.33
    assert json.loads(result.stdout)["total"] == 39.33


def test_score_text(answers_file):
    result = runner.invoke(app, ["score", "pgic", "--answers", answers_file({"change": 2})])
    assert result.exit_code == 0
    assert "total 2" in result.stdout
    assert "much improved" in result.stdout


def test_score_reports_allowed_missing_items(answers_file):
    answers = FIQR_ANSWERS | {"f1": None}
    result = runner.invoke(app, ["score", "fiqr", "--answers", answers_file(answers), "--json"])
    assert json.loads(result.stdout)["missing"] == ["f1"]


def test_acr_findings_are_in_the_json(answers_file):
    sites = ["shoulder_left", "upper_arm_right", "hip_left", "hip_right", "neck", "lower_back"]
    answers = {
        site: int(site in sites)
        for site in [*sites, "jaw_left", "jaw_right", "chest", "abdomen", "upper_back"]
    }
    no_pain = ["upper_arm_left", "lower_arm_left", "shoulder_right", "lower_arm_right"]
    no_pain += ["upper_leg_left", "lower_leg_left", "upper_leg_right", "lower_leg_right"]
    answers |= dict.fromkeys(no_pain, 0)
    answers |= {"fatigue": 3, "unrefreshed": 3, "cognitive": 3, "headaches": 0}
    answers |= {"lower_abdominal": 0, "depression": 0, "three_months": 1}
    result = runner.invoke(app, ["score", "acr2016", "--answers", answers_file(answers), "--json"])
    payload = json.loads(result.stdout)
    # WPI 6, SSS 9: the WPI 4-6 branch needs SSS >= 9 -> met
    assert payload["domains"]["wpi"] == 6
    assert payload["findings"] == {"acr_2016_criteria_met": True}


def test_invalid_answer_exits_2_naming_the_item(answers_file):
    result = runner.invoke(app, ["score", "pgic", "--answers", answers_file({"change": 9})])
    assert result.exit_code == 2
    assert "change" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_answer_json_error(answers_file):
    path = answers_file({"change": 9})
    result = runner.invoke(app, ["score", "pgic", "--answers", path, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr)["field"] == "change"


def test_missing_items_exit_2(answers_file):
    result = runner.invoke(app, ["score", "fss", "--answers", answers_file({"i1": 3})])
    assert result.exit_code == 2
    assert "i9" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "phq9", "--answers", "x.json"], "no questionnaire called"),
        (["score", "pgic"], "--answers"),
        (["score"], "Name an instrument"),
        (["score", "pgic", "--answers", "does-not-exist.json"], "No answers file"),
    ],
)
def test_usage_errors(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_bad_answers_file(answers_file, content):
    result = runner.invoke(app, ["score", "pgic", "--answers", answers_file(content)])
    assert result.exit_code == 2
    assert "answers" in result.stderr


def test_list_json_shape():
    result = runner.invoke(app, ["score", "--list", "--json"])
    assert result.exit_code == 0
    listing = json.loads(result.stdout)
    by_id = {entry["id"]: entry for entry in listing}
    assert set(by_id) == {
        "acr2016", "compass31", "daily_ratings", "fatigue_vas", "fiqr", "fss", "pgic",
    }  # fmt: skip
    compass = by_id["compass31"]
    assert set(compass) == {"id", "name", "items"}
    assert compass["items"][1] == {
        "id": "q02",
        "options": [
            {"value": 1, "points": 0},
            {"value": 2, "points": 1},
            {"value": 3, "points": 2},
            {"value": 4, "points": 3},
        ],
    }
    assert len(by_id["fatigue_vas"]["items"][0]["options"]) == 101


def test_list_text():
    result = runner.invoke(app, ["score", "--list"])
    assert result.exit_code == 0
    assert "compass31: COMPASS-31" in result.stdout
    assert "0–100" in result.stdout
