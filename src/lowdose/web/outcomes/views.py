"""Pages for questionnaires, stand tests, side-effect guidance and alerts.

Patients reach their own pages under ``/me/``; clinicians reach their patients' under
``/patients/<pk>/``. Anything a person may not see answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lowdose.instruments import UnknownInstrumentError, available_instruments, load_instrument
from lowdose.web.access import own_patient, role_required, visible_course, visible_patient
from lowdose.web.accounts import audit
from lowdose.web.diary.charting import svg_response
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import alerts, records, schedules
from lowdose.web.outcomes.charting import stand_test_chart_svg, stand_test_rows
from lowdose.web.outcomes.forms import QuestionnaireForm, ScheduleForm, StandTestForm
from lowdose.web.outcomes.models import Alert, QuestionnairePlan, QuestionnaireResponse, StandTest


def _instrument(instrument_id: str):
    try:
        return load_instrument(instrument_id)
    except UnknownInstrumentError:
        raise Http404 from None


# --- patient: questionnaires --------------------------------------------------------------------


@role_required("patient")
def my_questionnaires(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    today = patient.local_today()
    responses = QuestionnaireResponse.objects.filter(patient=patient).order_by("-date", "-pk")
    audit.record(request, "view", patient, patient_id=patient.pk)
    names = {i.id: i.name for i in available_instruments()}
    return render(
        request,
        "outcomes/my_questionnaires.html",
        {
            "waiting": schedules.waiting(patient.current_course(), today),
            "instruments": available_instruments(),
            "responses": [(r, names.get(r.instrument, r.instrument)) for r in responses[:50]],
        },
    )


@role_required("patient")
@require_http_methods(["GET", "POST"])
def fill_questionnaire(request: HttpRequest, instrument_id: str) -> HttpResponse:
    patient = own_patient(request)
    instrument = _instrument(instrument_id)
    today = patient.local_today()
    form = QuestionnaireForm(
        request.POST or None, instrument=instrument, today=today, initial={"date": today}
    )
    if request.method == "POST" and form.is_valid():
        response = records.save_response(
            patient, form.cleaned_data["date"], form.answers, form.result, request.user
        )
        audit.record(request, "create", response, patient_id=patient.pk)
        messages.success(request, f"{instrument.name}: your answers are saved. Thank you.")
        return redirect("outcomes:my_response", pk=response.pk)
    return render(
        request, "outcomes/fill_questionnaire.html", {"form": form, "instrument": instrument}
    )


@role_required("patient")
def my_response(request: HttpRequest, pk: int) -> HttpResponse:
    patient = own_patient(request)
    response = get_object_or_404(QuestionnaireResponse, pk=pk, patient=patient)
    audit.record(request, "view", response, patient_id=patient.pk)
    instrument = _instrument(response.instrument)
    return render(
        request,
        "outcomes/my_response.html",
        {
            "response": response,
            "instrument": instrument,
            "words": records.score_words(instrument, response),
            "domains": records.domain_rows(response),
        },
    )


# --- clinician: questionnaires ------------------------------------------------------------------


def _score_tables(patient) -> list[dict]:
    """Per questionnaire: the scores over time, oldest first (the clinician's table)."""
    rows = QuestionnaireResponse.objects.filter(patient=patient).order_by("date", "pk")
    tables: dict[str, dict] = {}
    for row in rows:
        if row.instrument not in tables:
            instrument = _instrument(row.instrument)
            parts = records.score_parts(instrument)
            tables[row.instrument] = {"instrument": instrument, "parts": parts, "rows": []}
        table = tables[row.instrument]
        scores = [row.domains.get(key) for key, _ in table["parts"]]
        table["rows"].append({"response": row, "scores": scores})
    return [{**t, "columns": [label for _, label in t["parts"]]} for t in tables.values()]


@role_required("clinician")
def patient_questionnaires(request: HttpRequest, pk: int, form=None) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    course = patient.current_course()
    today = patient.local_today()
    plan = schedules.plan_for(course) if course else None
    if course and form is None:
        form = ScheduleForm(
            initial={
                "instruments": plan.instruments,
                "weeks": ", ".join(str(w) for w in plan.weeks),
                "repeat_every_weeks": plan.repeat_every_weeks,
            }
        )
    return render(
        request,
        "outcomes/patient_questionnaires.html",
        {
            "patient": patient,
            "course": course,
            "plan": plan,
            "status": schedules.course_status(course, today) if course else [],
            "tables": _score_tables(patient),
            "form": form,
        },
    )


@role_required("clinician")
@require_POST
def edit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    patient, course = visible_course(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return patient_questionnaires(request, pk, form=form)
    plan, created = QuestionnairePlan.objects.update_or_create(
        course=course,
        defaults={
            "instruments": form.cleaned_data["instruments"],
            "weeks": form.cleaned_data["weeks"],
            "repeat_every_weeks": form.cleaned_data["repeat_every_weeks"],
            "updated_by": request.user,
        },
    )
    audit.record(request, "create" if created else "update", plan, patient_id=patient.pk)
    messages.success(request, "Questionnaire schedule saved.")
    return redirect("outcomes:patient_questionnaires", pk=patient.pk)


# --- stand tests --------------------------------------------------------------------------------


@role_required("patient")
@require_http_methods(["GET", "POST"])
def new_stand_test(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    today = patient.local_today()
    form = StandTestForm(
        request.POST or None, today=today, age_on=patient.age_on, initial={"date": today}
    )
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["date"]
        test = records.save_stand_test(
            patient, day, form.readings, form.result, form.cleaned_data["symptoms"], request.user
        )
        audit.record(request, "create", test, patient_id=patient.pk)
        messages.success(request, "Your stand test is saved.")
        return redirect("outcomes:my_stand_test", pk=test.pk)
    return render(request, "outcomes/new_stand_test.html", {"form": form})


@role_required("patient")
def my_stand_tests(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    tests = StandTest.objects.filter(patient=patient).order_by("-date", "-pk")
    return render(request, "outcomes/my_stand_tests.html", {"tests": tests})


@role_required("patient")
def my_stand_test(request: HttpRequest, pk: int) -> HttpResponse:
    patient = own_patient(request)
    test = get_object_or_404(StandTest, pk=pk, patient=patient)
    audit.record(request, "view", test, patient_id=patient.pk)
    return render(request, "outcomes/stand_test.html", {"test": test, "for_patient": True})


@role_required("clinician")
def patient_stand_tests(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    tests = list(StandTest.objects.filter(patient=patient).order_by("date", "pk"))
    return render(
        request,
        "outcomes/patient_stand_tests.html",
        {"patient": patient, "tests": tests, "rows": stand_test_rows(tests)},
    )


@role_required("clinician")
def patient_stand_test(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    test = get_object_or_404(StandTest, pk=test_pk, patient=patient)
    audit.record(request, "view", test, patient_id=patient.pk)
    return render(
        request,
        "outcomes/stand_test.html",
        {"test": test, "patient": patient, "for_patient": False},
    )


@role_required("clinician")
def stand_test_chart(request: HttpRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return svg_response(stand_test_chart_svg(patient))


# --- guidance and alerts ------------------------------------------------------------------------


@role_required("patient")
def checkin_guidance(request: HttpRequest, pk: int) -> HttpResponse:
    patient = own_patient(request)
    row = get_object_or_404(CheckIn.objects.select_related("course"), pk=pk, patient=patient)
    audit.record(request, "view", row, patient_id=patient.pk)
    return render(
        request, "outcomes/guidance.html", {"checkin": row, "guidance": alerts.guidance_for(row)}
    )


@role_required("clinician")
@require_POST
def acknowledge_alert(request: HttpRequest, pk: int, alert_pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    alert = get_object_or_404(Alert, pk=alert_pk, patient=patient)
    if alerts.acknowledge(alert, request.user):
        audit.record(request, "update", alert, patient_id=patient.pk)
        messages.success(request, f"Alert acknowledged: {alert.detail}")
    return redirect("courses:patient_detail", pk=patient.pk)
