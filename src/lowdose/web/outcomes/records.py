"""Storing questionnaire answers and stand tests, and describing them in words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from lowdose.instruments import Instrument, ScoreResult, ScoringMethod, load_instrument
from lowdose.standtest import Reading, StandTestResult
from lowdose.web.courses.models import Course, Patient
from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest


def course_on(patient: Patient, day: dt.date) -> Course | None:
    """The course a date belongs to (its baseline included)."""
    return patient.courses.filter(baseline_start__lte=day).order_by("-start_date").first()


def save_response(
    patient: Patient, day: dt.date, answers: dict[str, Any], result: ScoreResult, user
) -> QuestionnaireResponse:
    """Store a scored questionnaire with its date, instrument id and definition version."""
    row = new_response(patient, course_on(patient, day), day, answers, result, user)
    row.save(force_insert=True)
    return row


def new_response(
    patient: Patient,
    course: Course | None,
    day: dt.date,
    answers: dict[str, Any],
    result: ScoreResult,
    user,
) -> QuestionnaireResponse:
    """The unsaved row :func:`save_response` stores, for loads that insert many at once."""
    return QuestionnaireResponse(
        patient=patient,
        course=course,
        instrument=result.instrument,
        definition_version=result.definition_version,
        date=day,
        answers=answers,
        total=result.total,
        domains={key: str(value) for key, value in result.domains.items()},
        findings=result.findings,
        interpretation=result.interpretation or "",
        missing=list(result.missing),
        skipped=list(result.skipped),
        entered_by=user,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def save_stand_test(
    patient: Patient,
    day: dt.date,
    readings: list[Reading],
    result: StandTestResult,
    symptoms: str,
    user,
) -> StandTest:
    """Store the readings as entered and the findings computed from them."""
    test = new_stand_test(patient, course_on(patient, day), day, readings, result, symptoms, user)
    test.save(force_insert=True)
    return test


def new_stand_test(
    patient: Patient,
    course: Course | None,
    day: dt.date,
    readings: Sequence[Reading],
    result: StandTestResult,
    symptoms: str,
    user,
) -> StandTest:
    """The unsaved row :func:`save_stand_test` stores, for loads that insert many at once."""
    return StandTest(
        patient=patient,
        course=course,
        date=day,
        age_years=result.age_years,
        readings=[
            {
                "minute": r.minute,
                "position": r.position.value,
                "hr": r.hr,
                "sbp": r.sbp,
                "dbp": r.dbp,
                "symptoms": r.symptoms,
            }
            for r in readings
        ],
        symptoms=symptoms,
        baseline_hr=result.baseline_hr,
        max_delta_hr=result.max_delta_hr,
        max_delta_standing_minute=result.max_delta_standing_minute,
        pots_hr_criterion_met=result.pots_hr_criterion_met,
        orthostatic_hypotension=result.orthostatic_hypotension,
        complete=result.complete,
        result={k: _plain(v) for k, v in dataclasses.asdict(result).items()},
        entered_by=user,
    )


def score_parts(instrument: Instrument) -> list[tuple[str, str]]:
    """(id, label) of the parts a score is reported in: the domains, or the items of a profile."""
    if instrument.method is ScoringMethod.PROFILE:
        return [(i.id, i.label) for i in instrument.items]
    return [(d.id, d.label) for d in instrument.domains]


def domain_rows(response: QuestionnaireResponse) -> list[tuple[str, str]]:
    """(domain or item label, score) for a stored response, in the definition's order.

    The definition's order, not the stored mapping's: PostgreSQL's jsonb does not keep key order.
    """
    parts = score_parts(load_instrument(response.instrument))
    return [(label, response.domains[key]) for key, label in parts if key in response.domains]


def score_words(instrument: Instrument, response: QuestionnaireResponse) -> str:
    """One plain sentence about a score, for the patient."""
    if response.total is None:
        return "Thank you: your answers are saved and your care team can see them."
    low, high = instrument.total_range or (None, None)
    scale = f" on a scale from {low} to {high}" if low is not None else ""
    direction = ""
    if instrument.higher_is_worse is True:
        direction = " Higher scores mean more symptoms."
    elif instrument.higher_is_worse is False:
        direction = " Higher scores mean things are better."
    meaning = f" This is read as: {response.interpretation}." if response.interpretation else ""
    return f"Your score is {response.total.normalize():f}{scale}.{meaning}{direction}"
