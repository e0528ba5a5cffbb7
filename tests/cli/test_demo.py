"""`lowdose demo` fills the database with a realistic, reproducible clinic."""

import json

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app
from lowdose.web.accounts.models import User
from lowdose.web.courses.models import Course, Medication, Patient, SimulatedTruth
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import schedules
from lowdose.web.outcomes.models import Alert, QuestionnaireResponse, StandTest

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


def _clinic_rows() -> dict[str, list]:
    """What a seed decides: the check-ins, questionnaires and stand tests, by record number."""
    order = ("patient__record_number", "date", "pk")
    return {
        "checkins": list(
            CheckIn.objects.order_by(*order).values_list(
                "patient__record_number", "date", "pain", "fatigue"
            )
        ),
        "questionnaires": list(
            QuestionnaireResponse.objects.order_by(*order).values_list(
                "patient__record_number", "instrument", "date", "answers", "total"
            )
        ),
        "stand_tests": list(
            StandTest.objects.order_by(*order).values_list(
                "patient__record_number", "date", "readings", "max_delta_hr"
            )
        ),
    }


def test_the_same_seed_gives_the_same_clinic():
    run_demo("--patients", "12", "--days", "120", "--seed", "7")
    first = _clinic_rows()
    run_demo("--patients", "12", "--days", "120", "--seed", "7")
    again = _clinic_rows()
    assert first == again
    assert all(first.values())  # every kind of row is there to compare
    assert Course.objects.count() == 12  # replaced, not added
    run_demo("--patients", "12", "--days", "120", "--seed", "8")
    other = _clinic_rows()
    assert other["questionnaires"] != first["questionnaires"]
    assert other["stand_tests"] != first["stand_tests"]


def test_the_default_demo_has_a_minority_of_questionnaires_overdue():
    """Most patients fill in their questionnaires: the overdue alert is for a few, not for all;
    and each alert raised is one the course's schedule calls for."""
    run_demo()  # the size `lowdose demo` and `scripts/start` load
    overdue = Alert.objects.open().filter(kind="questionnaire_overdue")
    raised = {(a.patient_id, a.day, a.detail) for a in overdue}
    expected = set()
    for patient in Patient.objects.all():
        for name, due in schedules.overdue(patient.current_course(), patient.local_today()):
            expected.add((patient.pk, due, f"{name} was due on {due:%d %b %Y}."))
    assert raised == expected
    share = len({patient for patient, _, _ in raised}) / Patient.objects.count()
    assert 0 < share < 0.25
    filled = QuestionnaireResponse.objects.values("patient").distinct().count()
    assert filled > 0.75 * Patient.objects.count()


def test_keep_existing_leaves_the_clinic_alone():
    out = run_demo("--patients", "5", "--days", "30")
    kept = run_demo("--patients", "9", "--keep-existing")
    assert kept["patients"] == 5
    assert kept["users"] == out["users"]


def test_impossible_sizes_are_refused():
    result = CliRunner().invoke(app, ["demo", "--patients", "1"])
    assert result.exit_code == 2
