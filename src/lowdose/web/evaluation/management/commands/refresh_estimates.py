"""Evaluate every current course, so that the dashboard can sort all patients by their main
outcome (run nightly, e.g. from cron; pages refresh what they show on their own)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lowdose.web.courses.models import Patient
from lowdose.web.evaluation.services import evaluate_course


class Command(BaseCommand):
    help = "Recompute the cached evaluation of every patient's current course."

    def handle(self, *args, **options) -> None:
        patients = (
            Patient.objects.filter(courses__isnull=False)
            .select_related("clinic")
            .distinct()
            .iterator(chunk_size=500)
        )
        count = 0
        for patient in patients:
            evaluate_course(patient)
            count += 1
        self.stdout.write(f"Evaluated the courses of {count} patient(s).")
