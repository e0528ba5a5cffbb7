"""API operations for the patient's questionnaires, stand tests and side-effect guidance.

Errors follow the rest of the API: 422 ``{"detail", "field"}``, where ``field`` names the first
item (or reading) at fault and ``detail`` names them all; 404 for anything not the caller's own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictInt

from lowdose.errors import LowdoseError
from lowdose.instruments import (
    InvalidAnswerError,
    MissingAnswersError,
    UnknownInstrumentError,
    load_instrument,
    score_instrument,
)
from lowdose.standtest import Position, Reading, analyse_stand_test
from lowdose.web.accounts import audit
from lowdose.web.api.schemas import ErrorOut, IsoDate
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes import records, schedules
from lowdose.web.outcomes.alerts import guidance_for
from lowdose.web.outcomes.forms import skipped_items
from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest

router = Router(tags=["outcomes"])


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class DueOut(Schema):
    instrument: str
    name: str
    week: int
    due: dt.date
    state: str = Field(description="due or overdue")


class AnswersIn(_Strict):
    date: IsoDate | None = Field(None, description="The patient's local date; default today.")
    answers: dict[str, StrictInt | list[StrictInt] | None] = Field(
        description="Item id → option value (a list of values for tick-all items); "
        "answers to items that a previous answer skips are ignored."
    )


class ResponseOut(Schema):
    id: int
    instrument: str
    definition_version: str
    date: dt.date
    total: Decimal | None
    domains: dict[str, Decimal]
    findings: dict[str, bool]
    interpretation: str | None
    missing: list[str]
    skipped: list[str]


class ReadingIn(_Strict):
    minute: StrictInt = Field(description="Minutes from the start of the test, supine first.")
    position: str = Field(description="supine or standing")
    hr: StrictInt | None = None
    sbp: StrictInt | None = None
    dbp: StrictInt | None = None
    symptoms: str = Field("", max_length=200)


class StandTestIn(_Strict):
    date: IsoDate | None = Field(None, description="The patient's local date; default today.")
    readings: list[ReadingIn]
    symptoms: str = Field("", max_length=2000)


class StandTestOut(Schema):
    id: int
    date: dt.date
    age_years: int
    baseline_hr: Decimal | None
    max_delta_hr: Decimal | None
    max_delta_minute: int | None
    max_delta_standing_minute: int | None
    hr_threshold_bpm: int | None
    sustained: bool | None
    orthostatic_hypotension: bool | None
    pots_hr_criterion_met: bool | None = Field(
        description="A measurement finding, never a diagnosis."
    )
    complete: bool
    notes: list[str]


class SourceOut(Schema):
    id: str
    status: str
    citation: str


class GuidanceOut(Schema):
    side_effect: str
    severity: str
    rule: str
    urgency: str = Field(description="self_care, next_contact or contact_now")
    urgency_label: str
    advice: str
    sources: list[SourceOut]


class CheckinGuidanceOut(Schema):
    date: dt.date
    before_ldn: bool = Field(description="True when the day was before the first LDN dose.")
    assumed_dose_time: bool
    guidance: list[GuidanceOut]


def _patient(request: HttpRequest) -> Patient:
    patient = Patient.objects.select_related("clinic", "user").filter(user=request.auth).first()
    if patient is None or request.auth.role != "patient":
        raise Http404
    return patient


def _day(patient: Patient, day: dt.date | None) -> dt.date:
    today = patient.local_today()
    if day is not None and day > today:
        raise LowdoseError("The date is in the future.", field="date")
    return day or today


@router.get("/questionnaires/due", response=list[DueOut])
def list_due(request: HttpRequest):
    """The questionnaires due or overdue today for the logged-in patient."""
    patient = _patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return [
        DueOut(instrument=i.id, name=i.name, week=p.week, due=p.due, state=p.state.value)
        for i, p in schedules.waiting(patient.current_course(), patient.local_today())
    ]


@router.post(
    "/questionnaires/{instrument_id}/responses",
    response={201: ResponseOut, 404: ErrorOut, 422: ErrorOut},
)
def submit_answers(request: HttpRequest, instrument_id: str, payload: AnswersIn):
    """Score and store a filled questionnaire; 422 names the items at fault."""
    patient = _patient(request)
    try:
        instrument = load_instrument(instrument_id)
    except UnknownInstrumentError:
        raise Http404 from None
    day = _day(patient, payload.date)
    answers: dict[str, Any] = {k: v for k, v in payload.answers.items() if v not in (None, [])}
    for item_id in skipped_items(instrument, answers):
        answers.pop(item_id, None)
    try:
        result = score_instrument(instrument, answers)
    except (InvalidAnswerError, MissingAnswersError) as exc:
        raise LowdoseError(exc.message, field=exc.items[0]) from None
    row = records.save_response(patient, day, answers, result, request.auth)
    audit.record(request, "create", row, patient_id=patient.pk)
    return Status(201, _response_out(row))


def _to_places(value: Decimal, instrument_id: str) -> Decimal:
    """The stored total with as many decimals as the instrument reports."""
    places = load_instrument(instrument_id).decimals
    return value.quantize(Decimal(1).scaleb(-places))


def _response_out(row: QuestionnaireResponse) -> ResponseOut:
    return ResponseOut(
        id=row.pk,
        instrument=row.instrument,
        definition_version=row.definition_version,
        date=row.date,
        total=None if row.total is None else _to_places(row.total, row.instrument),
        domains=row.domain_scores(),
        findings=row.findings,
        interpretation=row.interpretation or None,
        missing=row.missing,
        skipped=row.skipped,
    )


class ResponseFilter(Schema):
    instrument: str | None = Field(None, description="Only this questionnaire.")


@router.get("/questionnaires/responses", response=list[ResponseOut])
def list_scores(request: HttpRequest, filters: Query[ResponseFilter]):
    """The logged-in patient's stored questionnaires with their scores, oldest first."""
    patient = _patient(request)
    rows = QuestionnaireResponse.objects.filter(patient=patient).order_by("date", "pk")
    if filters.instrument:
        rows = rows.filter(instrument=filters.instrument)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return [_response_out(row) for row in rows]


