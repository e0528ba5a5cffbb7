"""Screening the medication list, the opioid guard, and keeping a course's dose rows in step with
its titration plan. Views and the API call these; the clinical answers come from the pure core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lowdose.dosing import RevisionKind, Schedule
from lowdose.screening import screen_medications
from lowdose.web.courses.models import Course, DoseChange, Patient
from lowdose.web.safety.models import Override, Plan, PlanRevision, Screening, ScreeningVerdict


def active_medication_names(patient: Patient, today: dt.date | None = None) -> list[str]:
    """The names of the medications the patient takes on ``today`` (not yet stopped)."""
    today = today or patient.local_today()
    names = [
        m.name for m in patient.medications.all() if m.stopped_on is None or m.stopped_on > today
    ]
    return sorted(names, key=str.lower)


def jsonable(finding: dict) -> dict:
    return {
        key: str(value) if isinstance(value, Decimal) else value for key, value in finding.items()
    }


def screen_patient(patient: Patient, *, by=None) -> Screening:
    """Screen the patient's current medication list and store the answer."""
    names = active_medication_names(patient)
    if not names:
        return Screening.objects.create(
            patient=patient, created_by=by, verdict=ScreeningVerdict.EMPTY, medications=[]
        )
    result = screen_medications(names)
    return Screening.objects.create(
        patient=patient,
        created_by=by,
        verdict=result.verdict.value,
        medications=names,
        findings=[jsonable(f.as_dict()) for f in result.findings],
        unknown=list(result.unknown),
    )


def current_screening(patient: Patient) -> tuple[Screening, bool]:
    """The latest screening, screening again first when the list changed since (for example in
    the admin or the demo loader). Returns the screening and whether it was made just now."""
    latest = patient.screenings.first()
    if latest is not None and latest.medications == active_medication_names(patient):
        return latest, False
    return screen_patient(patient), True


@dataclass(frozen=True)
class Guard:
    """Whether LDN may start or resume: blocked by a contraindicated screening with no override."""

    screening: Screening
    override: Override | None

    @property
    def blocked(self) -> bool:
        return self.screening.is_contraindicated and self.override is None


def guard_for(screening: Screening) -> Guard:
    """The override that covers ``screening``'s contraindicated medications, if any."""
    if not screening.is_contraindicated:
        return Guard(screening, None)
    for override in screening.patient.overrides.select_related("created_by"):
        if override.covers_screening(screening):
            return Guard(screening, override)
    return Guard(screening, None)


def record_override(screening: Screening, *, reason: str, by) -> Override:
    return Override.objects.create(
        patient=screening.patient,
        screening=screening,
        covers=[name.lower() for name in screening.contraindicated_inputs],
        reason=reason.strip(),
        created_by=by,
    )


def maintenance_start(schedule: Schedule) -> dt.date | None:
    """The first day of the last step when it is the target dose, else ``None``."""
    last = schedule.steps[-1]
    return last.first_day if last.dose == schedule.spec.target else None


def pending_course(patient: Patient) -> Course | None:
    """A course set up elsewhere (the admin, the demo) whose first dose is still ahead and which
    has no titration plan yet: Start LDN writes its plan instead of creating a second course."""
    course = patient.current_course()
    if course is None or course.stopped_on is not None:
        return None
    if course.start_date <= patient.local_today() or Plan.objects.filter(course=course).exists():
        return None
    return course


def can_start(patient: Patient) -> bool:
    """True when the patient has no running course: none, a stopped one, or a pending one."""
    course = patient.current_course()
    return course is None or course.stopped_on is not None or pending_course(patient) is not None


@transaction.atomic
def start_course(
    patient: Patient, plan_fields: dict, *, baseline_start: dt.date, schedule: Schedule, by
) -> Course:
    """Create the course (or complete a pending one), its plan and one dose change per step."""
    course = pending_course(patient)
    if course is None:
        course = Course(patient=patient, prescriber=by)
    course.baseline_start = baseline_start
    course.start_date = schedule.first_day
    course.maintenance_start = maintenance_start(schedule)
    course.save()
    course.dose_changes.all().delete()  # a pending course has no dose taken yet
    Plan.objects.create(course=course, created_by=by, **plan_fields)
    DoseChange.objects.bulk_create(
        DoseChange(
            course=course,
            effective_on=step.first_day,
            dose_mg=step.dose.mg,
            note="Titration plan",
            created_by=by,
        )
        for step in schedule.steps
    )
    return course


def rewrite_future_doses(course: Course, schedule: Schedule, today: dt.date, *, by) -> int:
    """Replace the course's dose changes from ``today`` on with the schedule's; earlier ones are
    history and stay as they are. Returns the number of rows written."""
    past = list(course.dose_changes.filter(effective_on__lt=today).order_by("effective_on"))
    previous = past[-1].dose_mg if past else None
    rows = []
    for step in schedule.steps:
        if step.last_day < today:
            continue
        if previous is None or step.dose.mg != previous:
            rows.append(
                DoseChange(
                    course=course,
                    effective_on=max(step.first_day, today),
                    dose_mg=step.dose.mg,
                    note="Plan revision",
                    created_by=by,
                )
            )
        previous = step.dose.mg
    course.dose_changes.filter(effective_on__gte=today).delete()
    DoseChange.objects.bulk_create(rows)
    if course.maintenance_start is None or course.maintenance_start >= today:
        course.maintenance_start = maintenance_start(schedule)
        if course.maintenance_start is not None and course.maintenance_start < today:
            course.maintenance_start = today
        course.save(update_fields=["maintenance_start"])
    return len(rows)


def touch_plan(plan: Plan) -> None:
    """Mark the plan as changed, so the pharmacy sees it in its queue again."""
    plan.changed_at = timezone.now()
    plan.save(update_fields=["changed_at"])


@transaction.atomic
def record_revision(plan: Plan, data: dict, *, today: dt.date, by) -> PlanRevision:
    """Store a revision checked by ``RevisionForm`` and bring the future dose changes in line."""
    kind = RevisionKind(data["kind"])
    step_back = kind is RevisionKind.STEP_BACK
    revision = PlanRevision.objects.create(
        plan=plan,
        kind=kind.value,
        effective=data["effective"],
        dose_mg=data["dose"].mg if step_back and data["dose"] else None,
        days=data["days"] if kind in (RevisionKind.HOLD, RevisionKind.CHANGE_INTERVAL) else None,
        reason=data["reason"].strip(),
        created_by=by,
    )
    rewrite_future_doses(plan.course, plan.schedule(), today, by=by)
    touch_plan(plan)
    return revision
