"""The daily check-in: one entry per patient per local day."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from lowdose.checkin import Checkin
from lowdose.ratings import DAILY_RATINGS, RATING_NAMES
from lowdose.web.courses.models import Course, Patient


def _rating_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=label)


class CheckIn(models.Model):
    """A day's diary entry. A second submission for the same day edits it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="checkins")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="checkins"
    )
    date = models.DateField(help_text="The patient's local date.")
    dose_taken = models.BooleanField(null=True, blank=True)
    dose_time = models.TimeField(null=True, blank=True)
    pain = _rating_field("Pain")
    fatigue = _rating_field("Fatigue")
    brain_fog = _rating_field("Brain fog")
    sleep_quality = _rating_field("Sleep quality")
    mood = _rating_field("Mood")
    orthostatic = _rating_field("Symptoms on standing")
    side_effects = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    late = models.BooleanField(default=False, help_text="Entered after the day it describes.")
    client_id = models.UUIDField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_checkin_a_day"),
            models.UniqueConstraint(
                fields=["patient", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="client_id_once",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__lte": 10}), name=f"{name}_at_most_10"
                )
                for name in RATING_NAMES
            ],
        ]

    def __str__(self) -> str:
        return f"Check-in of {self.patient} on {self.date}"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and not {"date", "patient", "patient_id"} & set(fields):
            super().save(*args, **kwargs)
            return  # the latest check-in's date cannot have changed
        patients = {self.patient_id, getattr(self, "_stored_patient_id", None)} - {None}
        with transaction.atomic():
            super().save(*args, **kwargs)
            Patient.objects.filter(pk__in=patients).refresh_last_checkin()
        self._stored_patient_id = self.patient_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The patient it was stored under: a check-in moved to another patient (in the admin)
        # changes the latest check-in date of both.
        instance._stored_patient_id = instance.__dict__.get("patient_id")
        return instance

    def ratings(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in RATING_NAMES}

    def apply(self, entry: Checkin) -> None:
        """Copy a validated entry onto this row (skipped ratings become empty)."""
        self.date = entry.date
        self.late = entry.late
        self.dose_taken = entry.dose_taken
        self.dose_time = entry.dose_time
        for rating in DAILY_RATINGS:
            setattr(self, rating.name, entry.ratings.get(rating.name))
        self.side_effects = [
            {"name": s.effect.value, "severity": s.severity.name.lower()}
            for s in entry.side_effects
        ]
        self.note = entry.note


@receiver(post_delete, sender=CheckIn, dispatch_uid="diary_last_checkin_after_delete")
def _date_the_previous_checkin(sender, instance: CheckIn, **kwargs) -> None:
    """Deleting a check-in (the admin, a queryset) makes the one before it the latest again."""
    Patient.objects.filter(pk=instance.patient_id).refresh_last_checkin()
