"""Set-based removal of the safety and pharmacy rows of many patients (the demo loader's reset)."""

from __future__ import annotations

from django.db.models import QuerySet

from lowdose.web.pharmacy.models import Batch
from lowdose.web.safety.models import (
    Override,
    Plan,
    PlannedEvent,
    PlanRevision,
    Screening,
)


def patient_rows(patients: QuerySet) -> tuple[QuerySet, ...]:
    """The rows to delete for ``patients``, children before parents, ahead of their courses."""
    return (
        Batch.objects.filter(plan__course__patient__in=patients),
        PlanRevision.objects.filter(plan__course__patient__in=patients),
        Plan.objects.filter(course__patient__in=patients),
        Override.objects.filter(patient__in=patients),
        Screening.objects.filter(patient__in=patients),
        PlannedEvent.objects.filter(patient__in=patients),
    )
