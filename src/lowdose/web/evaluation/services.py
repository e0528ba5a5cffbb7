"""From the database to the evaluation core and back: a course's daily series, the evaluation
of each outcome (or exactly what is still missing), and the cached estimates."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from lowdose.analysis import (
    AnalysisInputError,
    DailySeries,
    Design,
    OutcomeResult,
    Phase,
    TrialDesign,
    evaluate_series,
    make_series,
    outcome_spec,
    trial_from_dict,
)
from lowdose.analysis.evaluate import MIN_DAYS_PER_PHASE
from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME
from lowdose.web.courses.models import Course, Patient, PatientCondition
from lowdose.web.evaluation.defaults import default_outcome, describe_default
from lowdose.web.evaluation.models import Estimate, MainOutcome, Trial

#: One check-in as read for the analysis: date, then the ratings in RATING_NAMES order.
Row = tuple


@dataclass(frozen=True)
class MainChoice:
    outcome: str
    source: str
    is_default: bool

    @property
    def label(self) -> str:
        return RATINGS_BY_NAME[self.outcome].label


def main_outcome(course: Course, conditions: Iterable[str]) -> MainChoice:
    """The clinician's choice for the course, else the product default for the conditions."""
    try:
        chosen = course.main_outcome
    except MainOutcome.DoesNotExist:
        chosen = None
    if chosen is not None:
        by = chosen.set_by.display_name if chosen.set_by else "a clinician"
        return MainChoice(chosen.outcome, f"chosen by {by}", False)
    default = default_outcome(set(conditions))
    return MainChoice(default.outcome, describe_default(default), True)


def course_trial(course: Course) -> Trial | None:
    try:
        return course.trial
    except Trial.DoesNotExist:
        return None


def trial_design(trial: Trial) -> TrialDesign:
    return trial_from_dict(trial.allocation)


