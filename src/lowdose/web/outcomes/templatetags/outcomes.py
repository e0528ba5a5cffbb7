"""Sections other apps' pages include: what is due for the patient, alerts for the clinician."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import alerts, schedules
from lowdose.web.outcomes.models import Alert, StandTest

register = template.Library()


#: Product default: the clinician sees suggestions for the side effects of this many recent days.
SUGGESTION_DAYS = 14
#: Session key the check-in view sets when a saved check-in reports side effects.
GUIDANCE_SESSION_KEY = "outcomes_guidance_checkin"


@register.inclusion_tag("outcomes/_patient_guidance.html", takes_context=True)
def patient_guidance(context, patient) -> dict:
    """Guidance on the side effects of the check-in just saved (shown once), for the home page."""
    request = context.get("request")
    checkin_pk = request.session.pop(GUIDANCE_SESSION_KEY, None) if request else None
    checkin = CheckIn.objects.filter(pk=checkin_pk, patient=patient).first() if checkin_pk else None
    return {
        "checkin": checkin,
        "guidance": alerts.guidance_for(checkin) if checkin and checkin.side_effects else None,
    }


@register.inclusion_tag("outcomes/_patient_home.html")
def patient_outcomes(patient) -> dict:
    """The patient's due questionnaires and a link to the stand test, for the home page."""
    return {
        "waiting": schedules.waiting(patient.current_course(), patient.local_today()),
        "last_stand_test": StandTest.objects.filter(patient=patient).order_by("-date").first(),
    }


@register.inclusion_tag("outcomes/_clinician_panel.html", takes_context=True)
def clinician_outcomes(context, patient) -> dict:
    """Open alerts (recomputed now, so an overdue questionnaire shows up without a check-in),
    due questionnaires and the latest stand test, for the clinician's patient page."""
    alerts.refresh_alerts(patient)
    course = patient.current_course()
    today = patient.local_today()
    since = today - dt.timedelta(days=SUGGESTION_DAYS)
    recent = (
        CheckIn.objects.filter(patient=patient, date__gte=since)
        .exclude(side_effects=[])
        .select_related("course")
        .order_by("-date")
    )
    return {
        "suggestions": [(row, alerts.guidance_for(row)) for row in recent],
        "suggestion_days": SUGGESTION_DAYS,
        "patient": patient,
        "csrf_token": context.get("csrf_token"),
        "open_alerts": list(Alert.objects.open().filter(patient=patient)),
        "acknowledged": list(
            Alert.objects.filter(patient=patient, acknowledged_at__isnull=False)
            .select_related("acknowledged_by")
            .order_by("-acknowledged_at")[:5]
        ),
        "waiting": schedules.waiting(course, patient.local_today()),
        "last_stand_test": StandTest.objects.filter(patient=patient).order_by("-date").first(),
    }


@register.filter
def yes_no(value) -> str:
    """A measurement finding in words: ``None`` means it could not be judged."""
    return {True: "Yes", False: "No"}.get(value, "Cannot tell from these readings")


@register.filter
def score(value) -> str:
    """``Decimal("10.00")`` → ``"10"``; a dash for no value."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value).normalize():f}"
