"""Alerts are recomputed whenever a check-in is saved, however it arrived (web, API, import)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from lowdose.web.diary.models import CheckIn


@receiver(post_save, sender=CheckIn, dispatch_uid="outcomes_alerts_on_checkin")
def checkin_saved(sender, instance: CheckIn, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures and demo loads
        return
    from lowdose.web.outcomes.alerts import refresh_alerts

    patient_id = instance.patient_id
    # after the check-in is committed, and robust: an alert problem never loses a check-in
    transaction.on_commit(lambda: _refresh(patient_id, refresh_alerts), robust=True)


def _refresh(patient_id: int, refresh) -> None:
    from lowdose.web.courses.models import Patient

    patient = Patient.objects.filter(pk=patient_id).select_related("clinic").first()
    if patient is not None:
        refresh(patient)