def trial_phase(trial: Trial, design: TrialDesign, day: dt.date) -> Phase | None:
    """LDN, placebo or washout on ``day`` of the trial, None outside it."""
    offset = (day - trial.start_date).days
    if not 0 <= offset < design.total_days:
        return None
    period = design.periods[offset // design.block_days]
    return Phase.WASHOUT if offset < period.first_analysed_day else period.arm


def build_series(
    course: Course,
    rows: Sequence[Row],
    trial: Trial | None = None,
    medication_changes: Iterable[dt.date] = (),
) -> DailySeries | None:
    """The course's daily series: each check-in's phase from the course (or the trial schedule
    on trial days), check-ins from before the baseline left out. None without any check-in."""
    rows = [r for r in rows if r[0] >= course.baseline_start]
    design = trial_design(trial) if trial is not None else None
    starts_inside = trial is not None and rows and rows[0][0] <= trial.start_date <= rows[-1][0]
    if starts_inside and all(r[0] != trial.start_date for r in rows):
        # The core counts the trial from its first trial day in the data: keep day 1 in.
        rows = sorted([*rows, (trial.start_date, *[None] * len(RATING_NAMES))])
    if not rows:
        return None
    phases = []
    for row in rows:
        in_trial = trial_phase(trial, design, row[0]) if trial is not None else None
        phases.append(in_trial or Phase(course.phase_on(row[0]).value))
    values = {name: [r[i + 1] for r in rows] for i, name in enumerate(RATING_NAMES)}
    return make_series([r[0] for r in rows], phases, values, medication_changes)


@dataclass(frozen=True)
class CurrentCourse:
    """A patient's current course with what deciding whether its estimates are fresh needs."""

    patient: Patient
    course: Course
    main: MainChoice
    trial: Trial | None
    version: DataVersion


def current_courses(patients: QuerySet[Patient]) -> list[CurrentCourse]:
    """Each of ``patients`` that has a course, with its current course, main outcome, trial and
    the version of its data, in three queries however many patients."""
    from lowdose.web.diary.models import CheckIn

    found = list(
        patients.filter(latest_course__isnull=False).select_related(
            "clinic", "latest_course__main_outcome__set_by", "latest_course__trial"
        )
    )
    ids = [p.pk for p in found]
    conditions: dict[int, list[str]] = {}
    codes = PatientCondition.objects.filter(patient_id__in=ids)
    for patient_id, code in codes.values_list("patient_id", "condition"):
        conditions.setdefault(patient_id, []).append(code)
    versions = {
        row["patient_id"]: (row["n"], row["last"])
        for row in CheckIn.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(n=Count("id"), last=Max("updated_at"))
    }
    current = []
    for patient in found:
        course = patient.latest_course
        main = main_outcome(course, conditions.get(patient.pk, []))
        trial = course_trial(course)
        count, last = versions.get(patient.pk, (0, None))
        version = data_version(course, main.outcome, count, last, trial)
        current.append(CurrentCourse(patient, course, main, trial, version))
    return current


def checkin_rows(patient_ids: Iterable[int]) -> dict[int, list[Row]]:
    from lowdose.web.diary.models import CheckIn

    out: dict[int, list[Row]] = {}
    query = CheckIn.objects.filter(patient_id__in=list(patient_ids)).order_by("patient_id", "date")
    for patient_id, *row in query.values_list("patient_id", "date", *RATING_NAMES):
        out.setdefault(patient_id, []).append(tuple(row))
    return out


def medication_dates(patient_ids: Iterable[int]) -> dict[int, list[dt.date]]:
    from lowdose.web.courses.models import Medication

    out: dict[int, list[dt.date]] = {}
    query = Medication.objects.filter(patient_id__in=list(patient_ids))
    for patient_id, started, stopped in query.values_list("patient_id", "started_on", "stopped_on"):
        out.setdefault(patient_id, []).extend(d for d in (started, stopped) if d is not None)
    return out


@dataclass(frozen=True)
class OutcomeEvaluation:
    """One outcome: the core's result, or a plain sentence saying what is missing."""

    name: str
    label: str
    result: OutcomeResult | None = None
    missing: str | None = None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def missing_data(
    course: Course, series: DailySeries | None, name: str, today: dt.date, design: Design
) -> str | None:
    """What is still needed before ``name`` can be compared, in plain words; None if enough."""
    label = RATINGS_BY_NAME[name].label.lower()
    if series is None:
        return f"No check-ins yet: {MIN_DAYS_PER_PHASE} baseline days are needed."
    seen = ~np.isnan(series.values[name])
    if not seen.any():
        return f"No {label} ratings yet."
    if design is Design.BLINDED:
        arms = ((Phase.PLACEBO, "placebo-period"), (Phase.LDN, "LDN-period"))
    else:
        arms = ((Phase.BASELINE, "baseline"), (Phase.MAINTENANCE, "maintenance"))
    for phase, word in arms:
        count = int((series.phase_mask(phase) & seen).sum())
        if count >= MIN_DAYS_PER_PHASE:
            continue
        more = MIN_DAYS_PER_PHASE - count
        if phase is Phase.MAINTENANCE and (
            course.maintenance_start is None or course.maintenance_start > today
        ):
            not_yet = (
                "LDN has not started yet"
                if today < course.start_date
                else "The maintenance dose has not been reached yet"
            )
            return (
                f"{not_yet}; once it has, {MIN_DAYS_PER_PHASE} days with a {label} rating on the "
                "maintenance dose are needed."
            )
        verb = "is" if more == 1 else "are"
        days = _plural(more, f"more {word} day")
        if phase is Phase.MAINTENANCE and course_trial(course) is not None:
            days += " outside the blinded trial"
        return f"{days} with a {label} rating {verb} needed ({count} so far)."
    return None


def evaluate_outcomes(
    course: Course,
    series: DailySeries | None,
    names: Sequence[str],
    today: dt.date,
    *,
    design: Design = Design.OPEN,
    trial: TrialDesign | None = None,
    mcids: dict[str, float | None] | None = None,
) -> list[OutcomeEvaluation]:
    """Each outcome evaluated on its own, so one outcome short of data never hides another."""
    out = []
    for name in names:
        label = RATINGS_BY_NAME[name].label
        missing = missing_data(course, series, name, today, design)
        if missing is not None:
            out.append(OutcomeEvaluation(name, label, missing=missing))
            continue
        spec = outcome_spec(name, mcid=(mcids or {}).get(name))
        try:
            result = evaluate_series(series, [spec], design=design, trial=trial).outcomes[0]
        except AnalysisInputError as error:
            out.append(OutcomeEvaluation(name, label, missing=error.message))
            continue
        out.append(OutcomeEvaluation(name, label, result=result))
    return out


@dataclass
class CourseEvaluation:
    """The open-label evaluation of a patient's current course (trial days left out)."""

    patient: Patient
    course: Course
    main: MainChoice
    outcomes: list[OutcomeEvaluation]
    series: DailySeries | None
    trial: Trial | None
    today: dt.date
    version: DataVersion
    extra: dict = field(default_factory=dict)

    @property
    def main_outcome(self) -> OutcomeEvaluation:
        return self.outcomes[0]


@dataclass(frozen=True)
class DataVersion:
    count: int
    updated_at: dt.datetime | None
    key: str


def data_version(
    course: Course,
    main: str,
    count: int,
    updated_at: dt.datetime | None,
    trial: Trial | None,
) -> DataVersion:
    """Everything an estimate depends on; a different key means the cache is stale."""
    parts = [
        str(count),
        updated_at.isoformat() if updated_at else "-",
        str(course.pk),
        *(str(d) for d in (course.baseline_start, course.start_date)),
        *(str(d) for d in (course.maintenance_start, course.stopped_on)),
        main,
        trial.start_date.isoformat() if trial is not None else "-",
    ]
    return DataVersion(count, updated_at, "|".join(parts))


def evaluate_course(patient: Patient) -> CourseEvaluation | None:
    """Evaluate every daily rating of the patient's current course, main outcome first, and
    refresh the cached estimates. None when the patient has no course."""
    course = patient.current_course()
    if course is None:
        return None
    main = main_outcome(course, patient.conditions.values_list("condition", flat=True))
    trial = course_trial(course)
    rows = checkin_rows([patient.pk]).get(patient.pk, [])
    from lowdose.web.diary.models import CheckIn

    latest = CheckIn.objects.filter(patient=patient).order_by("-updated_at").first()
    version = data_version(
        course, main.outcome, len(rows), latest.updated_at if latest else None, trial
    )
    medications = medication_dates([patient.pk]).get(patient.pk, [])
    evaluation = evaluate_data(patient, course, main, trial, rows, medications, version)
    store_estimates(patient, course, evaluation.outcomes, version)
    return evaluation


def evaluate_data(
    patient: Patient,
    course: Course,
    main: MainChoice,
    trial: Trial | None,
    rows: Sequence[Row],
    medication_changes: Iterable[dt.date],
    version: DataVersion,
) -> CourseEvaluation:
    """Every daily rating of the course evaluated on data already read, main outcome first."""
    series = build_series(course, rows, trial, medication_changes)
    today = patient.local_today()
    names = [main.outcome, *(n for n in RATING_NAMES if n != main.outcome)]
    outcomes = evaluate_outcomes(course, series, names, today)
    return CourseEvaluation(patient, course, main, outcomes, series, trial, today, version)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def estimate_row(
    patient: Patient | int,
    clinic_id: int,
    course: Course,
    item: OutcomeEvaluation,
    version: DataVersion,
    *,
    is_main: bool = False,
) -> Estimate:
    result = item.result
    row = Estimate(
        is_main=is_main,
        patient_id=patient if isinstance(patient, int) else patient.pk,
        clinic_id=clinic_id,
        course=course,
        outcome=item.name,
        status=Estimate.Status.OK if result else Estimate.Status.NOT_ENOUGH,
        message=item.missing or "",
        checkin_count=version.count,
        checkin_updated_at=version.updated_at,
        data_version=version.key,
        computed_at=timezone.now(),
    )
    if result is not None:
        row.estimate = _finite(result.effect.estimate)
        row.ci_low = _finite(result.effect.ci_low)
        row.ci_high = _finite(result.effect.ci_high)
        row.percent_improvement = _finite(result.percent_improvement)
        row.responder = result.responder.value
        row.probability = _finite(result.probability.sceptical)
        row.comparison_mean = result.comparison_mean
        row.treatment_mean = result.treatment_mean
    return row


UPDATE_FIELDS = [
    "clinic", "course", "status", "message", "estimate", "ci_low", "ci_high",
    "percent_improvement", "responder", "probability", "comparison_mean", "treatment_mean",
    "checkin_count", "checkin_updated_at", "data_version", "computed_at", "is_main",
]  # fmt: skip


def save_estimates(rows: list[Estimate]) -> None:
    """Insert or replace, in one statement, whoever computed them first; an outcome that is no
    longer a patient's main one stops being marked as such."""
    if not rows:
        return
    Estimate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["patient", "outcome"],
        update_fields=UPDATE_FIELDS,
    )
    demoted = Q()
    for row in rows:
        if row.is_main:
            demoted |= Q(patient_id=row.patient_id) & ~Q(outcome=row.outcome)
    if demoted:
        Estimate.objects.filter(demoted, is_main=True).update(is_main=False)


def store_estimates(
    patient: Patient, course: Course, outcomes: list[OutcomeEvaluation], version: DataVersion
) -> None:
    main = outcomes[0].name if outcomes else None  # evaluate_course puts the main outcome first
    save_estimates([
        estimate_row(patient, patient.clinic_id, course, o, version, is_main=o.name == main)
        for o in outcomes
    ])  # fmt: skip
