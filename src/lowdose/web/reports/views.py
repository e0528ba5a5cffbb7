"""Documents a patient carries or a clinician sends, and the evidence library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from lowdose.course import Condition
from lowdose.evidence import EvidenceError, studies_for, summarise_evidence
from lowdose.holds import OpioidExposure, hold_rules
from lowdose.web.access import course_or_404, own_patient, role_required, visible_patient
from lowdose.web.accounts import audit
from lowdose.web.courses.models import Patient
from lowdose.web.reports.pdf import pdf_response, render_pdf
from lowdose.web.reports.report import report_context

REPORT_STYLESHEETS = ("lowdose/report.css",)


def card_context(patient: Patient) -> dict:
    course = patient.current_course()
    today = patient.local_today()
    return {
        "patient": patient,
        "course": course,
        "clinic": patient.clinic,
        "dose": course.dose_on(today) if course else None,
        "prescriber": course.prescriber if course else None,
        "today": today,
        "hold_days": hold_rules().stop_before_days,
    }


def _card(request: HttpRequest, patient: Patient) -> HttpResponse:
    course_or_404(patient)  # a card must never say that someone not on LDN takes it
    audit.record(request, "view", patient, patient_id=patient.pk)
    data = render_pdf("reports/card.html", card_context(patient))
    return pdf_response(data, f"ldn-card-{slugify(str(patient))}.pdf")


@role_required("patient")
def my_card(request: HttpRequest) -> HttpResponse:
    return _card(request, own_patient(request))


@role_required("clinician")
def patient_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, visible_patient(request, pk))


@role_required("clinician")
def surgery_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter for a surgeon or anaesthetist: hold LDN before, restart after opioids."""
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    rules = hold_rules()
    context = {
        **card_context(patient),
        "rules": rules,
        "author": request.user,
        "short_acting": rules.opioid_free_days[OpioidExposure.SHORT_ACTING],
        "long_acting": rules.opioid_free_days[OpioidExposure.LONG_ACTING],
    }
    data = render_pdf("reports/surgery_letter.html", context)
    return pdf_response(data, f"ldn-surgery-letter-{slugify(str(patient))}.pdf")


@role_required("clinician")
def course_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The course report as a web page (the PDF is the same template)."""
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return render(request, "reports/report.html", report_context(patient, request.user))


@role_required("clinician")
def course_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    data = render_pdf(
        "reports/report.html", report_context(patient, request.user), stylesheets=REPORT_STYLESHEETS
    )
    return pdf_response(data, f"ldn-report-{slugify(str(patient))}.pdf")


@login_required
def evidence_index(request: HttpRequest) -> HttpResponse:
    conditions = [(c, summarise_evidence(c), len(studies_for(c))) for c in Condition]
    return render(request, "reports/evidence_index.html", {"conditions": conditions})


@login_required
def evidence_condition(request: HttpRequest, condition: str) -> HttpResponse:
    try:
        studies = studies_for(condition)
    except EvidenceError:
        raise Http404 from None
    chosen = Condition(condition)
    return render(
        request,
        "reports/evidence_condition.html",
        {
            "condition": chosen,
            "studies": studies,
            "summary": summarise_evidence(chosen),
        },
    )
