"""Refreshing the estimate cache for a whole clinic (``lowdose manage refresh_estimates``).

Patients are read in batches: a fixed number of queries and one bulk write per batch, whatever
its size. A patient whose stored estimates were computed from exactly the data there is now (the
same ``data_version`` for every outcome) is skipped, so a run after a quiet hour costs little and
can be scheduled often: a sort by effect then follows new check-ins within one run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from lowdose.ratings import RATING_NAMES
from lowdose.web.courses.models import Patient
from lowdose.web.evaluation import services
from lowdose.web.evaluation.models import Estimate

#: Patients per batch: enough that queries are few, few enough that a batch's check-ins
#: (about 365 rows a patient after a year) stay a few megabytes.
BATCH_SIZE = 200


@dataclass(frozen=True)
class Refreshed:
    """How many patients with a course were evaluated, and how many were already up to date."""

    evaluated: int
    unchanged: int


def refresh_estimates(patients: QuerySet[Patient], *, everything: bool = False) -> Refreshed:
    """Evaluate the current course of each of ``patients`` whose data changed since its estimates
    were stored (each one with ``everything``, e.g. after a change to the analysis itself) and
    store every outcome's estimate, the main outcome marked."""
    ids = list(
        patients.filter(latest_course__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    evaluated = 0
    for batch in _batches(ids, BATCH_SIZE):
        with transaction.atomic():
            evaluated += _refresh_batch(batch, everything)
    return Refreshed(evaluated=evaluated, unchanged=len(ids) - evaluated)


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _refresh_batch(ids: Sequence[int], everything: bool) -> int:
    """Evaluate the stale patients among ``ids``; returns how many were evaluated."""
    stored: dict[int, set[tuple]] = {}
    for patient_id, *row in Estimate.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "clinic_id", "course_id", "outcome", "is_main", "data_version"
    ):
        stored.setdefault(patient_id, set()).add(tuple(row))
    stale = []
    for current in services.current_courses(Patient.objects.filter(pk__in=ids)):
        patient, course, main = current.patient, current.course, current.main
        expected = {
            (patient.clinic_id, course.pk, name, name == main.outcome, current.version.key)
            for name in RATING_NAMES
        }
        if everything or stored.get(patient.pk) != expected:
            stale.append(current)
    _evaluate_and_store(stale)
    return len(stale)


def _evaluate_and_store(stale: list[services.CurrentCourse]) -> None:
    ids = [s.patient.pk for s in stale]
    rows = services.checkin_rows(ids)
    medications = services.medication_dates(ids)
    estimates = []
    for s in stale:
        evaluation = services.evaluate_data(
            s.patient, s.course, s.main, s.trial, rows.get(s.patient.pk, []),
            medications.get(s.patient.pk, []), s.version,
        )  # fmt: skip
        estimates += [
            services.estimate_row(
                s.patient,
                s.patient.clinic_id,
                s.course,
                item,
                s.version,
                is_main=item.name == s.main.outcome,
            )
            for item in evaluation.outcomes
        ]
    services.save_estimates(estimates)
