"""Simulated daily courses with a known true effect, for checking the evaluation.

Used by the simulation check (``bench/validate_evaluation.py``, results in
``docs/validation.md``) and, in a small deterministic version, by the test suite. The numbers
here are simulation settings, not clinical estimates, except the placebo response, which is
taken from the data file with its source.

A rating on day t is ``level + effect·on(t) + bias(t) + sd·e(t)`` with ``e`` a stationary AR(1)
process (unit variance, correlation φ per calendar day); values are not rounded or clipped so
that the model's assumptions hold exactly in the coverage check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from lowdose.analysis.results import Evaluation, Responder
from lowdose.analysis.series import DailySeries, Phase, make_series
from lowdose.analysis.trial import TrialDesign, design_trial

START = dt.date(2025, 1, 6)
RESPONDERS = (Responder.MODERATE, Responder.SUBSTANTIAL)


@dataclass(frozen=True)
class Scenario:
    """What an open-label course suffers from, in rating points (pain, lower is better).

    ``drift``: steady change per 28 days regardless of treatment (negative = improving);
    ``peak``: how far above their usual level patients are when they start (it fades with time
    constant ``peak_days``: regression to the mean); ``placebo_percent``: improvement while the
    patient believes they may be on LDN, as a percentage of the usual level.
    """

    name: str
    drift: float = 0.0
    peak: float = 0.0
    peak_days: float = 14.0
    placebo_percent: float = 0.0


def ar1_noise(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) with unit variance: x₀ ~ N(0, 1), xₜ = φxₜ₋₁ + √(1−φ²)·zₜ."""
    z = rng.standard_normal(n)
    x = np.empty(n)
    x[0] = z[0]
    scale = np.sqrt(1 - phi * phi)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + scale * z[t]
    return x


def _series(days: np.ndarray, phases: list[Phase], y: np.ndarray, keep: np.ndarray) -> DailySeries:
    dates = [START + dt.timedelta(days=int(d)) for d in days]
    values = [float(v) if k else None for v, k in zip(y, keep, strict=True)]
    # Not a 0–10 rating: the values are unclipped, so no range check applies.
    return make_series(dates, phases, {"symptom": values})


def _bias(
    scenario: Scenario, days: np.ndarray, believes_ldn: np.ndarray, level: float
) -> np.ndarray:
    drift = scenario.drift * days / 28.0
    peak = scenario.peak * np.exp(-days / scenario.peak_days)
    placebo = -scenario.placebo_percent / 100.0 * level * believes_ldn
    return drift + peak + placebo


def simulate_open_course(
    rng: np.random.Generator,
    *,
    effect: float,
    phi: float,
    scenario: Scenario = Scenario("none"),
    n_baseline: int = 21,
    n_maintenance: int = 42,
    missing: float = 0.10,
    level: float = 6.0,
    sd: float = 1.2,
) -> DailySeries:
    """Baseline then maintenance; ``effect`` (treatment − comparison, points) acts on
    maintenance days, and ~``missing`` of the days have no value."""
    n = n_baseline + n_maintenance
    days = np.arange(n)
    on = (days >= n_baseline).astype(float)
    y = level + effect * on + _bias(scenario, days, on, level) + sd * ar1_noise(rng, n, phi)
    keep = rng.random(n) >= missing
    keep[[0, n_baseline]] = True  # phases start on a recorded day
    phases = [Phase.MAINTENANCE if o else Phase.BASELINE for o in on]
    return _series(days, phases, y, keep)


def simulate_blinded_trial(
    rng: np.random.Generator,
    trial: TrialDesign,
    *,
    effect: float,
    phi: float,
    scenario: Scenario = Scenario("none"),
    missing: float = 0.10,
    level: float = 6.0,
    sd: float = 1.2,
) -> DailySeries:
    """The same patient in a blinded trial: the placebo response acts in every period, since the
    patient cannot tell LDN from placebo; ``effect`` acts in LDN periods only."""
    n = trial.total_days
    days = np.arange(n)
    period = days // trial.block_days
    arm = np.array([trial.periods[p].arm for p in period])
    washout = days < np.array([trial.periods[p].first_analysed_day for p in period])
    on = (arm == Phase.LDN).astype(float)
    y = level + effect * on + _bias(scenario, days, np.ones(n), level) + sd * ar1_noise(rng, n, phi)
    keep = rng.random(n) >= missing
    phases = [Phase.WASHOUT if w else a for w, a in zip(washout, arm, strict=True)]
    return _series(days, phases, y, keep)


def random_trial(
    rng: np.random.Generator, pairs: int = 5, block_days: int = 14, washout: int = 3
) -> TrialDesign:
    """A trial with a seed drawn from ``rng`` (so a study is reproducible from one seed)."""
    return design_trial(pairs, block_days, washout, seed=int(rng.integers(2**31)))


def covers(evaluation: Evaluation, truth: float) -> bool:
    """Whether the 95 % interval of the first outcome contains the true effect."""
    effect = evaluation.outcomes[0].effect
    return effect.ci_low <= truth <= effect.ci_high


def is_responder(evaluation: Evaluation) -> bool:
    return evaluation.outcomes[0].responder in RESPONDERS


__all__ = [
    "Scenario",
    "ar1_noise",
    "covers",
    "is_responder",
    "random_trial",
    "simulate_blinded_trial",
    "simulate_open_course",
]
