"""The patient's own pages: home with today's dose, the check-in and the chart."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lowdose.web.access import own_patient, role_required
from lowdose.web.accounts import audit
from lowdose.web.diary.charting import history_context, ratings_chart_svg, svg_response
from lowdose.web.diary.forms import CheckinForm
from lowdose.web.diary.models import CheckIn
from lowdose.web.diary.services import record_checkin


@role_required("patient")
def home(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    today = patient.local_today()
    course = patient.current_course()
    existing = CheckIn.objects.filter(patient=patient, date=today).first()
    form = CheckinForm(
        initial=CheckinForm.initial_from(existing) if existing else {"date": today}, today=today
    )
    recent = list(CheckIn.objects.filter(patient=patient).order_by("-date")[:14])
    return render(
        request,
        "diary/home.html",
        {
            "patient": patient,
            "today": today,
            "course": course,
            "form": form,
            "phase": course.phase_on(today) if course else None,
            "dose_today": course.dose_on(today) if course else None,
            "days_on": (today - course.start_date).days + 1 if course else None,
            "existing": existing,
            "recent": recent,
            **history_context(recent),
        },
    )


@role_required("patient")
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    today = patient.local_today()
    if request.method == "POST":
        form = CheckinForm(request.POST, today=today, born=patient.date_of_birth)
        if form.is_valid():
            row, created = record_checkin(patient, form.entry, entered_by=request.user)
            audit.record(request, "create" if created else "update", row, patient_id=patient.pk)
            word = "saved" if created else "updated"
            messages.success(request, f"Check-in for {row.date:%A %-d %B} {word}.")
            if row.side_effects:  # the next page shows side-effect guidance for this check-in
                request.session["outcomes_guidance_checkin"] = row.pk
            return redirect("diary:home")
    else:
        day = _requested_day(request, today)
        existing = CheckIn.objects.filter(patient=patient, date=day).first()
        if existing:
            audit.record(request, "view", existing, patient_id=patient.pk)
        initial = CheckinForm.initial_from(existing) if existing else {"date": day}
        form = CheckinForm(initial=initial, today=today)
    return render(request, "diary/checkin.html", {"form": form, "today": today})


def _requested_day(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        return min(dt.date.fromisoformat(request.GET.get("date", "")), today)
    except ValueError:
        return today


@role_required("patient")
def chart(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return svg_response(ratings_chart_svg(patient))
