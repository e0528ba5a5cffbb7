"""Blinded n-of-1 trials on the web: creating one, dispensing packs (which locks the protocol),
the blinded per-period summaries, unblinding, and the final analysis."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from lowdose.analysis import (
    Design,
    canonical_protocol,
    design_trial,
    protocol_hash,
    summarize_periods_blinded,
    trial_to_dict,
)
from lowdose.analysis.evaluate import METHOD
from lowdose.analysis.results import AnalysisOptions
from lowdose.errors import LowdoseError
from lowdose.ratings import RATINGS_BY_NAME
from lowdose.web.courses.models import Course
from lowdose.web.evaluation import services
from lowdose.web.evaluation.models import Trial, TrialPack


def create_trial(course: Course, by, *, start_date, pairs, block_days, washout_days, seed,
                 outcomes) -> Trial:  # fmt: skip
    """Draw the schedule once (core ``design_trial``) and store seed and allocation."""
    if services.course_trial(course) is not None:
        raise LowdoseError("This course already has a blinded trial.", field="pairs")
    if start_date < course.start_date:
        raise LowdoseError("The trial cannot start before the course's first dose.",
                           field="start_date")  # fmt: skip
    design = design_trial(pairs, block_days, washout_days, seed)
    try:
        with transaction.atomic():
            return _store(course, by, design, start_date, outcomes)
    except IntegrityError:  # a second submission that raced the first
        raise LowdoseError("This course already has a blinded trial.", field="pairs") from None


def _store(course: Course, by, design, start_date, outcomes) -> Trial:
    return Trial.objects.create(
        course=course,
        created_by=by,
        start_date=start_date,
        pairs=design.pairs,
        block_days=design.block_days,
        washout_days=design.washout_days,
        seed=design.seed,
        allocation=trial_to_dict(design),
        outcomes=list(outcomes),
        mcids=dict.fromkeys(outcomes),
    )


def analysis_plan(trial: Trial) -> dict:
    """What will be done with the data, fixed before any is seen."""
    return {
        "design": "blinded",
        "start_date": trial.start_date.isoformat(),
        "model": METHOD,
        "comparison": "LDN periods minus placebo periods, washout days excluded",
        "randomization_test": "one-sided, every within-pair order, difference in means",
        "mcid": "given per outcome, else 20% of the placebo mean (IMMPACT)",
        "sensitivity": [
            "linear trend",
            f"first {AnalysisOptions().carryover_days} days of each period dropped (carry-over)",
        ],
    }


def dispense_pack(trial: Trial, period: int, by) -> TrialPack:
    """Record a pack; the first one locks the protocol with its SHA-256."""
    design = services.trial_design(trial)
    if not 1 <= period <= len(design.periods):
        raise LowdoseError(f"This trial has periods 1 to {len(design.periods)}.", field="period")
    with transaction.atomic():
        locked = Trial.objects.select_for_update().get(pk=trial.pk)
        if locked.packs.filter(period=period).exists():
            raise LowdoseError(f"The pack for period {period} was already dispensed.",
                               field="period")  # fmt: skip
        if not locked.protocol_hash:
            text = canonical_protocol(design, locked.outcomes, locked.mcids, analysis_plan(locked))
            locked.protocol_text = text
            locked.protocol_hash = protocol_hash(text)
            locked.locked_at = timezone.now()
            locked.save()
        pack = TrialPack.objects.create(trial=locked, period=period, dispensed_by=by)
    trial.refresh_from_db()
    return pack


def end_date(trial: Trial) -> dt.date:
    return trial.start_date + dt.timedelta(days=services.trial_design(trial).total_days - 1)


@dataclass(frozen=True)
class PeriodRow:
    number: int
    first_date: dt.date
    last_date: dt.date
    means: list[tuple[str, int, float | None]]  # (outcome label, days, mean)
    dispensed: bool
    arm: str | None  # only filled for people allowed to see the allocation


def period_rows(trial: Trial, series, *, show_arm: bool) -> list[PeriodRow]:
    """Per-period means of each trial outcome, washout days left out, arms shown only if asked."""
    design = services.trial_design(trial)
    dispensed = set(trial.packs.values_list("period", flat=True))
    per_outcome = {}
    for name in trial.outcomes:
        if series is None:
            values, dates = [], []
        else:
            dates = list(series.dates)
            values = [None if math.isnan(v) else float(v) for v in series.values[name]]
        per_outcome[name] = summarize_periods_blinded(design, trial.start_date, dates, values)
    rows = []
    for i, period in enumerate(design.periods):
        summaries = [(RATINGS_BY_NAME[n].label, s[i].n_days, s[i].mean)
                     for n, s in per_outcome.items()]  # fmt: skip
        first = trial.start_date + dt.timedelta(days=period.first_day)
        last = trial.start_date + dt.timedelta(days=period.last_day)
        arm = ("LDN" if period.arm.value == "ldn" else "Placebo") if show_arm else None
        rows.append(PeriodRow(period.number, first, last, summaries, period.number in dispensed,
                              arm))  # fmt: skip
    return rows


def final_analysis(trial: Trial, course: Course, series, today: dt.date, outcomes=None):
    """The blinded-design evaluation of the trial's outcomes with the randomization test."""
    return services.evaluate_outcomes(
        course,
        series,
        outcomes or trial.outcomes,
        today,
        design=Design.BLINDED,
        trial=services.trial_design(trial),
        mcids=trial.mcids,
    )


def can_see_allocation(user, trial: Trial) -> bool:
    """Pharmacists always; clinicians once the blind is broken (at the end or in an emergency);
    patients only after the final unblinding."""
    if user.role == "pharmacist":
        return True
    if user.role == "clinician":
        return trial.unblinded_at is not None or trial.emergency_unblindings.exists()
    return trial.unblinded_at is not None
