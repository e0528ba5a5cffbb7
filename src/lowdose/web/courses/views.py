"""Staff pages: the clinician's patient list and patient page, the pharmacist's course list,
and the researcher's de-identified overview."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lowdose.course import Phase
from lowdose.web.access import role_required, visible_course, visible_patient
from lowdose.web.accounts import audit
from lowdose.web.courses.forms import DoseChangeForm
from lowdose.web.courses.models import DoseChange, Patient, PatientCondition
from lowdose.web.diary.charting import history_context, ratings_chart_svg, svg_response
from lowdose.web.diary.models import CheckIn

PAGE_SIZE = 50


def _patient_rows(request: HttpRequest):
    last_checkin = CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-date")
    patients = (
        Patient.objects.visible_to(request.user)
        .select_related("user", "clinic")
        .prefetch_related("conditions", "courses__dose_changes")
        .annotate(last_checkin=Subquery(last_checkin.values("date")[:1]))
        .order_by("user__last_name", "user__first_name", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        patients = patients.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(record_number__iexact=query)
        )
    return patients, query


def _summarise(patient: Patient, today: dt.date) -> dict:
    courses = sorted(patient.courses.all(), key=lambda c: c.start_date, reverse=True)
    course = courses[0] if courses else None
    phase = course.phase_on(today) if course else None
    dose = None
    if course and phase in (Phase.TITRATION, Phase.MAINTENANCE):
        steps = sorted(course.dose_changes.all(), key=lambda c: c.effective_on)
        dose = next((s.dose_mg for s in reversed(steps) if s.effective_on <= today), None)
    return {
        "patient": patient,
        "course": course,
        "phase": phase,
        "dose": dose,
        "conditions": [c.get_condition_display() for c in patient.conditions.all()],
        "days_on": (today - course.start_date).days + 1
        if phase in (Phase.TITRATION, Phase.MAINTENANCE)
        else None,
    }


@role_required("clinician")
def patient_list(request: HttpRequest) -> HttpResponse:
    """The old list address: the dashboard lists the clinic's patients now."""
    query = request.GET.urlencode()
    return redirect(reverse("dashboard:dashboard") + (f"?{query}" if query else ""))


@role_required("clinician")
def patient_detail(request: HttpRequest, pk: int, dose_form=None) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    today = patient.local_today()
    summary = _summarise(patient, today)
    recent = list(CheckIn.objects.filter(patient=patient).order_by("-date")[:28])
    return render(
        request,
        "courses/patient_detail.html",
        {
            **summary,
            "today": today,
            **history_context(recent),
            "age": patient.age_on(today),
            "follows_plan": _follows_plan(summary["course"]),
            "dose_steps": summary["course"].dose_steps() if summary["course"] else [],
            "dose_form": dose_form
            or (
                DoseChangeForm(course=summary["course"], initial={"effective_on": today})
                if summary["course"]
                else None
            ),
        },
    )


def _follows_plan(course) -> bool:
    """A course started from a titration plan changes its dose through plan revisions."""
    return course is not None and hasattr(course, "plan")


@role_required("clinician")
@require_POST
def change_dose(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a new daily dose from a date on (replacing a change already set for that date)."""
    patient, course = visible_course(request, pk)
    if _follows_plan(course):
        messages.error(request, "This course follows a titration plan: revise the plan instead.")
        return redirect("courses:patient_detail", pk=patient.pk)
    form = DoseChangeForm(request.POST, course=course)
    if not form.is_valid():
        return patient_detail(request, pk, dose_form=form)
    change, created = DoseChange.objects.update_or_create(
        course=course,
        effective_on=form.cleaned_data["effective_on"],
        defaults={
            "dose_mg": form.cleaned_data["dose"],
            "note": form.cleaned_data["note"],
            "created_by": request.user,
        },
    )
    audit.record(request, "create" if created else "update", change, patient_id=patient.pk)
    messages.success(
        request,
        f"Dose set to {change.dose_mg.normalize():f} mg from {change.effective_on:%-d %B %Y}.",
    )
    return redirect("courses:patient_detail", pk=patient.pk)


@role_required("clinician")
def patient_chart(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return svg_response(ratings_chart_svg(patient))


@role_required("pharmacist")
def pharmacy_courses(request: HttpRequest) -> HttpResponse:
    """The clinic's courses with the dose each patient takes today, for dispensing."""
    patients, query = _patient_rows(request)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [row for row in (_summarise(p, today) for p in page) if row["course"]]
    audit.record_list(request, (row["patient"] for row in rows))
    return render(request, "courses/pharmacy.html", {"page": page, "rows": rows, "q": query})


@role_required("researcher")
def research_overview(request: HttpRequest) -> HttpResponse:
    """Counts only: no names, no record numbers, no dates of birth."""
    clinic = request.user.clinic
    by_condition = (
        PatientCondition.objects.filter(patient__clinic=clinic)
        .values("condition")
        .annotate(n=Count("patient", distinct=True))
        .order_by("-n")
    )
    labels = dict(PatientCondition._meta.get_field("condition").choices)
    totals = {
        "patients": Patient.objects.filter(clinic=clinic).count(),
        "checkins": CheckIn.objects.filter(patient__clinic=clinic).count(),
    }
    conditions = [(labels[row["condition"]], row["n"]) for row in by_condition]
    return render(request, "courses/research.html", {"totals": totals, "conditions": conditions})
