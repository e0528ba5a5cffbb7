"""The clinic dashboard's effect column: the main outcome's estimate for many patients at once.

:func:`main_outcome_estimates` answers in a fixed number of queries however many patients are
asked for, recomputing (in bulk) only the estimates whose data changed since they were stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max, Q

from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation import services
from lowdose.web.evaluation.models import Estimate


def main_outcome_estimates(viewer, patient_ids: Iterable[int]) -> dict[int, Estimate]:
    """``{patient id: Estimate}`` of each current course's main outcome, fresh.

    ``viewer`` is the logged-in user: only patients they may see are answered (a clinician's or
    pharmacist's own clinic, a patient's own record); other ids, and patients without a course,
    are simply absent. An estimate whose check-ins or course changed since it was stored is
    recomputed before it is returned, so a new or edited check-in shows at once.
    ``Estimate.status`` is ``"ok"`` or ``"not_enough"`` (``Estimate.message`` says what is
    missing).
    """
    courses = services.current_courses(
        Patient.objects.visible_to(viewer).filter(pk__in=list(patient_ids))
    )
    if not courses:
        return {}
    ids = [p.pk for p, _, _ in courses]
    versions = {
        row["patient_id"]: (row["n"], row["last"])
        for row in CheckIn.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(n=Count("id"), last=Max("updated_at"))
    }
    by_id = {p.pk: p for p, _, _ in courses}
    clinic_of = {p.pk: p.clinic_id for p, _, _ in courses}
    current = {p.pk: course for p, course, _ in courses}
    wanted = {}
    for p, course, conditions in courses:
        main = services.main_outcome(course, conditions)
        count, last = versions.get(p.pk, (0, None))
        version = services.data_version(
            course, main.outcome, count, last, services.course_trial(course)
        )
        wanted[p.pk] = (main.outcome, version)
    stored = {
        (e.patient_id, e.outcome): e
        for e in Estimate.objects.filter(
            _wanted_rows(wanted), clinic_id__in=set(clinic_of.values())
        )
    }
    answer: dict[int, Estimate] = {}
    stale = []
    for pid, (outcome, version) in wanted.items():
        row = stored.get((pid, outcome))
        if row is not None and row.data_version == version.key and row.clinic_id == clinic_of[pid]:
            answer[pid] = row
        else:
            stale.append(pid)
    if stale:
        answer.update(_recompute(stale, current, wanted, by_id))
    return answer


def _wanted_rows(wanted: dict[int, tuple[str, services.DataVersion]]) -> Q:
    """Only each patient's main outcome, not the other five of the page's patients."""
    by_outcome: dict[str, list[int]] = {}
    for pid, (outcome, _) in wanted.items():
        by_outcome.setdefault(outcome, []).append(pid)
    rows = Q()
    for outcome, pids in sorted(by_outcome.items()):
        rows |= Q(outcome=outcome, patient_id__in=pids)
    return rows


def _recompute(stale, current, wanted, by_id) -> dict[int, Estimate]:
    rows = services.checkin_rows(stale)
    meds = services.medication_dates(stale)
    fresh = {}
    for pid in stale:
        course = current[pid]
        outcome, version = wanted[pid]
        series = services.build_series(
            course, rows.get(pid, []), services.course_trial(course), meds.get(pid, [])
        )
        patient = by_id[pid]
        [item] = services.evaluate_outcomes(course, series, [outcome], patient.local_today())
        fresh[pid] = services.estimate_row(
            pid, patient.clinic_id, course, item, version, is_main=True
        )
    services.save_estimates(list(fresh.values()))
    return fresh
