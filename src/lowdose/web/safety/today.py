"""Today's dose as the patient takes it: mg, and capsules or mL from the dispensed batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lowdose.dispensing import batch_for_day, dose_from_batch
from lowdose.dose import Dose
from lowdose.dosing import Schedule
from lowdose.errors import LowdoseError
from lowdose.web.courses.models import Patient
from lowdose.web.safety.models import Plan


def plan_of(patient: Patient) -> Plan | None:
    """The titration plan of the patient's current course, if it has one."""
    course = patient.current_course()
    if course is None:
        return None
    return Plan.objects.filter(course=course).select_related("course").first()


def _batch_for(plan: Plan, day: dt.date):
    """The batch a dose on ``day`` comes from (oldest usable first), else the latest one."""
    batches = list(plan.batches.all())
    if not batches:
        return None
    cores = {row.pk: row.as_core() for row in batches}
    chosen = batch_for_day(cores.values(), day)
    if chosen is None:
        return batches[0]  # newest first: the patient's most recent supply
    return next(row for row in batches if cores[row.pk] == chosen)


@dataclass(frozen=True)
class DispensedToday:
    dose: Dose | None
    how: str | None
    lot: str | None
    problem: str | None


def dose_today(patient: Patient, plan: Plan) -> DispensedToday:
    """Today's dose from the course's dose rows, and how to take it from the batch."""
    today = patient.local_today()
    mg = plan.course.dose_on(today)
    if mg is None:
        return DispensedToday(None, None, None, None)
    dose = Dose(mg)
    batch = _batch_for(plan, today)
    if batch is None:
        return DispensedToday(dose, None, None, None)
    try:
        how = dose_from_batch(dose, batch.as_core()).text
    except LowdoseError as error:
        return DispensedToday(dose, None, batch.lot, error.message)
    return DispensedToday(dose, how, batch.lot, None)


def dose_labels(plan: Plan, schedule: Schedule, today: dt.date) -> dict[Dose, str]:
    """How each dose of the schedule is taken from today's batch, where it can be."""
    batch = _batch_for(plan, today)
    if batch is None:
        return {}
    labels = {}
    for step in schedule.steps:
        try:
            labels[step.dose] = dose_from_batch(step.dose, batch.as_core()).text
        except LowdoseError:
            continue
    return labels
