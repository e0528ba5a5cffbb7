"""Side-effect guidance for a saved check-in, and the clinician alerts stored from the diary."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from lowdose.guidance import (
    AlertKind,
    DiaryDay,
    DoseTime,
    Guidance,
    SideEffectReport,
    advise,
    clinician_alerts,
    dose_time_from_clock,
)
from lowdose.ratings import Severity, SideEffect
from lowdose.web.courses.models import Course, Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import schedules
from lowdose.web.outcomes.models import Alert

#: Product default: how far back the diary is scanned when alerts are recomputed.
ALERT_LOOKBACK_DAYS = 28
#: Product default when no dose time was ever recorded: the guidance assumes an evening dose.
ASSUMED_DOSE_TIME = DoseTime.EVENING


def side_effects_of(row: CheckIn) -> list[tuple[SideEffect, Severity]]:
    return [(SideEffect(s["name"]), Severity.from_name(s["severity"])) for s in row.side_effects]


def increases(course: Course) -> list[dt.date]:
    """Dates the dose went up (the first step is the start, not an increase)."""
    steps = course.dose_steps()
    return [day for (_, before), (day, mg) in itertools.pairwise(steps) if mg > before]


@dataclass(frozen=True)
class CheckinGuidance:
    """Guidance for each side effect of one check-in, and what it assumed."""

    items: tuple[tuple[SideEffect, Severity, Guidance], ...]
    assumed_dose_time: bool
    before_ldn: bool


def guidance_for(row: CheckIn) -> CheckinGuidance:
    """The guidance for each side effect the check-in reports (empty before the first dose)."""
    course = row.course
    if course is None or row.date < course.start_date:
        return CheckinGuidance((), False, True)
    clock = row.dose_time or (
        CheckIn.objects.filter(patient_id=row.patient_id, date__lte=row.date)
        .exclude(dose_time=None)
        .order_by("-date")
        .values_list("dose_time", flat=True)
        .first()
    )
    dose_time = dose_time_from_clock(clock) if clock else ASSUMED_DOSE_TIME
    since_start = (row.date - course.start_date).days
    raised = [d for d in increases(course) if course.start_date <= d <= row.date]
    since_increase = (row.date - raised[-1]).days if raised else None
    items = tuple(
        (
            effect,
            severity,
            advise(SideEffectReport(effect, severity, since_start, since_increase, dose_time)),
        )
        for effect, severity in side_effects_of(row)
    )
    return CheckinGuidance(items, clock is None, False)


def refresh_alerts(patient: Patient, today: dt.date | None = None) -> list[Alert]:
    """Recompute the patient's alerts from the recent diary; store the new ones and return them.

    An alert is stored once (patient, kind, day and detail; a run of missed doses once per run);
    an acknowledged alert stays acknowledged.
    """
    course = patient.current_course()
    if course is None:
        return []
    today = today or patient.local_today()
    since = max(course.baseline_start, today - dt.timedelta(days=ALERT_LOOKBACK_DAYS))
    diary = [
        DiaryDay(row.date, row.dose_taken, tuple(side_effects_of(row)))
        for row in CheckIn.objects.filter(patient=patient, date__gte=since, date__lte=today)
    ]
    found = clinician_alerts(
        diary,
        course_start=course.start_date,
        dose_increases=increases(course),
        overdue_questionnaires=schedules.overdue(course, today),
    )
    _drop_filled(patient, found)
    return [alert for alert in (_store(patient, a) for a in found) if alert is not None]


def _drop_filled(patient: Patient, found) -> None:
    """Remove open overdue-questionnaire alerts that no longer hold (the patient filled it in).

    Nobody has acted on an open alert yet, so removing it loses no record of a decision.
    """
    current = [a.message[:300] for a in found if a.kind is AlertKind.QUESTIONNAIRE_OVERDUE]
    Alert.objects.open().filter(
        patient=patient, kind=AlertKind.QUESTIONNAIRE_OVERDUE.value
    ).exclude(detail__in=current).delete()


def _store(patient: Patient, found) -> Alert | None:
    existing = Alert.objects.filter(patient=patient, kind=found.kind.value)
    same = existing.filter(day=found.day)
    if found.kind is not AlertKind.MISSED_DOSES:  # one alert per questionnaire or side effect
        same = same.filter(detail=found.message[:300])
    if same.exists():
        return None
    if found.kind is AlertKind.MISSED_DOSES:
        # a run of missed doses that grows by a day moves its open alert rather than adding one
        previous = existing.open().filter(day=found.day - dt.timedelta(days=1)).first()
        if previous is not None:
            previous.day, previous.detail = found.day, found.message
            previous.save(update_fields=["day", "detail"])
            return None
    try:
        with transaction.atomic():
            return Alert.objects.create(
                patient=patient,
                kind=found.kind.value,
                day=found.day,
                detail=found.message[:300],
                source=found.source.citation,
            )
    except IntegrityError:  # raised at the same moment by another request
        return None


def acknowledge(alert: Alert, user) -> bool:
    """Mark an open alert as seen by ``user``; False if it was already acknowledged."""
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=timezone.now()
    )
    return bool(updated)
