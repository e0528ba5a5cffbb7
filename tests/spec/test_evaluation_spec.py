"""Is it working? The decision rules as tables a clinician can read.

Responder classes (IMMPACT, Dworkin et al. J Pain 2008): a ≥ 30% improvement from the comparison
mean is moderate, ≥ 50% substantial, and either is declared only when the 95% interval of the
improvement excludes no change; otherwise the result is inconclusive (≥ 30% but uncertain) or
none (< 30%).
"""

import pytest

from lowdose.analysis import Responder, design_trial
from lowdose.analysis.evaluate import classify_responder, percent_of, probability_of_improvement

RESPONDER_TABLE = [
    # percent improvement, lower end of the improvement's 95% CI, class
    (55.0, 0.40, Responder.SUBSTANTIAL),
    (50.0, 0.30, Responder.SUBSTANTIAL),  # the boundary counts
    (49.9, 0.30, Responder.MODERATE),
    (35.0, 0.20, Responder.MODERATE),
    (30.0, 0.01, Responder.MODERATE),  # the boundary counts
    (55.0, -0.10, Responder.INCONCLUSIVE),  # large but the interval includes no change
    (30.0, 0.00, Responder.INCONCLUSIVE),  # touching zero is not excluding it
    (29.9, 0.50, Responder.NONE),  # certain, but below the moderate threshold
    (10.0, -1.00, Responder.NONE),
    (-20.0, -2.00, Responder.NONE),  # got worse
    (None, 1.00, Responder.INCONCLUSIVE),  # comparison mean of 0: no percentage
]


@pytest.mark.parametrize(("percent", "ci_low", "expected"), RESPONDER_TABLE)
def test_responder_class(percent, ci_low, expected):
    assert classify_responder(percent, ci_low) is expected


PERCENT_TABLE = [
    # improvement (points, positive = better), comparison mean, percent
    (1.8, 6.0, 30.0),  # pain 6.0 → 4.2
    (3.0, 6.0, 50.0),  # pain 6.0 → 3.0
    (1.5, 3.0, 50.0),  # mood 3.0 → 4.5 (higher is better)
    (-0.6, 6.0, -10.0),
    (1.0, 0.0, None),
]


@pytest.mark.parametrize(("improvement", "mean", "percent"), PERCENT_TABLE)
def test_percent_of_the_comparison_mean(improvement, mean, percent):
    result = percent_of(improvement, mean)
    assert result == (None if percent is None else pytest.approx(percent))


PROBABILITY_TABLE = [
    # improvement, its SE, MCID (points) → P(> MCID) sceptical prior, flat prior.
    # Sceptical prior: normal, mean 0, SD = MCID / 1.645 (5% prior chance of exceeding the MCID).
    (2.0, 0.5, 1.0, 0.6914, 0.9772),
    (1.2, 0.4, 1.2, 0.2145, 0.5000),  # estimate exactly at the MCID: a coin toss without a prior
    (0.3, 0.6, 1.0, 0.0235, 0.1217),
    (3.0, 0.5, 1.2, 0.9793, 0.9998),
]


@pytest.mark.parametrize(("improvement", "se", "mcid", "sceptical", "flat"), PROBABILITY_TABLE)
def test_probability_of_a_meaningful_improvement(improvement, se, mcid, sceptical, flat):
    result = probability_of_improvement(improvement, se, mcid)
    assert result.sceptical == pytest.approx(sceptical, abs=1e-4)
    assert result.flat == pytest.approx(flat, abs=1e-4)


TRIAL_TABLE = [
    # pairs → smallest one-sided randomization p-value, can it reach 0.05?
    (1, 0.5, False),
    (2, 0.25, False),
    (3, 0.125, False),
    (4, 0.0625, False),
    (5, 0.03125, True),
    (6, 0.015625, True),
]


@pytest.mark.parametrize(("pairs", "min_p", "reaches"), TRIAL_TABLE)
def test_what_a_trial_of_n_pairs_can_show(pairs, min_p, reaches):
    trial = design_trial(pairs, 14, 3, seed=1)
    assert trial.min_p_value == min_p
    assert (trial.min_p_value <= 0.05) is reaches
    assert ("cannot show an effect" in trial.recommendation) is not reaches
