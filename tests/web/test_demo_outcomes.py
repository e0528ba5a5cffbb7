"""The demo clinic's questionnaires and stand tests: stored exactly as the forms store them, on
each course's schedule, and following each patient's simulated response."""

from collections import defaultdict

import pytest
from django.db import connection, transaction

from lowdose.instruments import load_instrument, score_instrument
from lowdose.standtest import analyse_stand_test
from lowdose.web.courses.models import Patient, SimulatedTruth
from lowdose.web.demo import _delete_demo_clinic, create_demo_clinic
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import records, schedules
from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest

pytestmark = pytest.mark.django_db

RESPONSE_FIELDS = (
    "patient_id", "course_id", "instrument", "definition_version", "date", "answers", "total",
    "domains", "findings", "interpretation", "missing", "skipped", "entered_by_id",
)  # fmt: skip
STAND_TEST_FIELDS = (
    "patient_id", "course_id", "date", "age_years", "readings", "symptoms", "baseline_hr",
    "max_delta_hr", "max_delta_standing_minute", "pots_hr_criterion_met",
    "orthostatic_hypotension", "complete", "result", "entered_by_id",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo clinic for the module (loading it takes seconds), removed afterwards."""
    with django_db_blocker.unblock():
        out = create_demo_clinic(seed=4, n_patients=60, n_days=240, progress=False)
    yield out
    with django_db_blocker.unblock(), transaction.atomic():  # foreign keys checked at commit
        _delete_demo_clinic()


def _fields(row, names):
    return {name: getattr(row, name) for name in names}


def test_the_planner_has_statistics_after_the_load(demo):
    """The demo runs ANALYZE: PostgreSQL without autovacuum, and SQLite, would have none."""
    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        assert cursor.fetchone()[0] > 0


def test_the_demo_has_questionnaires_and_stand_tests(demo):
    assert demo["questionnaires"] == QuestionnaireResponse.objects.count() > 60 * 3
    assert demo["stand_tests"] == StandTest.objects.count() > 0


def test_each_questionnaire_is_stored_as_the_form_would_store_it(demo):
    """Scored again by the scoring engine and built by the same service the form saves through,
    every stored field is what the app would have stored."""
    rows = QuestionnaireResponse.objects.select_related("patient__user")
    for row in rows:
        result = score_instrument(load_instrument(row.instrument), row.answers)
        course = records.course_on(row.patient, row.date)
        again = records.new_response(
            row.patient, course, row.date, row.answers, result, row.patient.user
        )
        assert _fields(row, RESPONSE_FIELDS) == _fields(again, RESPONSE_FIELDS)
        assert row.total == result.total


def test_questionnaires_are_the_ones_each_course_asks_for(demo):
    for patient in Patient.objects.prefetch_related("conditions"):
        course = patient.current_course()
        plan = schedules.plan_for(course)
        answered = QuestionnaireResponse.objects.filter(patient=patient)
        assert set(answered.values_list("instrument", flat=True)) <= set(plan.instruments)
        pgic = answered.filter(instrument="pgic").values_list("date", flat=True)
        assert all(day > course.start_date for day in pgic)  # "since the start": never at baseline


def test_each_stand_test_stores_what_a_fresh_analysis_finds(demo):
    tests = StandTest.objects.select_related("patient__user")
    for test in tests:
        readings = test.core_readings()
        result = analyse_stand_test(readings, test.patient.age_on(test.date))
        course = records.course_on(test.patient, test.date)
        again = records.new_stand_test(
            test.patient, course, test.date, readings, result, test.symptoms, test.patient.user
        )
        assert _fields(test, STAND_TEST_FIELDS) == _fields(again, STAND_TEST_FIELDS)


def test_patients_with_pots_do_the_stand_test_and_no_one_else(demo):
    tested = set(StandTest.objects.values_list("patient_id", flat=True))
    pots = set(Patient.objects.filter(conditions__condition="pots").values_list("pk", flat=True))
    assert tested <= pots
    assert len(tested) >= len(pots) // 2


def _share_of_range(row) -> float:
    """A total placed on its scale so that 0 is the best and 1 the worst."""
    low, high = load_instrument(row.instrument).total_range
    return (float(row.total) - low) / (high - low)


def test_responders_improve_more_than_non_responders(demo):
    """A loose check: the mean first-to-last change of the symptom questionnaires, by the
    simulated truth (PGIC aside: it has no baseline)."""
    truth = dict(SimulatedTruth.objects.values_list("patient_id", "response"))
    series = defaultdict(list)
    for row in QuestionnaireResponse.objects.exclude(instrument="pgic").order_by("date", "pk"):
        series[(row.patient_id, row.instrument)].append(_share_of_range(row))
    change = defaultdict(list)
    for (patient_id, _), shares in series.items():
        if len(shares) >= 3:
            change[truth[patient_id]].append(shares[-1] - shares[0])
    responders, non_responders = change["responder"], change["non_responder"]
    assert len(responders) >= 5
    assert len(non_responders) >= 5
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    assert mean(responders) < mean(non_responders) - 0.05
    assert mean(responders) < 0


def test_the_clinician_sees_the_scores_and_stand_tests(demo, client):
    from lowdose.web.accounts.models import User

    client.force_login(User.objects.get(username="demo.clinician"))
    patient = Patient.objects.filter(stand_tests__isnull=False, questionnaires__isnull=False)[0]
    page = client.get(f"/patients/{patient.pk}/questionnaires/")
    assert page.status_code == 200
    assert "Scores over time" in page.content.decode()
    page = client.get(f"/patients/{patient.pk}/stand-tests/")
    assert page.status_code == 200
    assert "No stand tests yet" not in page.content.decode()
