"""'Is it working?' for the patient (plain words and a chart) and the clinician (the numbers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lowdose.ratings import RATING_NAMES
from lowdose.web.access import (
    course_or_404,
    own_patient,
    role_required,
    visible_course,
    visible_patient,
)
from lowdose.web.accounts import audit
from lowdose.web.courses.models import Patient
from lowdose.web.diary.charting import svg_response
from lowdose.web.evaluation import services, trials
from lowdose.web.evaluation.charting import comparison_chart_svg
from lowdose.web.evaluation.forms import MainOutcomeForm, ReasonForm
from lowdose.web.evaluation.models import MainOutcome


def _context(request: HttpRequest, patient: Patient) -> dict:
    evaluation = services.evaluate_course(patient)
    context = {"patient": patient, "evaluation": evaluation}
    trial = evaluation.trial if evaluation else None
    if trial is not None:
        show_arm = trials.can_see_allocation(request.user, trial)
        context["trial"] = trial
        context["trial_end"] = trials.end_date(trial)
        context["periods"] = trials.period_rows(trial, evaluation.series, show_arm=show_arm)
        context["show_arm"] = show_arm
        context["emergencies"] = list(trial.emergency_unblindings.select_related("by"))
        if trial.unblinded_at is not None:
            context["final"] = trials.final_analysis(
                trial, evaluation.course, evaluation.series, evaluation.today
            )
    return context


@role_required("patient")
def mine(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return render(request, "evaluation/mine.html", _context(request, patient))


@role_required("clinician")
def patient(request: HttpRequest, pk: int, form=None, reason_form=None) -> HttpResponse:
    person = visible_patient(request, pk)
    audit.record(request, "view", person, patient_id=person.pk)
    context = _context(request, person)
    evaluation = context["evaluation"]
    if evaluation is not None:
        context["form"] = form or MainOutcomeForm(initial={"outcome": evaluation.main.outcome})
        context["reason_form"] = reason_form or ReasonForm()
        context["is_prescriber"] = evaluation.course.prescriber_id == request.user.pk
    return render(request, "evaluation/patient.html", context)


def _chart(patient: Patient, outcome: str) -> HttpResponse:
    if outcome not in RATING_NAMES:
        raise Http404
    course = course_or_404(patient)
    rows = services.checkin_rows([patient.pk]).get(patient.pk, [])
    trial = services.course_trial(course)
    series = services.build_series(course, rows, trial)
    [item] = services.evaluate_outcomes(course, series, [outcome], patient.local_today())
    if item.result is None:
        raise Http404
    title = f"{item.label} before LDN and on the maintenance dose"
    return svg_response(comparison_chart_svg(series, item.result, title=title))


def _trial_chart(patient: Patient, outcome: str) -> HttpResponse:
    """The unblinded trial's LDN and placebo periods; 404 while the trial is still blinded."""
    course = patient.current_course()
    trial = services.course_trial(course) if course is not None else None
    if trial is None or trial.unblinded_at is None or outcome not in trial.outcomes:
        raise Http404
    rows = services.checkin_rows([patient.pk]).get(patient.pk, [])
    series = services.build_series(course, rows, trial)
    [item] = trials.final_analysis(trial, course, series, patient.local_today(), [outcome])
    if item.result is None:
        raise Http404
    title = f"{item.label} in the LDN and placebo periods of the blinded trial"
    return svg_response(comparison_chart_svg(series, item.result, title=title))


@role_required("patient")
def my_trial_chart(request: HttpRequest, outcome: str) -> HttpResponse:
    patient = own_patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return _trial_chart(patient, outcome)


@role_required("clinician")
def trial_chart(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    person = visible_patient(request, pk)
    audit.record(request, "view", person, patient_id=person.pk)
    return _trial_chart(person, outcome)


@role_required("patient")
def my_chart(request: HttpRequest, outcome: str) -> HttpResponse:
    patient = own_patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return _chart(patient, outcome)


@role_required("clinician")
def patient_chart(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    person = visible_patient(request, pk)
    audit.record(request, "view", person, patient_id=person.pk)
    return _chart(person, outcome)


@role_required("clinician")
@require_POST
def set_main_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    person, course = visible_course(request, pk)
    form = MainOutcomeForm(request.POST)
    if not form.is_valid():
        return patient(request, pk, form=form)
    choice, created = MainOutcome.objects.update_or_create(
        course=course, defaults={"outcome": form.cleaned_data["outcome"], "set_by": request.user}
    )
    audit.record(request, "create" if created else "update", choice, patient_id=person.pk)
    messages.success(request, f"Main outcome set to {choice.get_outcome_display().lower()}.")
    return redirect("evaluation:patient", pk=person.pk)
