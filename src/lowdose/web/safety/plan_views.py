"""The clinician's "Start LDN" flow and plan revisions, and the patient's calendar download."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lowdose.calendar import schedule_to_ics
from lowdose.dosing import RevisionKind
from lowdose.web.access import own_patient, role_required, visible_patient
from lowdose.web.accounts import audit
from lowdose.web.courses.models import Patient
from lowdose.web.safety import services
from lowdose.web.safety.forms import OverrideForm, PlanForm, RevisionForm
from lowdose.web.safety.models import Plan
from lowdose.web.safety.today import dose_labels, plan_of

#: Product default, not a clinical number: two weeks of baseline diary before the first dose.
DEFAULT_BASELINE_DAYS = 14

BLOCKED = (
    "LDN cannot start: the medication list has a contraindicated medication (an opioid blocks "
    "or is blocked by naltrexone). Stop it first, or record an override with your reason."
)
BLOCKED_RESUME = (
    "The titration cannot resume: the medication list has a contraindicated medication. Stop it "
    "first, or record an override with your reason on the patient page."
)

STOPPED = "This course was stopped; start a new course instead of revising it."


def render_start(
    request: HttpRequest,
    patient: Patient,
    *,
    form=None,
    override_form=None,
    status: int = 200,
    blocked_message: str | None = None,
) -> HttpResponse:
    screening, fresh = services.current_screening(patient)
    if fresh:
        audit.record(request, "create", screening, patient_id=patient.pk)
    today = patient.local_today()
    pending = services.pending_course(patient)
    if form is None:
        first_dose = today + dt.timedelta(days=DEFAULT_BASELINE_DAYS)
        form = PlanForm(
            initial={
                "baseline_start": pending.baseline_start if pending else today,
                "start_date": pending.start_date if pending else first_dose,
            }
        )
    context = {
        "patient": patient,
        "form": form,
        "schedule": form.schedule if form.is_bound else None,
        "screening": screening,
        "guard": services.guard_for(screening),
        "override_form": override_form or OverrideForm(),
        "can_start": services.can_start(patient),
        "pending": pending,
        "blocked_message": blocked_message,
        "default_baseline_days": DEFAULT_BASELINE_DAYS,
    }
    return render(request, "safety/start.html", context, status=status)


@role_required("clinician")
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    if request.method == "GET" and set(request.GET) & set(PlanForm.base_fields):
        form = PlanForm(request.GET)  # the plan kept through an override: preview it
        form.is_valid()
        return render_start(request, patient, form=form)
    if request.method == "GET" or not services.can_start(patient):
        return render_start(request, patient, status=200 if request.method == "GET" else 409)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return render_start(request, patient, form=form, status=422)
    if request.POST.get("action") != "start":
        return render_start(request, patient, form=form)
    screening, _ = services.current_screening(patient)
    if services.guard_for(screening).blocked:
        return render_start(request, patient, form=form, status=409, blocked_message=BLOCKED)
    assert form.schedule is not None
    course = services.start_course(
        patient,
        form.plan_fields(),
        baseline_start=form.cleaned_data["baseline_start"],
        schedule=form.schedule,
        by=request.user,
    )
    audit.record(request, "create", course, patient_id=patient.pk)
    audit.record(request, "create", course.plan, patient_id=patient.pk)
    messages.success(request, f"LDN course started: first dose on {course.start_date:%-d %B %Y}.")
    return redirect("safety:plan", pk=patient.pk)


@role_required("clinician")
@require_http_methods(["GET"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule of the plan being typed, for the live preview (nothing is stored)."""
    visible_patient(request, pk)
    form = PlanForm(request.GET)
    form.is_valid()
    return render(request, "safety/_preview.html", {"form": form, "schedule": form.schedule})


def _plan_or_404(patient: Patient) -> Plan:
    plan = plan_of(patient)
    if plan is None:
        raise Http404
    return plan


def render_plan(
    request: HttpRequest,
    patient: Patient,
    plan: Plan,
    *,
    form=None,
    status: int = 200,
    blocked_message: str | None = None,
) -> HttpResponse:
    from lowdose.web.pharmacy.services import diary_batches

    today = patient.local_today()
    screening, _ = services.current_screening(patient)
    context = {
        "patient": patient,
        "plan": plan,
        "today": today,
        "schedule": plan.schedule(),
        "revisions": list(plan.revisions.select_related("created_by")),
        "form": form or RevisionForm(plan=plan, today=today, by="", initial={"effective": today}),
        "guard": services.guard_for(screening),
        "blocked_message": blocked_message,
        "diary_batches": diary_batches(patient, plan),
    }
    return render(request, "safety/plan.html", context, status=status)


@role_required("clinician")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    plan = _plan_or_404(patient)
    audit.record(request, "view", plan, patient_id=patient.pk)
    return render_plan(request, patient, plan)


@role_required("clinician")
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    plan = _plan_or_404(patient)
    today = patient.local_today()
    form = RevisionForm(request.POST, plan=plan, today=today, by=request.user.display_name)
    if not form.is_valid():
        return render_plan(request, patient, plan, form=form, status=422)
    if plan.course.stopped_on is not None:
        return render_plan(request, patient, plan, form=form, status=409, blocked_message=STOPPED)
    if form.cleaned_data["kind"] == RevisionKind.RESUME.value:
        screening, _ = services.current_screening(patient)
        if services.guard_for(screening).blocked:
            return render_plan(
                request, patient, plan, form=form, status=409, blocked_message=BLOCKED_RESUME
            )
    revision = services.record_revision(plan, form.cleaned_data, today=today, by=request.user)
    audit.record(request, "create", revision, patient_id=patient.pk)
    messages.success(request, f"Plan revised: {revision.get_kind_display().lower()}.")
    return redirect("safety:plan", pk=patient.pk)


@role_required("patient")
def calendar(request: HttpRequest) -> HttpResponse:
    """The patient's schedule as an .ics file for a phone calendar, with daily reminders."""
    patient = own_patient(request)
    plan = _plan_or_404(patient)
    audit.record(request, "view", plan, patient_id=patient.pk)
    schedule = plan.schedule()
    body = schedule_to_ics(
        schedule,
        generated_at=timezone.now(),
        uid_prefix=f"course-{plan.course_id}",
        dose_labels=dose_labels(plan, schedule, patient.local_today()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ldn-schedule.ics"'
    return response
