"""Recompute clinician alerts for every patient on a course (run daily, e.g. from cron).

Check-ins raise their alerts as they are saved; this catches what only the passing of time
raises, such as a questionnaire becoming overdue.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lowdose.web.courses.models import Patient
from lowdose.web.outcomes.alerts import refresh_alerts


class Command(BaseCommand):
    help = "Recompute clinician alerts (overdue questionnaires, missed doses, side effects)."

    def handle(self, *args, **options) -> None:
        patients = (
            Patient.objects.filter(courses__isnull=False, courses__stopped_on__isnull=True)
            .select_related("clinic")
            .distinct()
            .iterator(chunk_size=500)
        )
        raised = checked = 0
        for patient in patients:
            raised += len(refresh_alerts(patient))
            checked += 1
        self.stdout.write(f"{raised} new alert(s) for {checked} patient(s).")
