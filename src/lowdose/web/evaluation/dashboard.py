"""The clinic dashboard's effect column: the main outcome's estimate for many patients at once.

:func:`main_outcome_estimates` answers in a fixed number of queries however many patients are
asked for, recomputing (in bulk) only the estimates whose data changed since they were stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from lowdose.web.courses.models import Patient
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
    by_id = {c.patient.pk: c for c in courses}
    clinic_of = {c.patient.pk: c.patient.clinic_id for c in courses}
    wanted = {c.patient.pk: (c.main.outcome, c.version) for c in courses}
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
        answer.update(_recompute([by_id[pid] for pid in stale]))
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


def _recompute(stale: list[services.CurrentCourse]) -> dict[int, Estimate]:
    ids = [c.patient.pk for c in stale]
    rows = services.checkin_rows(ids)
    meds = services.medication_dates(ids)
    fresh = {}
    for c in stale:
        pid = c.patient.pk
        series = services.build_series(c.course, rows.get(pid, []), c.trial, meds.get(pid, []))
        today = c.patient.local_today()
        [item] = services.evaluate_outcomes(c.course, series, [c.main.outcome], today)
        fresh[pid] = services.estimate_row(
            pid, c.patient.clinic_id, c.course, item, c.version, is_main=True
        )
    services.save_estimates(list(fresh.values()))
    return fresh
