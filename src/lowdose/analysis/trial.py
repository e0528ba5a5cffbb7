"""Blinded n-of-1 trials: the randomized schedule, its locked protocol and blinded summaries.

A trial is a run of *pairs* of periods; each pair holds one LDN period and one placebo period in
random order, each period ``block_days`` long, and the first ``washout_days`` of every period are
left out of the analysis (the previous period's effect may linger). The randomization test's
reference set is exactly the 2^pairs orders this design could have produced, so the smallest
p-value a trial can reach is 1/2^pairs (one-sided): 2 pairs cannot go below 0.25, and 5 pairs
are the fewest that can reach 0.05.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lowdose.analysis.errors import TrialDesignError, TrialMismatchError
from lowdose.analysis.series import TRIAL_PHASES, DailySeries, Phase

#: The conventional significance level the design is judged against (one-sided test).
ALPHA = 0.05
TRIAL_KIND = "lowdose-nof1-trial"
TRIAL_VERSION = 1
#: The reference set is enumerated exactly up to this many schedules, else sampled.
MAX_EXACT_SCHEDULES = 2**16


@dataclass(frozen=True)
class Period:
    """One period of the schedule; days are counted from the trial's first day (day 0)."""

    number: int
    pair: int
    arm: Phase  # Phase.LDN or Phase.PLACEBO
    first_day: int
    last_day: int
    washout_days: int

    @property
    def first_analysed_day(self) -> int:
        return self.first_day + self.washout_days


@dataclass(frozen=True)
class TrialDesign:
    """A randomized schedule with what the design can and cannot show."""

    pairs: int
    block_days: int
    washout_days: int
    seed: int
    periods: tuple[Period, ...]
    min_p_value: float
    recommended_pairs: int
    recommendation: str

    @property
    def total_days(self) -> int:
        return self.pairs * 2 * self.block_days


def pairs_needed(alpha: float = ALPHA) -> int:
    """Fewest pairs whose smallest one-sided randomization p-value 1/2^pairs is ≤ ``alpha``.

    >>> pairs_needed(0.05)
    5
    """
    return max(1, math.ceil(-math.log2(alpha) - 1e-12))


def design_trial(
    pairs: int, block_days: int, washout_days: int = 0, seed: int | None = None
) -> TrialDesign:
    """Randomize the order within each pair and describe the design.

    ``pairs`` ≥ 1, ``block_days`` ≥ 1 days per period, ``0 ≤ washout_days < block_days``. The same
    seed always gives the same schedule; without one a seed is drawn and recorded.

    >>> t = design_trial(3, 14, 3, seed=7)
    >>> [p.arm.value for p in t.periods].count("ldn"), t.min_p_value
    (3, 0.125)
    """
    if pairs < 1:
        raise TrialDesignError("A trial needs at least one pair of periods.", field="pairs")
    if block_days < 1:
        raise TrialDesignError("Periods must last at least one day.", field="block_days")
    if not 0 <= washout_days < block_days:
        raise TrialDesignError(
            "The washout must be shorter than the period it opens.", field="washout_days"
        )
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    rng = random.Random(seed)
    periods = []
    for pair in range(1, pairs + 1):
        order = [Phase.LDN, Phase.PLACEBO] if rng.random() < 0.5 else [Phase.PLACEBO, Phase.LDN]
        for arm in order:
            start = len(periods) * block_days
            periods.append(
                Period(len(periods) + 1, pair, arm, start, start + block_days - 1, washout_days)
            )
    min_p = 0.5**pairs
    needed = pairs_needed()
    return TrialDesign(
        pairs, block_days, washout_days, seed, tuple(periods), min_p, needed,
        _recommend(pairs, min_p, needed, block_days, washout_days),
    )  # fmt: skip


def _recommend(pairs: int, min_p: float, needed: int, block_days: int, washout: int) -> str:
    if pairs < needed:
        return (
            f"With {pairs} pair{'s' if pairs != 1 else ''} the smallest possible p-value is "
            f"{min_p:.3g}, so this trial cannot show an effect at the {ALPHA} level however large "
            f"it is. Use at least {needed} pairs (smallest p-value {0.5**needed:.3g})."
        )
    text = (
        f"{pairs} pairs can reach a p-value of {min_p:.3g}; "
        f"the trial lasts {pairs * 2 * block_days} days."
    )
    if block_days - washout < 7:
        text += " Fewer than 7 analysed days per period make the per-period means noisy."
    return text


def trial_to_dict(trial: TrialDesign) -> dict[str, Any]:
    """The trial file written by ``lowdose trial design --json`` and read by ``--trial``."""
    return {
        "kind": TRIAL_KIND,
        "version": TRIAL_VERSION,
        "pairs": trial.pairs,
        "block_days": trial.block_days,
        "washout_days": trial.washout_days,
        "seed": trial.seed,
        "total_days": trial.total_days,
        "min_p_value": trial.min_p_value,
        "recommended_pairs": trial.recommended_pairs,
        "recommendation": trial.recommendation,
        "periods": [
            {
                "period": p.number,
                "pair": p.pair,
                "arm": p.arm.value,
                "first_day": p.first_day,
                "last_day": p.last_day,
                "washout_days": p.washout_days,
            }
            for p in trial.periods
        ],
    }


