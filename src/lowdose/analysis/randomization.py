"""Randomization test for a blinded n-of-1 trial.

The p-value is computed over exactly the schedules the design could have produced: every choice
of order within each pair (2^pairs schedules). Under the null hypothesis that LDN and placebo do
not differ for this patient, the data would have been the same under any of them, so the p-value
is the share of schedules whose statistic shows at least as much improvement as the one used
(Edgington & Onghena, *Randomization Tests*, 4th ed. 2007; the same computation as Fisher's
1935 test on Darwin's paired plants). The statistic is the difference in mean daily value
(LDN − placebo), oriented so that larger means better; the test is one-sided.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from lowdose.analysis.trial import MAX_EXACT_SCHEDULES, TrialDesign


@dataclass(frozen=True)
class RandomizationResult:
    """One-sided p-value; ``exact`` is False when the reference set was sampled."""

    p_value: float
    n_schedules: int
    exact: bool
    statistic: float


def _schedules(pairs: int, seed: int, draws: int) -> tuple[np.ndarray, bool]:
    """Rows of ±1: +1 keeps the pair's order as allocated, −1 swaps it."""
    if 2**pairs <= MAX_EXACT_SCHEDULES:
        return np.array(list(itertools.product((1, -1), repeat=pairs)), dtype=float), True
    rng = np.random.default_rng(seed)
    signs = rng.choice((1.0, -1.0), size=(draws, pairs))
    signs[0] = 1.0  # the schedule actually used is always part of the reference set
    return signs, False


def randomization_test(
    period_sums: np.ndarray,
    period_counts: np.ndarray,
    trial: TrialDesign,
    *,
    higher_is_better: bool,
    draws: int = 20_000,
) -> RandomizationResult:
    """p-value from per-period sums and counts of analysed values (index = period number − 1).

    >>> from lowdose.analysis.trial import design_trial
    >>> t = design_trial(2, 7, seed=1)
    >>> sums = np.array([7.0 if p.arm.value == "ldn" else 0.0 for p in t.periods])
    >>> randomization_test(sums, np.full(4, 7.0), t, higher_is_better=True).p_value
    0.25
    """
    is_ldn = np.array([p.arm.value == "ldn" for p in trial.periods], dtype=float)
    signs, exact = _schedules(trial.pairs, trial.seed, draws)
    # Under a swap, the LDN indicator of both periods of the pair flips: ldn' = ½ + s(ldn − ½).
    per_period = np.repeat(signs, 2, axis=1)
    ldn = 0.5 + per_period * (is_ldn - 0.5)
    stat = _mean_difference(ldn, period_sums, period_counts)
    if not higher_is_better:
        stat = -stat
    observed = stat[0]
    # A tiny tolerance so that schedules tying the observed value count as "at least as large".
    p = float(np.mean(stat >= observed - 1e-9 * max(1.0, abs(observed))))
    return RandomizationResult(p, len(stat), exact, float(observed))


def _mean_difference(ldn: np.ndarray, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = (ldn @ sums) / (ldn @ counts) - ((1 - ldn) @ sums) / ((1 - ldn) @ counts)
    return np.nan_to_num(diff, nan=0.0)
