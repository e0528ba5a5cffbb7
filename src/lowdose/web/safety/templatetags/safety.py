"""Sections other pages include: the clinician's safety section on the patient page and the
patient's plan, dose and hold windows on their home page."""

from django import template

from lowdose.web.accounts import audit
from lowdose.web.safety.today import dose_today, plan_of

register = template.Library()


@register.inclusion_tag("safety/_clinician_section.html", takes_context=True)
def clinician_safety(context, patient):
    from lowdose.web.safety.views import safety_context

    request = context["request"]
    return {
        **safety_context(request, patient),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("safety/_patient_section.html", takes_context=True)
def patient_safety(context, patient):
    from lowdose.web.safety import services

    screening, fresh = services.current_screening(patient)
    if fresh:
        audit.record(context["request"], "create", screening, patient_id=patient.pk)
    plan = plan_of(patient)
    events = [(e, e.hold_window()) for e in patient.planned_events.all()]
    today = patient.local_today()
    return {
        "patient": patient,
        "plan": plan,
        "dispensed": dose_today(patient, plan) if plan else None,
        "screening": screening,
        "events": [(e, w) for e, w in events if (w.restart_on or e.event_on) >= today],
        "request": context["request"],
    }
