"""The AR(1) REML fit against R's nlme::gls (reference values made by
tests/fixtures/reference/ar1_reference.R and stored beside it)."""

import json
from pathlib import Path

import numpy as np
import pytest

from lowdose.analysis.ar1 import fit_ar1

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "reference" / "ar1_reference.json").read_text()
)
CASES = {case["name"]: case for case in REFERENCE["cases"]}
#: Stated tolerance for estimates and standard errors against nlme.
RELATIVE = 1e-4


def _fit(case):
    day = np.array(case["day"], dtype=np.int64)
    trt = np.array(case["trt"], dtype=float)
    columns = [np.ones(len(day)), trt]
    if case["trend"]:
        columns.append((day - day.mean()) / 7.0)
    return fit_ar1(day, np.column_stack(columns), np.array(case["y"]), contrast=1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_estimates_and_standard_errors_match_nlme(name):
    case = CASES[name]
    fit = _fit(case)
    assert fit.coef == pytest.approx(case["coef"], rel=RELATIVE)
    assert fit.se == pytest.approx(case["se"], rel=RELATIVE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_phi_and_sigma_match_nlme(name):
    case = CASES[name]
    fit = _fit(case)
    assert fit.phi == pytest.approx(case["phi"], abs=RELATIVE)
    assert fit.sigma == pytest.approx(case["sigma"], rel=RELATIVE)


def test_reference_covers_gaps_negative_phi_trend_and_a_patient_year():
    assert any(np.diff(case["day"]).max() > 1 for case in CASES.values())
    assert min(case["phi"] for case in CASES.values()) < 0
    assert any(case["trend"] for case in CASES.values())
    assert max(len(case["day"]) for case in CASES.values()) > 300


def test_kenward_roger_interval_is_wider_than_the_plain_one_when_phi_is_estimated():
    fit = _fit(CASES["open_phi0.8_missing20"])
    low, high = fit.interval()
    assert low < fit.estimate < high
    assert (high - low) / 2 > 1.96 * fit.plain_se
    assert fit.kr_df < fit.n - 2


def test_white_noise_interval_is_close_to_the_plain_t_interval():
    fit = _fit(CASES["open_white_noise"])
    low, high = fit.interval()
    assert (high - low) / (2 * 1.96 * fit.plain_se) == pytest.approx(1.0, abs=0.25)


def test_gapped_series_equals_the_same_series_with_its_days_listed():
    # Calendar days, not row numbers: shifting later days by a gap changes φ^gap and the fit.
    case = CASES["open_phi0.5_missing10"]
    day = np.array(case["day"], dtype=np.int64)
    y, trt = np.array(case["y"]), np.array(case["trt"], dtype=float)
    x = np.column_stack([np.ones(len(day)), trt])
    packed = fit_ar1(np.arange(len(day)), x, y)
    assert packed.estimate != pytest.approx(fit_ar1(day, x, y).estimate, rel=1e-6)
