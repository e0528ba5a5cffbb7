"""JSON API: "Is it working?" for the logged-in patient and for a clinician's patient.

The allocation of a blinded trial is never in these answers before the blind is broken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lowdose.web.accounts import audit
from lowdose.web.api.schemas import ErrorOut
from lowdose.web.courses.models import Patient
from lowdose.web.evaluation import services, trials

router = Router(tags=["evaluation"])


class OutcomeOut(Schema):
    outcome: str
    label: str
    evaluated: bool
    missing: str | None = Field(None, description="What is still needed, when not evaluated.")
    result: dict[str, Any] | None = Field(
        None, description="As 'lowdose analyze --json': effect, nap, probability, responder …"
    )


class PeriodOut(Schema):
    period: int
    first_date: dt.date
    last_date: dt.date
    arm: str | None = Field(None, description="Only once the blind is broken.")
    means: dict[str, float | None]
    days: dict[str, int]


class TrialOut(Schema):
    start_date: dt.date
    end_date: dt.date
    pairs: int
    block_days: int
    washout_days: int
    blinded: bool
    periods: list[PeriodOut]
    emergency_unblindings: list[dict[str, Any]]
    protocol_hash: str | None = Field(None, description="Shown once the trial is unblinded.")
    final: list[OutcomeOut] | None = None


class EvaluationOut(Schema):
    patient: str
    main_outcome: str
    main_outcome_source: str
    main_outcome_is_default: bool
    design: str
    outcomes: list[OutcomeOut]
    trial: TrialOut | None = None


def _outcomes(items) -> list[OutcomeOut]:
    return [
        OutcomeOut(
            outcome=i.name,
            label=i.label,
            evaluated=i.result is not None,
            missing=i.missing,
            result=i.result.as_dict() if i.result is not None else None,
        )
        for i in items
    ]


def _trial_out(user, evaluation) -> TrialOut | None:
    trial = evaluation.trial
    if trial is None:
        return None
    return _trial_schema(user, trial, evaluation.course, evaluation.series, evaluation.today)


def _trial_schema(user, trial, course, series, today: dt.date) -> TrialOut:
    show_arm = trials.can_see_allocation(user, trial)
    rows = trials.period_rows(trial, series, show_arm=show_arm)
    final = None
    if trial.unblinded_at is not None:
        final = _outcomes(trials.final_analysis(trial, course, series, today))
    return TrialOut(
        start_date=trial.start_date,
        end_date=trials.end_date(trial),
        pairs=trial.pairs,
        block_days=trial.block_days,
        washout_days=trial.washout_days,
        blinded=not show_arm,
        periods=[
            PeriodOut(
                period=r.number,
                first_date=r.first_date,
                last_date=r.last_date,
                arm=r.arm,
                means={label: mean for label, _, mean in r.means},
                days={label: n for label, n, _ in r.means},
            )
            for r in rows
        ],
        emergency_unblindings=[
            {"at": e.at, "by": e.by.display_name, "reason": e.reason}
            for e in trial.emergency_unblindings.select_related("by")
        ],
        protocol_hash=trial.protocol_hash or None if trial.unblinded_at else None,
        final=final,
    )


def _answer(request: HttpRequest, patient: Patient):
    evaluation = services.evaluate_course(patient)
    if evaluation is None:
        return Status(404, {"detail": "No LDN course yet"})
    audit.record(request, "view", patient, patient_id=patient.pk)
    return Status(
        200,
        EvaluationOut(
            patient=str(patient),
            main_outcome=evaluation.main.outcome,
            main_outcome_source=evaluation.main.source,
            main_outcome_is_default=evaluation.main.is_default,
            design="open",
            outcomes=_outcomes(evaluation.outcomes),
            trial=_trial_out(request.auth, evaluation),
        ),
    )


@router.get("/evaluation", response={200: EvaluationOut, 404: ErrorOut}, tags=["patient"])
def read_own_evaluation(request: HttpRequest):
    """Is it working? The logged-in patient's evaluation, main outcome first."""
    patient = Patient.objects.select_related("clinic", "user").filter(user=request.auth).first()
    if patient is None or request.auth.role != "patient":
        raise Http404
    return _answer(request, patient)


@router.get("/patients/{patient_id}/evaluation", response={200: EvaluationOut, 404: ErrorOut})
def read_patient_evaluation(request: HttpRequest, patient_id: int):
    """A patient's evaluation (their clinic's clinicians only)."""
    if request.auth.role != "clinician":
        raise Http404
    patient = (
        Patient.objects.visible_to(request.auth)
        .select_related("clinic", "user")
        .filter(pk=patient_id)
        .first()
    )
    if patient is None:
        raise Http404
    return _answer(request, patient)


class PharmacyTrialOut(TrialOut):
    seed: int
    protocol_locked_at: dt.datetime | None
    packs_dispensed: list[int]


@router.get(
    "/patients/{patient_id}/trial",
    response={200: PharmacyTrialOut, 404: ErrorOut},
    tags=["pharmacy"],
)
def read_trial(request: HttpRequest, patient_id: int):
    """A patient's blinded trial with its allocation and packs (their clinic's pharmacists only)."""
    if request.auth.role != "pharmacist":
        raise Http404
    patient = Patient.objects.visible_to(request.auth).filter(pk=patient_id).first()
    course = patient.current_course() if patient is not None else None
    trial = services.course_trial(course) if course is not None else None
    if trial is None:
        raise Http404
    audit.record(request, "view", trial, patient_id=patient.pk)
    rows = services.checkin_rows([patient.pk]).get(patient.pk, [])
    series = services.build_series(course, rows, trial)
    base = _trial_schema(request.auth, trial, course, series, patient.local_today())
    fields = {
        **base.model_dump(),
        "protocol_hash": trial.protocol_hash or None,  # the pharmacy holds the key anyway
        "seed": trial.seed,
        "protocol_locked_at": trial.locked_at,
        "packs_dispensed": list(trial.packs.values_list("period", flat=True)),
    }
    return Status(200, PharmacyTrialOut(**fields))
