"""Stored outcomes: questionnaire schedules and answers, stand tests, and clinician alerts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce

from lowdose.guidance import AlertKind
from lowdose.instruments import QuestionnaireSchedule
from lowdose.instruments.schedule import DEFAULT_REPEAT_EVERY_WEEKS, DEFAULT_WEEKS
from lowdose.standtest import Position, Reading
from lowdose.web.courses.models import Course, Patient

ALERT_KIND_CHOICES = [
    (AlertKind.SEVERE_SIDE_EFFECT.value, "Severe side effect"),
    (AlertKind.LATE_FLARE.value, "Flare beyond the expected early window"),
    (AlertKind.MISSED_DOSES.value, "Missed doses"),
    (AlertKind.QUESTIONNAIRE_OVERDUE.value, "Questionnaire overdue"),
]


def default_weeks() -> list[int]:
    return list(DEFAULT_WEEKS)


class QuestionnairePlan(models.Model):
    """Which questionnaires a course uses and when (weeks from the first dose).

    Without a row the course uses :func:`lowdose.web.outcomes.schedules.default_instruments` and
    the default weeks; the clinician edits it per course.
    """

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="questionnaires")
    instruments = models.JSONField(default=list, help_text="Instrument ids.")
    weeks = models.JSONField(default=default_weeks, help_text="Weeks from the first dose.")
    repeat_every_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, default=DEFAULT_REPEAT_EVERY_WEEKS
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Questionnaire plan of {self.course}"

    @property
    def schedule(self) -> QuestionnaireSchedule:
        return QuestionnaireSchedule(
            weeks=tuple(self.weeks), repeat_every_weeks=self.repeat_every_weeks
        )


class QuestionnaireResponse(models.Model):
    """One filled questionnaire with its scores, as the definition of that version scored it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="questionnaires")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instrument = models.CharField(max_length=32)
    definition_version = models.CharField(max_length=32)
    date = models.DateField(help_text="The patient's local date.")
    answers = models.JSONField()
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    domains = models.JSONField(default=dict, help_text="Domain id → score (text, exact).")
    findings = models.JSONField(default=dict)
    interpretation = models.CharField(max_length=300, blank=True)
    missing = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["patient", "instrument", "date"], name="answers_by_date")]

    def __str__(self) -> str:
        return f"{self.instrument} of {self.patient} on {self.date}"

    def domain_scores(self) -> dict[str, Decimal]:
        return {key: Decimal(value) for key, value in self.domains.items()}


class StandTest(models.Model):
    """A 10-minute stand test as entered, with the findings computed when it was saved."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stand_tests")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(help_text="The patient's local date.")
    age_years = models.PositiveSmallIntegerField()
    readings = models.JSONField(help_text="[{minute, position, hr, sbp, dbp, symptoms}]")
    symptoms = models.TextField(blank=True)
    baseline_hr = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    max_delta_hr = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    max_delta_standing_minute = models.PositiveSmallIntegerField(null=True, blank=True)
    pots_hr_criterion_met = models.BooleanField(null=True, blank=True)
    orthostatic_hypotension = models.BooleanField(null=True, blank=True)
    complete = models.BooleanField(default=False)
    result = models.JSONField(help_text="Every finding of the analysis, as text.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["patient", "date"], name="stand_tests_by_date")]

    def __str__(self) -> str:
        return f"Stand test of {self.patient} on {self.date}"

    def labelled_readings(self) -> list[tuple[str, dict]]:
        """Each reading with a label in the form's words ("Standing, minute 3")."""
        supine = [r["minute"] for r in self.readings if r["position"] == Position.SUPINE.value]
        stood_at = max(supine, default=None)
        rows = []
        for r in self.readings:
            if r["position"] == Position.SUPINE.value:
                label = f"Lying down, minute {supine.index(r['minute']) + 1}"
            elif stood_at is None:
                label = f"Standing, test minute {r['minute']}"
            else:
                label = f"Standing, minute {r['minute'] - stood_at}"
            rows.append((label, r))
        return rows

    def core_readings(self) -> list[Reading]:
        return [
            Reading(
                minute=r["minute"],
                position=Position(r["position"]),
                hr=r.get("hr"),
                sbp=r.get("sbp"),
                dbp=r.get("dbp"),
                symptoms=r.get("symptoms", ""),
            )
            for r in self.readings
        ]


class AlertQuerySet(models.QuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)

    def open_counts(self, clinic) -> dict[int, int]:
        """Patient id → number of open alerts, for every patient of ``clinic``, in one query."""
        rows = (
            self.open()
            .filter(patient__clinic=clinic)
            .values("patient_id")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        return {row["patient_id"]: row["n"] for row in rows}


class Alert(models.Model):
    """Something a clinician should look at; acknowledging it records who and when."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32, choices=ALERT_KIND_CHOICES)
    day = models.DateField(help_text="The diary day or due date the alert refers to.")
    detail = models.CharField(max_length=300)
    source = models.TextField(help_text="The rule's source, as cited in the rules file.")
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "kind"]
        constraints = [
            # recomputing alerts never raises the same one twice
            models.UniqueConstraint(fields=["patient", "kind", "day", "detail"], name="alert_once"),
        ]
        indexes = [
            # a partial index holding only open alerts: counting them for every patient of a
            # clinic (GROUP BY patient) reads this small index in one query
            models.Index(
                fields=["patient"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="open_alerts_by_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} on {self.day}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


def open_alert_count() -> Coalesce:
    """An annotation for Patient querysets: each patient's open alerts, in the same query.

    >>> Patient.objects.visible_to(user).annotate(open_alerts=open_alert_count())  # doctest: +SKIP
    """
    counts = (
        Alert.objects.open()
        .filter(patient=models.OuterRef("pk"))
        .order_by()
        .values("patient")
        .annotate(n=models.Count("id"))
        .values("n")
    )
    return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)
