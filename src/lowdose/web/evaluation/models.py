"""What the evaluation keeps: the main outcome of a course, cached estimates for the clinic
dashboard, and blinded n-of-1 trials with their packs and unblinding events."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lowdose.ratings import DAILY_RATINGS
from lowdose.web.accounts.models import Clinic
from lowdose.web.courses.models import Course, Patient

OUTCOME_CHOICES = [(r.name, r.label) for r in DAILY_RATINGS]


class MainOutcome(models.Model):
    """The outcome a clinician chose as the one that decides a course (else the default)."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="main_outcome")
    outcome = models.CharField(max_length=32, choices=OUTCOME_CHOICES)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Main outcome of {self.course}: {self.outcome}"


class Estimate(models.Model):
    """The latest evaluation of one outcome of a patient's current course.

    ``data_version`` names exactly what it was computed from (check-in count and latest edit, the
    course dates, the trial start); a reader whose version differs recomputes it.
    """

    class Status(models.TextChoices):
        OK = "ok", "Estimated"
        NOT_ENOUGH = "not_enough", "Not enough data"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="estimates")
    # Kept on the row so that a clinic filter needs no join: no query can cross clinics.
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=32, choices=OUTCOME_CHOICES)
    status = models.CharField(max_length=16, choices=Status.choices)
    message = models.TextField(blank=True, help_text="What is missing, when not estimated.")
    estimate = models.FloatField(null=True, help_text="Treatment minus comparison, in points.")
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    percent_improvement = models.FloatField(null=True)
    responder = models.CharField(max_length=16, blank=True)
    probability = models.FloatField(
        null=True, help_text="Probability of a meaningful improvement (sceptical prior)."
    )
    comparison_mean = models.FloatField(null=True)
    treatment_mean = models.FloatField(null=True)
    checkin_count = models.PositiveIntegerField()
    checkin_updated_at = models.DateTimeField(null=True)
    data_version = models.CharField(max_length=200)
    computed_at = models.DateTimeField()
    is_main = models.BooleanField(
        default=False, help_text="The course's main outcome: what the dashboard sorts by."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "outcome"], name="one_estimate_per_outcome"),
        ]
        indexes = [
            # the dashboard sorts and filters a whole clinic by its patients' main outcomes: one
            # probe of this small index per patient instead of six rows each
            models.Index(
                fields=["patient"], condition=models.Q(is_main=True), name="main_estimates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} estimate of {self.patient}"


class Trial(models.Model):
    """A blinded n-of-1 trial of LDN against placebo within a course.

    The seed and the allocation are written once, when the pharmacist creates the trial, and never
    recomputed; the protocol is locked (text and SHA-256) when the first pack is dispensed.
    """

    course = models.OneToOneField(Course, on_delete=models.PROTECT, related_name="trial")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    start_date = models.DateField(help_text="Day the first pack is started.")
    pairs = models.PositiveSmallIntegerField()
    block_days = models.PositiveSmallIntegerField()
    washout_days = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    allocation = models.JSONField(help_text="The trial file: schedule with LDN/placebo per period.")
    outcomes = models.JSONField(help_text="Outcome names, the first is the main outcome.")
    mcids = models.JSONField(default=dict, help_text="Minimal important difference per outcome.")
    protocol_text = models.TextField(blank=True)
    protocol_hash = models.CharField(max_length=64, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    unblinded_at = models.DateTimeField(null=True, blank=True)
    unblinded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    FROZEN = ("seed", "allocation", "pairs", "block_days", "washout_days")
    LOCKED = ("start_date", "outcomes", "mcids", "protocol_text", "protocol_hash")

    def __str__(self) -> str:
        return f"Blinded trial of {self.course.patient}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Trial.objects.filter(pk=self.pk).values(*self.FROZEN, *self.LOCKED).first()
            if stored is not None:
                frozen = self.FROZEN + (self.LOCKED if stored["protocol_hash"] else ())
                changed = [name for name in frozen if stored[name] != getattr(self, name)]
                if changed:
                    raise ValidationError(
                        f"A trial's {', '.join(changed)} cannot change once set.", code="frozen"
                    )
        super().save(*args, **kwargs)


class TrialPack(models.Model):
    """A look-alike pack dispensed for one period, labelled only by its period number."""

    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, related_name="packs")
    period = models.PositiveSmallIntegerField()
    dispensed_at = models.DateTimeField(auto_now_add=True)
    dispensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "period"], name="one_pack_per_period"),
        ]

    def __str__(self) -> str:
        return f"Pack for period {self.period}"


class EmergencyUnblinding(models.Model):
    """The prescriber broke the blind before the end, with a written reason (on the report)."""

    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, related_name="emergency_unblindings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Emergency unblinding of {self.trial} at {self.at:%Y-%m-%d %H:%M}"
