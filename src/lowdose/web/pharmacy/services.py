"""The pharmacy's queue, worksheets, and tracing a lot to the diary days it supplied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery

from lowdose.dispensing import batch_for_day
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety.models import Plan

#: Diary days shown with their batch on the clinician's plan page.
DIARY_DAYS_SHOWN = 28


def queue_for(clinic) -> list[Plan]:
    """Plans of ``clinic`` that are new or changed since their last dispensing, oldest first."""
    last = Batch.objects.filter(plan=OuterRef("pk")).order_by("-dispensed_at")
    return list(
        Plan.objects.filter(course__patient__clinic=clinic, course__stopped_on__isnull=True)
        .annotate(last_dispensed=Subquery(last.values("dispensed_at")[:1]))
        .filter(Q(last_dispensed__isnull=True) | Q(last_dispensed__lt=F("changed_at")))
        .select_related("course__patient__user")
        .order_by("changed_at", "pk")
    )


@dataclass(frozen=True)
class DiaryBatch:
    day: dt.date
    dose_taken: bool | None
    batch: Batch | None


def diary_batches(patient: Patient, plan: Plan) -> list[DiaryBatch]:
    """The last diary days with the batch each dose most likely came from (first in, first out)."""
    batches = list(plan.batches.all())
    cores = [(row, row.as_core()) for row in batches]
    days = CheckIn.objects.filter(patient=patient).order_by("-date")[:DIARY_DAYS_SHOWN]
    rows = []
    for checkin in days:
        chosen = batch_for_day([core for _, core in cores], checkin.date)
        row = next((r for r, core in cores if core == chosen), None) if chosen else None
        rows.append(DiaryBatch(checkin.date, checkin.dose_taken, row))
    return rows


@dataclass(frozen=True)
class LotDays:
    batch: Batch
    patient: Patient
    days: list[dt.date]


def trace_lot(clinic, lot: str) -> list[LotDays]:
    """Every batch of ``lot`` in ``clinic``, with the diary days whose dose came from it."""
    found = (
        Batch.objects.filter(plan__course__patient__clinic=clinic, lot__iexact=lot.strip())
        .select_related("plan__course__patient__user")
        .order_by("prepared_on", "pk")
    )
    results = []
    for batch in found:
        patient = batch.plan.course.patient
        cores = [(row.pk, row.as_core()) for row in batch.plan.batches.all()]
        checkins = CheckIn.objects.filter(
            patient=patient, date__gte=batch.prepared_on, date__lte=batch.beyond_use
        ).order_by("date")
        days = [
            c.date
            for c in checkins
            if (chosen := batch_for_day([core for _, core in cores], c.date)) is not None
            and chosen == batch.as_core()
        ]
        results.append(LotDays(batch, patient, days))
    return results
