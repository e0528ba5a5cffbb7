"""JSON API for plans and screening: the patient's own plan, and for the clinician a patient's
plan, their stored screening, adding a medication (screened at once), and screening a list."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lowdose.dose import format_mg
from lowdose.screening import screen_medications
from lowdose.web.accounts import audit
from lowdose.web.api.schemas import ErrorOut, IsoDate, Strict
from lowdose.web.courses.models import Medication, Patient
from lowdose.web.safety import services
from lowdose.web.safety.models import Plan, Screening
from lowdose.web.safety.today import dose_today, plan_of

router = Router(tags=["plans and screening"])


class StepOut(Schema):
    first_day: dt.date
    last_day: dt.date
    dose_mg: str


class RevisionOut(Schema):
    kind: str
    effective: dt.date
    by: str
    at: dt.datetime
    reason: str
    dose_mg: str | None
    days: int | None
    description: str


class PlanOut(Schema):
    patient: str
    form: str
    time: str
    start_date: dt.date
    target_mg: str
    ceiling_mg: str
    steps: list[StepOut]
    warnings: list[str]
    revisions: list[RevisionOut]
    dose_today_mg: str | None
    dose_today_dispensed: str | None = Field(
        description="How to take today's dose from the latest batch, e.g. 1.5 mL of 1 mg/mL."
    )


class FindingOut(Schema):
    input: str
    matched: str
    ingredients: list[str]
    drug_class: str = Field(alias="class")
    severity: str
    reason: str
    source: str
    confidence: str
    match: str
    did_you_mean: list[str]


class ScreeningOut(Schema):
    verdict: str = Field(description="contraindicated, caution, clear, or empty (no medications)")
    screened_at: dt.datetime | None
    medications: list[str]
    findings: list[FindingOut]
    unknown: list[str] = Field(description="Names not in the knowledge file: never safe.")
    blocked: bool = Field(description="True while LDN may not start or resume (no override).")


class MedicationIn(Strict):
    name: str = Field(description="As written, e.g. 'Tramadol 50 mg tablets'.")
    started_on: IsoDate | None = None


class MedicationListIn(Strict):
    medications: list[str]


def _clinician_patient(request: HttpRequest, pk: int) -> Patient:
    user = request.auth
    if user.role != "clinician":
        raise Http404
    patient = Patient.objects.visible_to(user).select_related("clinic", "user").filter(pk=pk)
    if not patient.exists():
        raise Http404
    return patient.get()


def _plan_out(patient: Patient, plan: Plan) -> PlanOut:
    schedule = plan.schedule()
    today = dose_today(patient, plan)
    return PlanOut(
        patient=str(patient),
        form=plan.form,
        time=plan.time,
        start_date=plan.start_date,
        target_mg=format_mg(plan.target_mg),
        ceiling_mg=format_mg(plan.ceiling_mg),
        steps=[
            StepOut(first_day=s.first_day, last_day=s.last_day, dose_mg=s.dose.text)
            for s in schedule.steps
        ],
        warnings=list(schedule.warnings),
        revisions=[
            RevisionOut(
                kind=r.kind,
                effective=r.effective,
                by=r.created_by.display_name,
                at=r.created_at,
                reason=r.reason,
                dose_mg=format_mg(r.dose_mg) if r.dose_mg is not None else None,
                days=r.days,
                description=r.as_core().describe(),
            )
            for r in plan.revisions.select_related("created_by")
        ],
        dose_today_mg=today.dose.text if today.dose else None,
        dose_today_dispensed=today.how,
    )


def _screening_out(screening: Screening | None, result=None, names=()) -> dict:
    if screening is not None:
        return {
            "verdict": screening.verdict,
            "screened_at": screening.created_at,
            "medications": screening.medications,
            "findings": screening.findings,
            "unknown": screening.unknown,
            "blocked": services.guard_for(screening).blocked,
        }
    return {
        "verdict": result.verdict.value,
        "screened_at": None,
        "medications": names,
        "findings": [services.jsonable(f.as_dict()) for f in result.findings],
        "unknown": list(result.unknown),
        "blocked": bool(result.contraindicated),
    }


@router.get("/plan", response={200: PlanOut, 404: ErrorOut}, tags=["patient"])
def read_own_plan(request: HttpRequest):
    """The logged-in patient's current titration plan and today's dose."""
    patient = Patient.objects.select_related("clinic", "user").filter(user=request.auth).first()
    if patient is None or request.auth.role != "patient":
        raise Http404
    plan = plan_of(patient)
    if plan is None:
        return Status(404, {"detail": "No titration plan yet"})
    audit.record(request, "view", plan, patient_id=patient.pk)
    return Status(200, _plan_out(patient, plan))


@router.get("/patients/{patient_id}/plan", response={200: PlanOut, 404: ErrorOut})
def read_patient_plan(request: HttpRequest, patient_id: int):
    """A patient's current titration plan (their clinic's clinicians only)."""
    patient = _clinician_patient(request, patient_id)
    plan = plan_of(patient)
    if plan is None:
        return Status(404, {"detail": "No titration plan yet"})
    audit.record(request, "view", plan, patient_id=patient.pk)
    return Status(200, _plan_out(patient, plan))


@router.get("/patients/{patient_id}/screening", response={200: ScreeningOut, 404: ErrorOut})
def read_screening(request: HttpRequest, patient_id: int):
    """The latest screening of the patient's medication list (screened again if it changed)."""
    patient = _clinician_patient(request, patient_id)
    screening, fresh = services.current_screening(patient)
    audit.record(request, "create" if fresh else "view", screening, patient_id=patient.pk)
    return Status(200, _screening_out(screening))


@router.post(
    "/patients/{patient_id}/medications",
    response={201: ScreeningOut, 404: ErrorOut, 422: ErrorOut},
)
def add_medication(request: HttpRequest, patient_id: int, payload: MedicationIn):
    """Add a medication to the patient's list; the list is screened again and returned."""
    patient = _clinician_patient(request, patient_id)
    name = " ".join(payload.name.split())
    if not name or len(name) > 200:
        return Status(422, {"detail": "Enter the medication's name (200 characters at most).",
                            "field": "name"})  # fmt: skip
    medication = Medication.objects.create(
        patient=patient, name=name, started_on=payload.started_on
    )
    audit.record(request, "create", medication, patient_id=patient.pk)
    screening = services.screen_patient(patient, by=request.auth)
    audit.record(request, "create", screening, patient_id=patient.pk)
    return Status(201, _screening_out(screening))


@router.post("/screening", response={200: ScreeningOut, 404: ErrorOut, 422: ErrorOut})
def screen_list(request: HttpRequest, payload: MedicationListIn):
    """Screen a medication list without storing anything (clinicians and pharmacists)."""
    if request.auth.role not in ("clinician", "pharmacist"):
        raise Http404
    result = screen_medications(payload.medications)  # an empty list is a 422 on "medications"
    names = [name.strip() for name in payload.medications if name.strip()]
    return Status(200, _screening_out(None, result, names))
