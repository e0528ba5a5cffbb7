"""Refreshing the estimate cache for the whole installation: the same estimates as evaluating
each course on its own, only where the data changed, in a fixed number of queries per batch."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation import refresh
from lowdose.web.evaluation.models import Estimate, MainOutcome
from lowdose.web.evaluation.refresh import Refreshed, refresh_estimates
from lowdose.web.evaluation.services import evaluate_course
from tests.web.evaluation.test_dashboard import _patients

#: What an estimate holds, without its row id and the time it was computed.
FIELDS = [
    "patient_id", "clinic_id", "course_id", "outcome", "status", "message", "estimate", "ci_low",
    "ci_high", "percent_improvement", "responder", "probability", "comparison_mean",
    "treatment_mean", "checkin_count", "checkin_updated_at", "data_version", "is_main",
]  # fmt: skip


def _stored() -> list[tuple]:
    return list(Estimate.objects.order_by("patient_id", "outcome").values_list(*FIELDS))


def test_the_refresh_stores_what_evaluating_each_course_stores(anna_data, today):
    _patients(anna_data, today, 3)
    assert refresh_estimates(Patient.objects.all()) == Refreshed(evaluated=5, unchanged=0)
    batched = _stored()
    Estimate.objects.all().delete()
    for patient in Patient.objects.all():
        evaluate_course(patient)
    assert batched == _stored()
    assert len(batched) == 5 * 6  # Anna, Sara and three more; Ben has no course
    assert {row[3] for row in batched if row[-1]} == {"fatigue", "pain"}  # the main outcomes


def test_a_second_run_recomputes_nothing_until_a_check_in(anna_data, today):
    refresh_estimates(Patient.objects.all())
    assert refresh_estimates(Patient.objects.all()) == Refreshed(evaluated=0, unchanged=2)
    CheckIn.objects.create(patient=anna_data.anna, course=anna_data.course, date=today, fatigue=9)
    assert refresh_estimates(Patient.objects.all()) == Refreshed(evaluated=1, unchanged=1)
    main = Estimate.objects.get(patient=anna_data.anna, is_main=True)
    assert main.checkin_count == CheckIn.objects.filter(patient=anna_data.anna).count()


def test_an_edited_check_in_or_a_new_main_outcome_is_recomputed(anna_data, today):
    refresh_estimates(Patient.objects.all())
    checkin = CheckIn.objects.get(patient=anna_data.anna, date=today - dt.timedelta(days=1))
    checkin.pain = 9
    checkin.save()
    assert refresh_estimates(Patient.objects.all()).evaluated == 1
    MainOutcome.objects.create(course=anna_data.course, outcome="pain", set_by=anna_data.nora)
    assert refresh_estimates(Patient.objects.all()).evaluated == 1
    assert Estimate.objects.get(patient=anna_data.anna, is_main=True).outcome == "pain"


def test_a_main_estimate_cached_by_the_dashboard_leaves_the_others_to_refresh(client, anna_data):
    client.force_login(anna_data.nora)
    client.get("/dashboard/")  # caches the main outcome of each patient shown, only that one
    assert Estimate.objects.filter(patient=anna_data.anna).count() == 1
    assert refresh_estimates(Patient.objects.all()).evaluated == 2
    assert Estimate.objects.filter(patient=anna_data.anna).count() == 6


def test_everything_recomputes_unchanged_courses_too(anna_data):
    refresh_estimates(Patient.objects.all())
    done = refresh_estimates(Patient.objects.all(), everything=True)
    assert done == Refreshed(evaluated=2, unchanged=0)


def test_the_command_says_what_it_did(anna_data):
    out = io.StringIO()
    call_command("refresh_estimates", stdout=out)
    call_command("refresh_estimates", stdout=out)
    call_command("refresh_estimates", "--all", stdout=out)
    assert out.getvalue().splitlines() == [
        "Evaluated the courses of 2 patient(s); 0 unchanged since their last evaluation.",
        "Evaluated the courses of 0 patient(s); 2 unchanged since their last evaluation.",
        "Evaluated the courses of 2 patient(s); 0 unchanged since their last evaluation.",
    ]


def test_the_number_of_queries_grows_with_batches_not_patients(people, today, monkeypatch):
    # eight patients a batch: 48 estimates, few enough for one INSERT even on SQLite (whose
    # driver splits statements at 999 parameters)
    monkeypatch.setattr(refresh, "BATCH_SIZE", 8)
    _patients(people, today, 2)

    def queries() -> int:
        Estimate.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert refresh_estimates(Patient.objects.all()).unchanged == 0
        return len(captured)

    few = queries()  # Anna, Sara and two more
    _patients(people, today, 4, start=2)
    assert queries() == few
