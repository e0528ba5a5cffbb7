"""Storing check-ins: one per patient per day, retries never duplicate."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from lowdose.checkin import Checkin, CheckinError
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn


def record_checkin(
    patient: Patient, entry: Checkin, *, client_id: uuid.UUID | None = None, entered_by=None
) -> tuple[CheckIn, bool]:
    """Create the day's entry or edit the existing one; returns ``(row, created)``.

    A request carrying a ``client_id`` that was already stored edits that entry, so a client that
    retries after a lost response never creates a second one. Two concurrent first submissions
    for the same day meet the unique constraint; the loser retries as an edit.
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _upsert(patient, entry, client_id, entered_by)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _upsert(patient, entry: Checkin, client_id, entered_by) -> tuple[CheckIn, bool]:
    rows = CheckIn.objects.select_for_update().filter(patient=patient)
    row = rows.filter(client_id=client_id).first() if client_id else None
    if row is not None and row.date != entry.date:
        raise CheckinError(
            f"This client_id was already used for the check-in of {row.date.isoformat()}.",
            field="client_id",
        )
    if row is None:
        row = rows.filter(date=entry.date).first()
    created = row is None
    if created:
        row = CheckIn(patient=patient, client_id=client_id)
    row.course = (
        patient.courses.filter(baseline_start__lte=entry.date).order_by("-start_date").first()
    )
    row.apply(entry)
    row.entered_by = entered_by
    row.save()
    return row, created
