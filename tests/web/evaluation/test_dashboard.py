"""Cached estimates for the clinic dashboard: fresh after every check-in, a fixed number of
queries however many patients, and never another clinic's patients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lowdose.web.accounts.models import User
from lowdose.web.courses.models import Course, Patient, PatientCondition
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation.dashboard import main_outcome_estimates
from lowdose.web.evaluation.models import Estimate, MainOutcome
from tests.web.evaluation.conftest import PAIN_BASELINE, PAIN_MAINTENANCE, add_checkins


def _patients(people, today, n: int, start: int = 0) -> list[Patient]:
    """``n`` more North patients with fibromyalgia, a baseline and a month on maintenance."""
    made = []
    for i in range(start, start + n):
        user = User.objects.create(username=f"p{i}", role="patient", clinic=people.north)
        patient = Patient.objects.create(
            user=user,
            clinic=people.north,
            record_number=f"X-{i}",
            date_of_birth=dt.date(1980, 1, 1),
        )
        PatientCondition.objects.create(patient=patient, condition="fibromyalgia")
        course = Course.objects.create(
            patient=patient, prescriber=people.nora, baseline_start=today - dt.timedelta(60),
            start_date=today - dt.timedelta(46), maintenance_start=today - dt.timedelta(30),
        )  # fmt: skip
        add_checkins(patient, course, course.baseline_start, course.start_date - dt.timedelta(1),
                     PAIN_BASELINE)  # fmt: skip
        add_checkins(patient, course, course.maintenance_start, today - dt.timedelta(1),
                     PAIN_MAINTENANCE)  # fmt: skip
        made.append(patient)
    return made


def test_the_main_outcome_estimate_of_each_patient(anna_data):
    answer = main_outcome_estimates(anna_data.nora, [anna_data.anna.pk, anna_data.ben.pk])
    assert set(answer) == {anna_data.anna.pk}  # Ben has no course
    fatigue = answer[anna_data.anna.pk]
    assert fatigue.outcome == "fatigue"  # POTS: the product default
    assert fatigue.status == "ok"
    assert fatigue.ci_low < fatigue.estimate < fatigue.ci_high
    assert fatigue.responder == "none"
    assert fatigue.checkin_count == CheckIn.objects.filter(patient=anna_data.anna).count()
    assert fatigue.computed_at is not None


def test_the_clinicians_choice_of_main_outcome_is_used(anna_data):
    MainOutcome.objects.create(course=anna_data.course, outcome="pain", set_by=anna_data.nora)
    pain = main_outcome_estimates(anna_data.nora, [anna_data.anna.pk])[anna_data.anna.pk]
    assert pain.outcome == "pain"
    assert pain.responder in ("moderate", "substantial")
    assert pain.estimate < 0


def test_too_little_data_is_a_status_with_the_reason(people):
    estimate = main_outcome_estimates(people.nora, [people.anna.pk])[people.anna.pk]
    assert estimate.status == "not_enough"
    assert "more baseline days" in estimate.message
    assert estimate.estimate is None


def test_a_new_checkin_is_in_the_next_answer(anna_data, today):
    anna = anna_data.anna
    first = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    with CaptureQueriesContext(connection) as cached:
        again = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    assert again.computed_at == first.computed_at  # served from the cache
    assert not any("INSERT" in q["sql"] for q in cached.captured_queries)
    CheckIn.objects.create(patient=anna, course=anna_data.course, date=today, fatigue=0)
    fresh = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    assert fresh.checkin_count == first.checkin_count + 1
    assert fresh.treatment_mean < first.treatment_mean
    assert Estimate.objects.get(patient=anna, outcome="fatigue").data_version == fresh.data_version


def test_an_edited_checkin_is_in_the_next_answer(anna_data, today):
    anna = anna_data.anna
    first = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    row = CheckIn.objects.get(patient=anna, date=today - dt.timedelta(1))
    row.fatigue = 0
    row.save()
    fresh = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    assert fresh.checkin_count == first.checkin_count
    assert fresh.treatment_mean < first.treatment_mean


def test_changed_course_dates_recompute(anna_data, today):
    anna = anna_data.anna
    first = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    Course.objects.filter(pk=anna_data.course.pk).update(maintenance_start=None)
    fresh = main_outcome_estimates(anna_data.nora, [anna.pk])[anna.pk]
    assert first.status == "ok"
    assert fresh.status == "not_enough"


def test_the_page_and_the_dashboard_share_the_cache(client, anna_data):
    client.force_login(anna_data.nora)
    client.get(f"/patients/{anna_data.anna.pk}/evaluation/")
    assert Estimate.objects.filter(patient=anna_data.anna).count() == 6
    with CaptureQueriesContext(connection) as queries:
        main_outcome_estimates(anna_data.nora, [anna_data.anna.pk])
    assert not any("INSERT" in q["sql"] for q in queries.captured_queries)


def test_another_clinic_is_never_answered(anna_data):
    main_outcome_estimates(anna_data.nora, [anna_data.anna.pk])  # cached for North
    ids = [anna_data.anna.pk, anna_data.sara.pk]
    assert set(main_outcome_estimates(anna_data.sam, ids)) == {anna_data.sara.pk}
    assert set(main_outcome_estimates(anna_data.nora, ids)) == {anna_data.anna.pk}
    assert main_outcome_estimates(anna_data.rita, ids) == {}
    assert main_outcome_estimates(anna_data.ada, ids) == {}
    assert set(main_outcome_estimates(anna_data.sara.user, ids)) == {anna_data.sara.pk}


@pytest.mark.parametrize("cached", [False, True])
def test_the_number_of_queries_does_not_grow_with_patients(
    people, today, django_assert_max_num_queries, cached
):
    few = [p.pk for p in _patients(people, today, 2)]
    many = few + [p.pk for p in _patients(people, today, 12, start=2)]
    if cached:
        main_outcome_estimates(people.nora, many)
    with CaptureQueriesContext(connection) as small:
        answer = main_outcome_estimates(people.nora, few)
    assert len(answer) == 2
    # the same fixed number of queries for 7 times as many patients
    with django_assert_max_num_queries(len(small.captured_queries)):
        answer = main_outcome_estimates(people.nora, many)
    assert len(answer) == 14
    assert {e.outcome for e in answer.values()} == {"pain"}  # fibromyalgia's default
    assert all(e.status == "ok" for e in answer.values())