def trial_from_dict(data: Mapping[str, Any]) -> TrialDesign:
    """Read a trial file back, checking that its schedule is one the design could produce.

    The stored allocation is used as it is — it is never recomputed from the seed.
    """
    if not isinstance(data, Mapping) or data.get("kind") != TRIAL_KIND:
        raise TrialMismatchError("This is not a lowdose trial file.", field="trial")
    try:
        pairs, block, washout = (
            int(data["pairs"]),
            int(data["block_days"]),
            int(data["washout_days"]),
        )
        periods = tuple(
            Period(int(p["period"]), int(p["pair"]), Phase.parse(str(p["arm"])),
                   int(p["first_day"]), int(p["last_day"]), int(p["washout_days"]))
            for p in data["periods"]
        )  # fmt: skip
        seed = int(data["seed"])
    except (KeyError, TypeError, ValueError) as error:
        raise TrialMismatchError(f"The trial file is incomplete: {error}.", field="trial") from None
    _check_periods(periods, pairs, block, washout)
    min_p = 0.5**pairs
    needed = pairs_needed()
    return TrialDesign(
        pairs, block, washout, seed, periods, min_p, needed,
        _recommend(pairs, min_p, needed, block, washout),
    )  # fmt: skip


def _check_periods(periods: Sequence[Period], pairs: int, block: int, washout: int) -> None:
    if pairs < 1 or len(periods) != 2 * pairs:
        raise TrialMismatchError("The trial file's periods do not match its pairs.", field="trial")
    for i, p in enumerate(periods):
        ok = (
            p.number == i + 1
            and p.pair == i // 2 + 1
            and p.first_day == i * block
            and p.last_day == p.first_day + block - 1
            and p.washout_days == washout
            and p.arm in (Phase.LDN, Phase.PLACEBO)
        )
        if not ok:
            raise TrialMismatchError(
                f"Period {i + 1} in the trial file is malformed.", field="trial"
            )
    for k in range(pairs):
        if {periods[2 * k].arm, periods[2 * k + 1].arm} != {Phase.LDN, Phase.PLACEBO}:
            raise TrialMismatchError(
                f"Pair {k + 1} must hold one LDN and one placebo period.", field="trial"
            )


def canonical_protocol(
    trial: TrialDesign,
    outcomes: Sequence[str],
    mcids: Mapping[str, float | None],
    analysis_plan: Mapping[str, Any],
) -> str:
    """The protocol as canonical JSON (sorted keys, no spaces, UTF-8) — the text that is hashed.

    Changing anything that matters (schedule, seed, outcomes, minimal important differences, the
    analysis plan) changes the text and so the hash; the order of dict keys does not.
    """
    payload = {
        "trial": trial_to_dict(trial),
        "outcomes": list(outcomes),
        "mcids": {k: mcids[k] for k in sorted(mcids)},
        "analysis_plan": dict(analysis_plan),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def protocol_hash(protocol_text: str) -> str:
    """SHA-256 (hex) of a canonical protocol: shown on the final report to prove the plan held."""
    return hashlib.sha256(protocol_text.encode("utf-8")).hexdigest()


def assign_periods(series: DailySeries, trial: TrialDesign) -> np.ndarray:
    """Period number (1-based) of each row of ``series``, 0 for rows outside the trial.

    The trial starts on the first date whose phase is ``ldn``, ``placebo`` or ``washout``; every
    such row must fall inside the schedule and carry the phase the schedule gives that day.
    """
    in_trial = series.phase_mask(*TRIAL_PHASES)
    out = np.zeros(len(series.dates), dtype=np.int64)
    if not in_trial.any():
        raise TrialMismatchError("The data have no ldn, placebo or washout days.", field="trial")
    start = series.dates[int(np.argmax(in_trial))]
    for i in np.flatnonzero(in_trial):
        date, phase = series.dates[i], series.phases[i]
        offset = (date - start).days
        if offset >= trial.total_days:
            raise TrialMismatchError(
                f"{date} is day {offset + 1} of a trial that lasts {trial.total_days} days.",
                field="trial",
            )
        period = trial.periods[offset // trial.block_days]
        expected = Phase.WASHOUT if offset < period.first_analysed_day else period.arm
        if phase is not expected:
            raise TrialMismatchError(
                f"On {date} (trial day {offset + 1}) the data say '{phase.value}' but the trial "
                f"schedule says '{expected.value}'.",
                field="trial",
            )
        out[i] = period.number
    return out


@dataclass(frozen=True)
class PeriodSummary:
    """A period's mean without its label, for the patient and clinician while still blinded."""

    period: int
    first_date: dt.date
    last_date: dt.date
    n_days: int
    mean: float | None


def summarize_periods_blinded(
    trial: TrialDesign,
    start: dt.date,
    dates: Sequence[dt.date],
    values: Sequence[float | None],
) -> tuple[PeriodSummary, ...]:
    """Per-period means of one outcome, washout days left out, arms *not* shown.

    ``start`` is the trial's first day (when the first pack was taken). Days outside the schedule
    are ignored; a period with no recorded value has ``mean=None``.
    """
    sums = [0.0] * len(trial.periods)
    counts = [0] * len(trial.periods)
    for date, value in zip(dates, values, strict=True):
        offset = (date - start).days
        if value is None or not 0 <= offset < trial.total_days or math.isnan(value):
            continue
        period = trial.periods[offset // trial.block_days]
        if offset >= period.first_analysed_day:
            sums[period.number - 1] += value
            counts[period.number - 1] += 1
    return tuple(
        PeriodSummary(
            p.number,
            start + dt.timedelta(days=p.first_day),
            start + dt.timedelta(days=p.last_day),
            counts[p.number - 1],
            sums[p.number - 1] / counts[p.number - 1] if counts[p.number - 1] else None,
        )
        for p in trial.periods
    )
