"""NAP against the published worked example and an explicit all-pairs computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lowdose.analysis.nap import compute_nap

# Parker RI, Vannest KJ. Behav Ther 2009;40:357–367, worked example (also used in the
# documentation of the R package SingleCaseES): 106 of 110 pairs improve, counting ties as ½.
PARKER_A = np.array([4.0, 3, 4, 3, 4, 7, 5, 2, 3, 2])
PARKER_B = np.array([5.0, 9, 7, 9, 7, 5, 9, 11, 11, 10, 9])


def _pairwise(a, b):
    """Sen's unbiased variance written out over the full q matrix (reference implementation)."""
    q = (b[None, :] > a[:, None]) + 0.5 * (b[None, :] == a[:, None])
    m, n = q.shape
    nap = q.mean()
    q1 = (q.sum(axis=1) ** 2).sum() / (m * n * n)
    q2 = (q.sum(axis=0) ** 2).sum() / (m * m * n)
    q3 = (q**2).sum() / (m * n)
    var = (nap - (m + n - 1) * nap**2 + n * q1 + m * q2 - 2 * q3) / ((m - 1) * (n - 1))
    return nap, np.sqrt(max(var, 0.0))


def test_parker_vannest_worked_example():
    result = compute_nap(PARKER_A, PARKER_B, lower_is_better=False)
    assert result.value == pytest.approx(106 / 110)
    assert result.se == pytest.approx(_pairwise(PARKER_A, PARKER_B)[1], rel=1e-12)


def test_lower_is_better_mirrors_the_orientation():
    up = compute_nap(PARKER_A, PARKER_B, lower_is_better=False)
    down = compute_nap(-PARKER_A, -PARKER_B, lower_is_better=True)
    assert down == up


def test_newcombe_interval_solves_its_defining_equation():
    result = compute_nap(PARKER_A, PARKER_B, lower_is_better=False)
    m, n = len(PARKER_A), len(PARKER_B)
    h = (m + n) / 2 - 1
    z2 = stats.norm.ppf(0.975) ** 2
    for theta in (result.ci_low, result.ci_high):
        bracket = 1 / h + (1 - theta) / (2 - theta) + theta / (1 + theta)
        rhs = z2 * h * theta * (1 - theta) / (m * n) * bracket
        assert (result.value - theta) ** 2 == pytest.approx(rhs, abs=1e-10)
    assert 0 < result.ci_low < result.value < result.ci_high < 1


def test_complete_separation_gives_one_and_an_interval_inside_zero_one():
    result = compute_nap(np.array([8.0, 9, 7, 8]), np.array([2.0, 3, 1, 2]), lower_is_better=True)
    assert result.value == 1.0
    assert result.ci_high == 1.0
    assert 0.5 < result.ci_low < 1.0


def test_missing_values_are_dropped():
    a = np.array([1.0, np.nan, 2.0, 3.0])
    b = np.array([2.0, 3.0, np.nan, 4.0])
    assert compute_nap(a, b, lower_is_better=False) == compute_nap(
        a[~np.isnan(a)], b[~np.isnan(b)], lower_is_better=False
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10), min_size=2, max_size=30),
    st.lists(st.integers(0, 10), min_size=2, max_size=30),
)
def test_matches_the_all_pairs_reference_with_ties(a, b):
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    result = compute_nap(a, b, lower_is_better=False)
    nap, se = _pairwise(a, b)
    assert result.value == pytest.approx(nap, abs=1e-12)
    assert result.se == pytest.approx(se, abs=1e-9)
    assert 0.0 <= result.ci_low <= result.value <= result.ci_high <= 1.0
