"""A small, deterministic version of the simulation check in bench/validate_evaluation.py."""

import numpy as np

from lowdose.analysis import Design, evaluate_series
from lowdose.analysis.simulate import (
    Scenario,
    covers,
    is_responder,
    random_trial,
    simulate_blinded_trial,
    simulate_open_course,
)


def test_intervals_cover_and_null_patients_are_not_called_responders():
    rng = np.random.default_rng(20260101)
    hits, false_responders, nulls = 0, 0, 0
    for i in range(240):
        truth = 0.0 if i % 2 == 0 else -rng.uniform(0.0, 3.0)
        evaluation = evaluate_series(
            simulate_open_course(rng, effect=truth, phi=rng.uniform(0.0, 0.7))
        )
        hits += covers(evaluation, truth)
        if truth == 0.0:
            nulls += 1
            false_responders += is_responder(evaluation)
    # 240 patients: the Monte Carlo SE of a 95% coverage is 1.4 points, so this band is ±3 SE.
    assert 0.905 <= hits / 240 <= 0.99
    assert false_responders / nulls <= 0.05


def test_placebo_response_biases_open_label_but_not_the_blinded_trial():
    rng = np.random.default_rng(7)
    scenario = Scenario("placebo", placebo_percent=18.0)
    open_bias, blinded_bias = [], []
    for _ in range(30):
        phi = rng.uniform(0.0, 0.7)
        course = evaluate_series(simulate_open_course(rng, effect=0.0, phi=phi, scenario=scenario))
        trial = random_trial(rng)
        series = simulate_blinded_trial(rng, trial, effect=0.0, phi=phi, scenario=scenario)
        blinded = evaluate_series(series, design=Design.BLINDED, trial=trial)
        open_bias.append(course.outcomes[0].effect.estimate)
        blinded_bias.append(blinded.outcomes[0].effect.estimate)
    assert np.mean(open_bias) < -0.7  # 18% of a level of 6 is about 1.1 points
    assert abs(np.mean(blinded_bias)) < 0.25
