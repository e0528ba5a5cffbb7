"""`lowdose demo` fills the database with a realistic, reproducible clinic."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app
from lowdose.web.accounts.models import User
from lowdose.web.courses.models import Course, Medication, Patient, SimulatedTruth
from lowdose.web.diary.models import CheckIn

pytestmark = pytest.mark.django_db(transaction=True)


def run_demo(*args):
    result = CliRunner().invoke(app, ["demo", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_demo_clinic_has_every_role_and_realistic_data():
    out = run_demo("--patients", "30", "--days", "120", "--seed", "3")
    roles = [u["role"] for u in out["users"]]
    assert roles[:2] == ["patient", "patient"]
    assert {"clinician", "pharmacist", "researcher", "admin"} <= set(roles)
    assert out["patients"] == Patient.objects.count() == 30
    assert out["checkins"] == CheckIn.objects.count() > 30 * 6 * 7 * 0.8
    assert SimulatedTruth.objects.count() == 30
    first = Patient.objects.get(user__username=out["users"][0]["username"])
    assert first.checkins.exists()
    assert first.current_course().dose_changes.exists()
    opioid = Medication.objects.filter(name__icontains="tramadol")
    assert opioid.count() == 1


def test_the_printed_log_ins_work():
    out = run_demo("--patients", "5", "--days", "30")
    for user in out["users"]:
        assert User.objects.get(username=user["username"]).check_password(user["password"])


def test_the_same_seed_gives_the_same_clinic():
    run_demo("--patients", "6", "--days", "40", "--seed", "7")
    first = list(
        CheckIn.objects.order_by("patient__record_number", "date").values_list(
            "patient__record_number", "date", "pain", "fatigue"
        )
    )
    run_demo("--patients", "6", "--days", "40", "--seed", "7")
    again = list(
        CheckIn.objects.order_by("patient__record_number", "date").values_list(
            "patient__record_number", "date", "pain", "fatigue"
        )
    )
    assert first == again
    assert Course.objects.count() == 6  # replaced, not added


def test_keep_existing_leaves_the_clinic_alone():
    out = run_demo("--patients", "5", "--days", "30")
    kept = run_demo("--patients", "9", "--keep-existing")
    assert kept["patients"] == 5
    assert kept["users"] == out["users"]


def test_impossible_sizes_are_refused():
    result = CliRunner().invoke(app, ["demo", "--patients", "1"])
    assert result.exit_code == 2
