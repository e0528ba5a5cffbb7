"""The clinician's safety pages: medication list and screening, the override of a
contraindication, planned surgery or opioid use; and the patient's hold windows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lowdose.web.access import role_required, visible_patient
from lowdose.web.accounts import audit
from lowdose.web.courses.models import Medication, Patient
from lowdose.web.safety import services
from lowdose.web.safety.forms import (
    MedicationForm,
    OverrideForm,
    PlanForm,
    PlannedEventForm,
    StopMedicationForm,
)
from lowdose.web.safety.models import PlannedEvent
from lowdose.web.safety.today import plan_of


def safety_context(request: HttpRequest, patient: Patient, **forms) -> dict:
    """Everything the safety section of the patient page shows (forms unbound unless given)."""
    screening, fresh = services.current_screening(patient)
    if fresh:
        audit.record(request, "create", screening, patient_id=patient.pk)
    today = patient.local_today()
    medications = list(patient.medications.all())
    events = list(patient.planned_events.select_related("created_by"))
    course = patient.current_course()
    return {
        "patient": patient,
        "today": today,
        "screening": screening,
        "guard": services.guard_for(screening),
        "overrides": list(patient.overrides.select_related("created_by")),
        "current_medications": [
            m for m in medications if m.stopped_on is None or m.stopped_on > today
        ],
        "stopped_medications": [
            m for m in medications if m.stopped_on is not None and m.stopped_on <= today
        ],
        "events": [(event, event.hold_window()) for event in events],
        "course": course,
        "course_running": course is not None
        and course.stopped_on is None
        and course.start_date <= today,
        "pending": services.pending_course(patient),
        "plan": plan_of(patient),
        "med_form": forms.get("med_form") or MedicationForm(),
        "stop_form": forms.get("stop_form"),
        "override_form": forms.get("override_form") or OverrideForm(),
        "event_form": forms.get("event_form") or PlannedEventForm(),
    }


@role_required("clinician")
def safety_page(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return render(request, "safety/safety_page.html", safety_context(request, patient))


def _rescreen(request: HttpRequest, patient: Patient) -> None:
    screening = services.screen_patient(patient, by=request.user)
    audit.record(request, "create", screening, patient_id=patient.pk)
    label = screening.get_verdict_display().lower()
    messages.success(request, f"Medication list screened again: {label}.")


@role_required("clinician")
@require_POST
def add_medication(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    form = MedicationForm(request.POST)
    if not form.is_valid():
        context = safety_context(request, patient, med_form=form)
        return render(request, "safety/safety_page.html", context, status=422)
    with transaction.atomic():
        medication = Medication.objects.create(patient=patient, **form.cleaned_data)
        audit.record(request, "create", medication, patient_id=patient.pk)
        _rescreen(request, patient)
    return redirect("courses:patient_detail", pk=patient.pk)


@role_required("clinician")
@require_POST
def stop_medication(request: HttpRequest, pk: int, medication_id: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    medication = get_object_or_404(Medication, pk=medication_id, patient=patient)
    form = StopMedicationForm(request.POST, medication=medication, today=patient.local_today())
    if not form.is_valid():
        context = safety_context(request, patient, stop_form=form)
        return render(request, "safety/safety_page.html", context, status=422)
    with transaction.atomic():
        medication.stopped_on = form.cleaned_data["stopped_on"]
        medication.save(update_fields=["stopped_on"])
        audit.record(request, "update", medication, patient_id=patient.pk)
        _rescreen(request, patient)
    return redirect("courses:patient_detail", pk=patient.pk)


@role_required("clinician")
@require_POST
def record_override(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    screening, _ = services.current_screening(patient)
    if not services.guard_for(screening).blocked:
        raise Http404  # nothing to override
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _override_failed(request, patient, form)
    override = services.record_override(
        screening, reason=form.cleaned_data["reason"], by=request.user
    )
    audit.record(request, "create", override, patient_id=patient.pk)
    messages.success(request, "Override recorded with your name and reason.")
    if request.POST.get("next_page") == "start":
        # Back to the plan the clinician was writing, with its values kept.
        plan = {k: v for k, v in request.POST.items() if k in PlanForm.base_fields}
        url = reverse("safety:start", kwargs={"pk": patient.pk})
        return redirect(f"{url}?{urlencode(plan)}" if plan else url)
    return redirect("courses:patient_detail", pk=patient.pk)


def _override_failed(request: HttpRequest, patient: Patient, form: OverrideForm) -> HttpResponse:
    if request.POST.get("next_page") == "start":
        from lowdose.web.safety.plan_views import render_start

        return render_start(request, patient, override_form=form, status=422)
    context = safety_context(request, patient, override_form=form)
    return render(request, "safety/safety_page.html", context, status=422)


@role_required("clinician")
@require_POST
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    form = PlannedEventForm(request.POST)
    if not form.is_valid():
        context = safety_context(request, patient, event_form=form)
        return render(request, "safety/safety_page.html", context, status=422)
    event = PlannedEvent.objects.create(
        patient=patient, created_by=request.user, **form.cleaned_data
    )
    audit.record(request, "create", event, patient_id=patient.pk)
    window = event.hold_window()
    messages.success(request, f"Hold planned: last LDN dose on {window.last_dose_on:%-d %B %Y}.")
    return redirect("courses:patient_detail", pk=patient.pk)


@role_required("clinician")
@require_POST
def delete_event(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    event = get_object_or_404(PlannedEvent, pk=event_id, patient=patient)
    audit.record(request, "delete", event, patient_id=patient.pk)
    event.delete()
    messages.success(request, "Planned event removed.")
    return redirect("courses:patient_detail", pk=patient.pk)
