"""Non-overlap of all pairs (NAP) with its standard error and interval.

NAP (Parker & Vannest, Behav Ther 2009;40:357–367) is the share of all (comparison day,
treatment day) pairs in which the treatment day is better, ties counting one half: 1 means every
treatment day beat every comparison day, 0.5 means no separation. It is the Mann–Whitney
probability P(B better than A).

Standard error: the exactly unbiased estimator of Sen (1967) / Mee (1990). Interval: Newcombe
(Stat Med 2006;25:559–573), method 5. Both assume independent days; with autocorrelated daily
ratings they are too narrow, which the methods paragraph says — the model-based interval is the
one the conclusions rest on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special


@dataclass(frozen=True)
class Nap:
    """NAP in [0, 1] with its standard error and 95 % interval."""

    value: float
    se: float
    ci_low: float
    ci_high: float


def compute_nap(
    comparison: np.ndarray, treatment: np.ndarray, *, lower_is_better: bool, level: float = 0.95
) -> Nap:
    """NAP of ``treatment`` over ``comparison`` (NaN values are dropped).

    Needs at least two values on each side.

    >>> compute_nap(np.array([4., 3, 4, 3, 4, 7, 5, 2, 3, 2]),
    ...             np.array([5., 9, 7, 9, 7, 5, 9, 11, 11, 10, 9]), lower_is_better=False).value
    0.9636363636363636
    """
    a = comparison[~np.isnan(comparison)]
    b = treatment[~np.isnan(treatment)]
    if lower_is_better:  # orient so that larger is better, then count B > A
        a, b = -a, -b
    m, n = len(a), len(b)
    a_sorted, b_sorted = np.sort(a), np.sort(b)
    b_lo, b_hi = np.searchsorted(b_sorted, a, "left"), np.searchsorted(b_sorted, a, "right")
    a_lo, a_hi = np.searchsorted(a_sorted, b, "left"), np.searchsorted(a_sorted, b, "right")
    row = (n - b_hi) + 0.5 * (b_hi - b_lo)  # per comparison day: pairs won by treatment
    col = a_lo + 0.5 * (a_hi - a_lo)  # per treatment day
    wins, ties = float((n - b_hi).sum()), float((b_hi - b_lo).sum())
    value = float(row.sum()) / (m * n)
    se = _unbiased_se(value, m, n, row, col, (wins + 0.25 * ties) / (m * n))
    low, high = _newcombe_interval(value, m, n, level)
    return Nap(value, se, low, high)


def _unbiased_se(
    value: float, m: int, n: int, row: np.ndarray, col: np.ndarray, q3: float
) -> float:
    """Sen's unbiased variance; clipped at zero (it can dip below when NAP is 0 or 1)."""
    q1 = float((row**2).sum()) / (m * n * n)
    q2 = float((col**2).sum()) / (m * m * n)
    var = (value - (m + n - 1) * value**2 + n * q1 + m * q2 - 2 * q3) / ((m - 1) * (n - 1))
    return math.sqrt(max(var, 0.0))


def _newcombe_interval(value: float, m: int, n: int, level: float) -> tuple[float, float]:
    """Roots θ of (NAP − θ)² = z² h θ(1−θ)/(mn)·[1/h + (1−θ)/(2−θ) + θ/(1+θ)], h = (m+n)/2 − 1.

    The left side minus the right is ≥ 0 at θ = 0 and θ = 1 and ≤ 0 at θ = NAP, so there is one
    root on each side, found by bracketing.
    """
    z2 = special.ndtri(0.5 + level / 2) ** 2
    h = (m + n) / 2 - 1

    def gap(theta: float) -> float:
        bracket = 1 / h + (1 - theta) / (2 - theta) + theta / (1 + theta)
        return (value - theta) ** 2 - z2 * h * theta * (1 - theta) / (m * n) * bracket

    # At NAP = 1 (or 0) the boundary itself is a trivial root; step just inside it, where the
    # right side (∝ 1 − θ) dominates the left ((1 − θ)²), to bracket the informative root.
    inner = min(max(value, 1e-9), 1 - 1e-9)
    low = 0.0 if value <= 0 else optimize.brentq(gap, 0.0, inner, xtol=1e-12)
    high = 1.0 if value >= 1 else optimize.brentq(gap, inner, 1.0, xtol=1e-12)
    return float(low), float(high)
