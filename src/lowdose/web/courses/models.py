"""Patients, their conditions and medications, and their LDN courses with the dose history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from lowdose.course import CONDITION_LABELS, CourseDates, Phase
from lowdose.course import dose_on as core_dose_on
from lowdose.web.accounts.models import Clinic, validate_timezone

CONDITION_CHOICES = [(condition.value, label) for condition, label in CONDITION_LABELS.items()]
PHASE_CHOICES = [(phase.value, phase.label) for phase in Phase]


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not recorded"


class PatientQuerySet(models.QuerySet):
    def refresh_latest_course(self) -> int:
        """Point each patient at their latest course again, in one UPDATE; returns the number of
        patients. Course.save() and deletes do this themselves: call it after writing courses in
        bulk (bulk_create, or update() of start dates)."""
        latest = Course.objects.filter(patient=models.OuterRef("pk")).order_by(*LATEST_FIRST)
        return self.update(latest_course=models.Subquery(latest.values("pk")[:1]))

    def refresh_last_checkin(self) -> int:
        """Set each patient's date of the latest check-in again, in one UPDATE; returns the number
        of patients. CheckIn.save() and deletes do this themselves: call it after writing
        check-ins in bulk."""
        from lowdose.web.diary.models import CheckIn  # the diary app builds on this one

        latest = CheckIn.objects.filter(patient=models.OuterRef("pk")).order_by("-date")
        return self.update(last_checkin_on=models.Subquery(latest.values("date")[:1]))

    def visible_to(self, user) -> PatientQuerySet:
        """The patients ``user`` may see: their own record, or their clinic's for staff."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == "patient":
            return self.filter(user=user)
        if user.role in {"clinician", "pharmacist"}:
            return self.filter(clinic_id=user.clinic_id)
        return self.none()


class Patient(models.Model):
    """A person on (or preparing for) an LDN course, owned by one clinic."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField(max_length=32)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    timezone = models.CharField(
        max_length=64, blank=True, help_text="Blank: the clinic's.", validators=[validate_timezone]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The dashboard joins this instead of looking the course up for every patient of the clinic;
    # written only by PatientQuerySet.refresh_latest_course.
    latest_course = models.ForeignKey(
        "Course",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The course current_course() returns, kept for set-based queries.",
    )
    # Likewise for sorting a clinic by the latest check-in; written only by
    # PatientQuerySet.refresh_last_checkin.
    last_checkin_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The date of the latest check-in, kept for set-based queries.",
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "record_number"], name="record_per_clinic"),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or self.clinic.timezone)

    def local_today(self) -> dt.date:
        """Today's date where the patient lives: the diary's day."""
        return timezone.now().astimezone(self.zone).date()

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def condition_labels(self) -> list[str]:
        return [c.get_condition_display() for c in self.conditions.all()]

    def current_course(self) -> Course | None:
        return self.courses.order_by(*LATEST_FIRST).first()


class PatientCondition(models.Model):
    """A condition the patient's LDN course is for."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conditions")
    condition = models.CharField(max_length=32, choices=CONDITION_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "condition"], name="condition_once"),
        ]

    def __str__(self) -> str:
        return self.get_condition_display()


class Medication(models.Model):
    """A medication the patient takes besides LDN, as written by a person."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=200)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


#: A patient's courses, current first: the latest first dose; of two on the same day, the newer.
LATEST_FIRST = ("-start_date", "-pk")


class Course(models.Model):
    """An LDN course: the prescriber and the dates that divide it into phases.

    The dose history is kept in :class:`DoseChange`; a titration plan attaches to the course.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="courses")
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescribed_courses"
    )
    baseline_start = models.DateField()
    start_date = models.DateField(help_text="Day of the first LDN dose.")
    maintenance_start = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_start__lte=models.F("start_date")),
                name="baseline_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"LDN course of {self.patient} from {self.start_date}"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and not {"start_date", "patient", "patient_id"} & set(fields):
            super().save(*args, **kwargs)
            return  # the other dates never change which course is the latest
        with transaction.atomic():
            super().save(*args, **kwargs)
            # a new course, a new start date or another patient: this patient's latest course
            # may have changed, and so may that of a previous patient still pointing here
            mine_or_was = models.Q(pk=self.patient_id) | models.Q(latest_course=self)
            Patient.objects.filter(mine_or_was).refresh_latest_course()

    @property
    def dates(self) -> CourseDates:
        return CourseDates(
            self.baseline_start, self.start_date, self.maintenance_start, self.stopped_on
        )

    def phase_on(self, day: dt.date) -> Phase | None:
        return self.dates.phase_on(day)

    def dose_steps(self) -> list[tuple[dt.date, Decimal]]:
        return [(c.effective_on, c.dose_mg) for c in self.dose_changes.order_by("effective_on")]

    def dose_on(self, day: dt.date) -> Decimal | None:
        if self.phase_on(day) in (None, Phase.BASELINE, Phase.STOPPED):
            return None
        return core_dose_on(self.dose_steps(), day)


class DoseChange(models.Model):
    """From ``effective_on`` the daily dose is ``dose_mg`` (exact to the microgram)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="dose_changes")
    effective_on = models.DateField()
    dose_mg = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("49.999"))],
    )
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "effective_on"], name="one_dose_change_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(dose_mg__gt=0) & models.Q(dose_mg__lt=50),
                name="dose_is_low_dose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dose_mg} mg from {self.effective_on}"


class SimulatedTruth(models.Model):
    """The true effect behind a simulated (demo) patient, kept to check the analysis against."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="truth")
    response = models.CharField(max_length=16)
    true_effect = models.JSONField(help_text="Rating points, treatment minus comparison.")
    seed = models.IntegerField()

    def __str__(self) -> str:
        return f"Simulated truth for {self.patient}"


@receiver(post_delete, sender=Course, dispatch_uid="courses_latest_after_delete")
def _point_at_the_previous_course(sender, instance: Course, **kwargs) -> None:
    """Deleting a course (the admin, a queryset) makes the one before it the latest again."""
    Patient.objects.filter(pk=instance.patient_id).refresh_latest_course()
