"""The course report for the medical record: everything a clinician files, on one to three pages.

The same context renders the web page and the PDF, so they never disagree.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict

from lowdose.course import Condition, Phase
from lowdose.evidence import summarise_evidence
from lowdose.ratings import Severity, SideEffect
from lowdose.screening import screen_medications
from lowdose.web.courses.models import Patient
from lowdose.web.diary.charting import ratings_chart_svg
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation.models import Trial
from lowdose.web.evaluation.services import evaluate_course
from lowdose.web.outcomes.models import QuestionnaireResponse, StandTest

#: Sources of the thresholds the outcome table uses; the analysis data file holds them too.
RESPONDER_SOURCE = (
    "Responder classes: IMMPACT, Dworkin RH et al. J Pain 2008;9(2):105-121 "
    "(≥30% moderate, ≥50% substantial improvement)."
)
DISCLAIMER = (
    "lowdose is decision support for an off-label treatment. It does not diagnose, and the "
    "estimates describe one patient's diary, which may include placebo effects and natural "
    "fluctuation. Clinical decisions remain with the prescriber."
)


def report_context(patient: Patient, author) -> dict:
    """Everything the report shows about ``patient``, as plain values for the template."""
    course = patient.current_course()
    today = patient.local_today()
    medications = [m.name for m in patient.medications.all() if m.stopped_on is None]
    screening = screen_medications(medications) if medications else None
    evaluation = evaluate_course(patient) if course else None
    conditions = [Condition(c) for c in patient.conditions.values_list("condition", flat=True)]
    trial = Trial.objects.filter(course=course).select_related("unblinded_by").first()
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "course": course,
        "today": today,
        "author": author,
        "age": patient.age_on(today),
        "phase": course.phase_on(today) if course else None,
        "dose": course.dose_on(today) if course else None,
        "conditions": [c.label for c in conditions],
        "medications": medications,
        "screening": screening,
        "dose_steps": course.dose_steps() if course else [],
        "outcomes": _outcomes(evaluation),
        "main_outcome": evaluation.main if evaluation else None,
        "caveats": _caveats(evaluation),
        "side_effects": _side_effects(patient, course),
        "questionnaires": _questionnaires(patient),
        "stand_tests": list(StandTest.objects.filter(patient=patient).order_by("date")),
        "evidence": [summarise_evidence(c) for c in conditions],
        "chart": _chart_data_uri(patient),
        "trial": trial,
        "emergency_unblindings": list(trial.emergency_unblindings.select_related("by"))
        if trial
        else [],
        "responder_source": RESPONDER_SOURCE,
        "disclaimer": DISCLAIMER,
    }


def _outcomes(evaluation) -> list[dict]:
    if evaluation is None:
        return []
    rows = []
    for outcome in evaluation.outcomes:
        result = outcome.result
        rows.append(
            {
                "label": outcome.label,
                "missing": outcome.missing,
                "result": result,
                "effect": result.effect if result else None,
                "responder": result.responder.value if result else None,
                "probability": result.probability.sceptical if result else None,
            }
        )
    return rows


def _caveats(evaluation) -> list[str]:
    if evaluation is None:
        return []
    seen: dict[str, str] = {}
    for outcome in evaluation.outcomes:
        for caveat in outcome.result.caveats if outcome.result else ():
            seen.setdefault(caveat.code, caveat.message)
    return list(seen.values())


def _side_effects(patient: Patient, course) -> list[dict]:
    """Days with each side effect, and the worst severity, during titration and maintenance."""
    counts: dict[str, Counter] = defaultdict(Counter)
    worst: dict[str, int] = defaultdict(int)
    rows = CheckIn.objects.filter(patient=patient).exclude(side_effects=[])
    for day, effects in rows.values_list("date", "side_effects"):
        phase = course.phase_on(day) if course else None
        for item in effects:
            counts[item["name"]][phase] += 1
            worst[item["name"]] = max(worst[item["name"]], Severity.from_name(item["severity"]))
    return [
        {
            "label": effect.label,
            "titration": counts[effect.value][Phase.TITRATION],
            "maintenance": counts[effect.value][Phase.MAINTENANCE],
            "other": sum(counts[effect.value].values())
            - counts[effect.value][Phase.TITRATION]
            - counts[effect.value][Phase.MAINTENANCE],
            "worst": Severity(worst[effect.value]).label,
        }
        for effect in SideEffect
        if counts[effect.value]
    ]


def _questionnaires(patient: Patient) -> list[dict]:
    """First and latest score of each questionnaire the patient filled."""
    by_instrument: dict[str, list[QuestionnaireResponse]] = defaultdict(list)
    for response in QuestionnaireResponse.objects.filter(patient=patient).order_by("date", "pk"):
        by_instrument[response.instrument].append(response)
    return [
        {"instrument": name, "first": answers[0], "latest": answers[-1], "count": len(answers)}
        for name, answers in sorted(by_instrument.items())
    ]


def _chart_data_uri(patient: Patient) -> str:
    svg = ratings_chart_svg(patient)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
