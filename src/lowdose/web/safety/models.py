"""What the clinician records to keep an LDN course safe: medication screenings, overrides of a
contraindication, planned surgery or opioid use, and the titration plan with its revisions.

The clinical logic lives in the pure core (``lowdose.screening``, ``lowdose.holds``,
``lowdose.dosing``); these models only keep its inputs and results with who and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lowdose.dose import Dose
from lowdose.dosing import (
    DoseForm,
    DoseTime,
    PlanSpec,
    Revision,
    RevisionKind,
    Schedule,
    current_schedule,
)
from lowdose.holds import HoldWindow, OpioidExposure, plan_hold
from lowdose.web.courses.models import Course, Patient


class ScreeningVerdict(models.TextChoices):
    CONTRAINDICATED = "contraindicated", "Contraindicated"
    CAUTION = "caution", "Caution"
    CLEAR = "clear", "No conflict found"
    EMPTY = "empty", "No medications recorded"


class Screening(models.Model):
    """One screening of the patient's medication list, stored exactly as it was answered."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="screenings")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict = models.CharField(max_length=16, choices=ScreeningVerdict.choices)
    medications = models.JSONField(default=list, help_text="The names screened, as written.")
    findings = models.JSONField(default=list, help_text="Findings with reasons and sources.")
    unknown = models.JSONField(default=list, help_text="Names the knowledge file does not know.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Screening of {self.patient} on {self.created_at:%Y-%m-%d %H:%M}: {self.verdict}"

    @property
    def contraindicated_inputs(self) -> list[str]:
        """The medication names behind a contraindicated finding, as written."""
        return sorted(
            {f["input"] for f in self.findings if f["severity"] == "contraindicated"}, key=str.lower
        )

    @property
    def is_contraindicated(self) -> bool:
        return self.verdict == ScreeningVerdict.CONTRAINDICATED


class Override(models.Model):
    """A clinician's decision to start or resume LDN despite a contraindicated screening.

    It covers the contraindicated medications it names (``covers``): a later screening with the
    same or fewer contraindicated medications stays overridden, a new one needs a new override.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="overrides")
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="overrides")
    covers = models.JSONField(help_text="Contraindicated medication names, lower case.")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Override for {self.patient} by {self.created_by} on {self.created_at:%Y-%m-%d}"

    def covers_screening(self, screening: Screening) -> bool:
        wanted = {name.lower() for name in screening.contraindicated_inputs}
        return wanted <= set(self.covers)


class PlannedEvent(models.Model):
    """Planned surgery or planned opioid use, around which LDN is held."""

    class Kind(models.TextChoices):
        SURGERY = "surgery", "Surgery or procedure"
        OPIOID = "opioid", "Planned opioid use"

    EXPOSURE_CHOICES = [
        (OpioidExposure.NONE.value, "No opioid planned"),
        (OpioidExposure.SHORT_ACTING.value, "Short-acting opioid"),
        (OpioidExposure.LONG_ACTING.value, "Long-acting opioid (for example methadone)"),
    ]

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="planned_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=200)
    event_on = models.DateField()
    exposure = models.CharField(max_length=16, choices=EXPOSURE_CHOICES)
    last_opioid_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} on {self.event_on}"

    def hold_window(self) -> HoldWindow:
        return plan_hold(
            self.event_on,
            exposure=OpioidExposure(self.exposure),
            last_opioid_on=self.last_opioid_on,
        )


class Plan(models.Model):
    """The titration plan of a course, as the clinician wrote it (see ``lowdose.dosing``)."""

    FORM_CHOICES = [(DoseForm.CAPSULE.value, "Capsules"), (DoseForm.LIQUID.value, "Oral liquid")]
    TIME_CHOICES = [(DoseTime.BEDTIME.value, "At bedtime"), (DoseTime.MORNING.value, "Morning")]

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="plan")
    start_mg = models.DecimalField(max_digits=7, decimal_places=3)
    step_mg = models.DecimalField(max_digits=7, decimal_places=3)
    interval_days = models.PositiveIntegerField()
    target_mg = models.DecimalField(max_digits=7, decimal_places=3)
    ceiling_mg = models.DecimalField(max_digits=7, decimal_places=3)
    allow_above_ceiling = models.BooleanField(default=False)
    form = models.CharField(max_length=16, choices=FORM_CHOICES)
    time = models.CharField(max_length=16, choices=TIME_CHOICES)
    start_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(
        default=timezone.now, help_text="Creation or the latest revision: the pharmacy's cue."
    )

    def __str__(self) -> str:
        return f"Titration plan of {self.course.patient}"

    @property
    def spec(self) -> PlanSpec:
        return PlanSpec(
            start=Dose(self.start_mg),
            step=Dose(self.step_mg),
            interval_days=self.interval_days,
            target=Dose(self.target_mg),
            start_date=self.start_date,
            ceiling=Dose(self.ceiling_mg),
            form=DoseForm(self.form),
            time=DoseTime(self.time),
            allow_above_ceiling=self.allow_above_ceiling,
        )

    def core_revisions(self) -> list[Revision]:
        return [r.as_core() for r in self.revisions.select_related("created_by")]

    def schedule(self) -> Schedule:
        """The current schedule: the plan with every stored revision replayed."""
        return current_schedule(self.spec, self.core_revisions())


class PlanRevision(models.Model):
    """A change to a running plan (step back, hold, change interval, resume) with who and why."""

    KIND_CHOICES = [
        (RevisionKind.STEP_BACK.value, "Step back"),
        (RevisionKind.HOLD.value, "Hold the dose"),
        (RevisionKind.CHANGE_INTERVAL.value, "Change the interval"),
        (RevisionKind.RESUME.value, "Resume the titration"),
    ]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    effective = models.DateField()
    dose_mg = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    days = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["effective", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective}"

    def as_core(self) -> Revision:
        return Revision(
            kind=RevisionKind(self.kind),
            effective=self.effective,
            by=self.created_by.display_name,
            at=self.created_at,
            reason=self.reason,
            dose=Dose(self.dose_mg) if self.dose_mg is not None else None,
            days=self.days,
        )