def _reading(raw: ReadingIn) -> Reading:
    try:
        position = Position(raw.position.strip().lower())
    except ValueError:
        raise LowdoseError(
            f"Minute {raw.minute}: position must be supine or standing.", field="position"
        ) from None
    return Reading(raw.minute, position, raw.hr, raw.sbp, raw.dbp, raw.symptoms.strip())


@router.post("/stand-tests", response={201: StandTestOut, 422: ErrorOut})
def submit_stand_test(request: HttpRequest, payload: StandTestIn):
    """Analyse and store a stand test (age from the date of birth on the test day)."""
    patient = _patient(request)
    day = _day(patient, payload.date)
    readings = [_reading(r) for r in payload.readings]
    result = analyse_stand_test(readings, patient.age_on(day))
    test = records.save_stand_test(
        patient, day, readings, result, payload.symptoms.strip(), request.auth
    )
    audit.record(request, "create", test, patient_id=patient.pk)
    return Status(201, _stand_test_out(test))


def _stand_test_out(test: StandTest) -> StandTestOut:
    result = test.result
    return StandTestOut(
        id=test.pk,
        date=test.date,
        age_years=test.age_years,
        baseline_hr=test.baseline_hr,
        max_delta_hr=test.max_delta_hr,
        max_delta_minute=result.get("max_delta_minute"),
        max_delta_standing_minute=test.max_delta_standing_minute,
        hr_threshold_bpm=result.get("hr_threshold_bpm"),
        sustained=result.get("sustained"),
        orthostatic_hypotension=test.orthostatic_hypotension,
        pots_hr_criterion_met=test.pots_hr_criterion_met,
        complete=test.complete,
        notes=result.get("notes", []),
    )


@router.get("/stand-tests", response=list[StandTestOut])
def list_stand_tests(request: HttpRequest):
    """The logged-in patient's stand tests, oldest first."""
    patient = _patient(request)
    audit.record(request, "view", patient, patient_id=patient.pk)
    tests = StandTest.objects.filter(patient=patient).order_by("date", "pk")
    return [_stand_test_out(test) for test in tests]


@router.get("/checkins/{day}/guidance", response={200: CheckinGuidanceOut, 404: ErrorOut})
def checkin_guidance(request: HttpRequest, day: IsoDate):
    """Guidance for each side effect of the check-in of ``day`` (empty list: none reported)."""
    patient = _patient(request)
    row = CheckIn.objects.select_related("course").filter(patient=patient, date=day).first()
    if row is None:
        raise Http404
    audit.record(request, "view", row, patient_id=patient.pk)
    found = guidance_for(row)
    return CheckinGuidanceOut(
        date=row.date,
        before_ldn=found.before_ldn,
        assumed_dose_time=found.assumed_dose_time,
        guidance=[
            GuidanceOut(
                side_effect=effect.value,
                severity=severity.name.lower(),
                rule=advice.rule_id,
                urgency=advice.urgency.value,
                urgency_label=advice.urgency.label,
                advice=advice.patient_text,
                sources=[
                    SourceOut(id=s.id, status=s.status, citation=s.citation) for s in advice.sources
                ],
            )
            for effect, severity, advice in found.items
        ],
    )
