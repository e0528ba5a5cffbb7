"""Is it working? The per-patient evaluation of one daily series.

For each outcome: the AR(1) GLS effect (treatment minus comparison, in the outcome's units),
non-overlap (NAP), the probability of a meaningful improvement under a sceptical and a flat prior,
the IMMPACT responder class, the randomization test of a blinded trial, sensitivity analyses and
caveats drawn from the data, then a plain-language summary and a methods paragraph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import special

from lowdose.analysis import caveats as caveat_rules
from lowdose.analysis import text
from lowdose.analysis.ar1 import Ar1Fit, fit_ar1
from lowdose.analysis.errors import (
    NoComparisonError,
    NoVariationError,
    TooFewDaysError,
    ValueRangeError,
)
from lowdose.analysis.nap import compute_nap
from lowdose.analysis.outcomes import OutcomeSpec, load_thresholds, outcome_spec
from lowdose.analysis.randomization import randomization_test
from lowdose.analysis.results import (
    AnalysisOptions,
    Design,
    Effect,
    Evaluation,
    OutcomeResult,
    Probability,
    Responder,
    Sensitivity,
)
from lowdose.analysis.series import DailySeries, Phase
from lowdose.analysis.trial import TrialDesign, assign_periods

#: Fewest recorded days an arm (comparison or treatment) needs for the model to be fitted.
MIN_DAYS_PER_PHASE = 7
#: One-sided prior probability of an improvement beyond the MCID under the sceptical prior
#: (Spiegelhalter DJ, Freedman LS, Parmar MKB. J R Stat Soc A 1994;157:357–416).
SCEPTICAL_TAIL = 0.05


def evaluate_series(
    series: DailySeries,
    outcomes: Sequence[str | OutcomeSpec] | None = None,
    *,
    design: Design = Design.OPEN,
    trial: TrialDesign | None = None,
    options: AnalysisOptions | None = None,
) -> Evaluation:
    """Evaluate every requested outcome of one patient's series.

    ``outcomes``: names (daily ratings know their direction and range) or :class:`OutcomeSpec`;
    default all outcomes in the series. ``design=Design.BLINDED`` compares LDN with placebo
    periods (washout days left out); ``trial`` (its stored allocation) adds the randomization test
    and is checked against the data. Raises an :class:`~lowdose.analysis.errors.AnalysisInputError`
    for data that cannot be analysed; the result never holds NaN.

    >>> import datetime as dt
    >>> from lowdose.analysis.series import make_series
    >>> d = [dt.date(2025, 1, 1) + dt.timedelta(i) for i in range(42)]
    >>> s = make_series(d, ["baseline"] * 21 + ["maintenance"] * 21,
    ...                 {"pain": [6, 7, 6, 5, 7, 6, 6] * 3 + [4, 5, 4, 3, 4, 5, 4] * 3})
    >>> evaluate_series(s, ["pain"]).outcomes[0].responder.value
    'moderate'
    """
    options = options or AnalysisOptions()
    specs = [
        o if isinstance(o, OutcomeSpec) else outcome_spec(o) for o in (outcomes or series.outcomes)
    ]
    if trial is not None and design is not Design.BLINDED:
        raise NoComparisonError("A trial file is only used with the blinded design.", field="trial")
    periods = assign_periods(series, trial) if trial is not None else None
    results = tuple(
        evaluate_outcome(series, spec, design=design, trial=trial, periods=periods, options=options)
        for spec in specs
    )
    return Evaluation(design, results)


def _arm_masks(
    series: DailySeries, design: Design, options: AnalysisOptions
) -> tuple[np.ndarray, np.ndarray]:
    if design is Design.OPEN:
        comparison, treatment = (Phase.BASELINE,), (Phase.MAINTENANCE,)
        if options.include_titration:
            treatment = (Phase.MAINTENANCE, Phase.TITRATION)
        hint = " (for LDN/placebo periods use the blinded design)"
    else:
        comparison, treatment, hint = (Phase.PLACEBO,), (Phase.LDN,), ""
    comp, trt = series.phase_mask(*comparison), series.phase_mask(*treatment)
    if not comp.any():
        raise NoComparisonError(
            f"No {comparison[0].value} days to compare with{hint}.", field="phase"
        )
    if not trt.any():
        raise NoComparisonError(f"No {treatment[0].value} days to evaluate{hint}.", field="phase")
    return comp, trt


def _check_values(spec: OutcomeSpec, series: DailySeries) -> np.ndarray:
    if spec.name not in series.values:
        raise ValueRangeError(f"The data have no column '{spec.name}'.", field=spec.name)
    values = series.values[spec.name]
    if spec.value_range is not None:
        low, high = spec.value_range
        bad = (values < low) | (values > high)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueRangeError(
                f"{spec.label} on {series.dates[i]} is {values[i]:g}, outside {low:g}–{high:g}.",
                field=spec.name,
            )
    return values


@dataclass(frozen=True)
class _Data:
    """The rows used for one outcome: calendar day, value, treatment indicator (1/0)."""

    days: np.ndarray
    y: np.ndarray
    trt: np.ndarray
    rows: np.ndarray  # indices into the series


def _select(
    series: DailySeries, spec: OutcomeSpec, comp: np.ndarray, trt: np.ndarray, design: Design
) -> _Data:
    values = _check_values(spec, series)
    seen = ~np.isnan(values)
    names = ("baseline", "maintenance") if design is Design.OPEN else ("placebo", "LDN")
    for mask, name in zip((comp, trt), names, strict=True):
        count = int((mask & seen).sum())
        if count < MIN_DAYS_PER_PHASE:
            raise TooFewDaysError(
                f"{spec.label}: only {count} recorded {name} day{'s' if count != 1 else ''}; "
                f"at least {MIN_DAYS_PER_PHASE} are needed.",
                field=spec.name,
            )
    rows = np.flatnonzero((comp | trt) & seen)
    data = _Data(series.days[rows], values[rows], trt[rows].astype(float), rows)
    if np.ptp(data.y) == 0:
        raise NoVariationError(
            f"{spec.label}: all values are equal ({data.y[0]:g}); there is nothing to compare.",
            field=spec.name,
        )
    if all(np.ptp(data.y[data.trt == arm]) == 0 for arm in (0.0, 1.0)):
        raise NoVariationError(
            f"{spec.label}: the values never vary within a phase, so day-to-day noise cannot be "
            "estimated.",
            field=spec.name,
        )
    return data


def _fit(data: _Data, *, trend: bool) -> Ar1Fit:
    columns = [np.ones_like(data.y), data.trt]
    if trend:  # centred, per week, so the intercept stays interpretable
        columns.append((data.days - data.days.mean()) / 7.0)
    return fit_ar1(data.days, np.column_stack(columns), data.y, contrast=1)


METHOD = "AR(1) GLS by REML, Kenward-Roger 95% interval"


def _effect(fit: Ar1Fit, method: str = METHOD) -> Effect:
    low, high = fit.interval()
    effect = Effect(fit.estimate, fit.plain_se, low, high, fit.phi, fit.kr_df, method)
    if not all(math.isfinite(v) for v in (effect.estimate, effect.se, low, high, fit.phi)):
        raise NoVariationError("The model could not be fitted to these data.")
    return effect


def improvement_interval(effect: Effect, lower_is_better: bool) -> tuple[float, float, float]:
    """(improvement, low, high): the effect turned so that positive always means better."""
    if lower_is_better:
        return -effect.estimate, -effect.ci_high, -effect.ci_low
    return effect.estimate, effect.ci_low, effect.ci_high


def percent_of(improvement: float, comparison_mean: float) -> float | None:
    """Improvement as a percentage of the comparison mean; None when that mean is ~0."""
    if abs(comparison_mean) < 1e-9:
        return None
    return 100.0 * improvement / abs(comparison_mean)


def classify_responder(percent: float | None, improvement_low: float) -> Responder:
    """IMMPACT class from the percent improvement, declared only if the interval excludes 0.

    >>> classify_responder(55.0, 0.4).value, classify_responder(55.0, -0.1).value
    ('substantial', 'inconclusive')
    >>> classify_responder(12.0, 0.2).value
    'none'
    """
    th = load_thresholds()
    if percent is None:
        return Responder.INCONCLUSIVE
    if percent < th.moderate_percent:
        return Responder.NONE
    if improvement_low <= 0:
        return Responder.INCONCLUSIVE
    return Responder.SUBSTANTIAL if percent >= th.substantial_percent else Responder.MODERATE


def probability_of_improvement(improvement: float, se: float, mcid: float) -> Probability:
    """P(true improvement > ``mcid``) for a normal likelihood N(improvement, se²).

    Sceptical prior: N(0, τ²) centred on no effect with τ = mcid / z₀.₉₅, i.e. a 5 % prior chance
    of exceeding the MCID (Spiegelhalter, Freedman & Parmar 1994). The flat prior gives the
    likelihood alone.

    >>> p = probability_of_improvement(2.0, 0.5, 1.0)
    >>> round(p.flat, 3), p.sceptical < p.flat
    (0.977, True)
    """
    tau = mcid / special.ndtri(1 - SCEPTICAL_TAIL)
    post_var = 1.0 / (1.0 / tau**2 + 1.0 / se**2)
    post_mean = post_var * improvement / se**2
    sceptical = float(special.ndtr((post_mean - mcid) / math.sqrt(post_var)))
    flat = float(special.ndtr((improvement - mcid) / se))
    prior = f"normal, centred on no effect, SD {tau:.3g}, a 5% prior chance of exceeding the MCID"
    return Probability(sceptical, flat, mcid, tau, prior)


def evaluate_outcome(
    series: DailySeries,
    spec: OutcomeSpec,
    *,
    design: Design = Design.OPEN,
    trial: TrialDesign | None = None,
    periods: np.ndarray | None = None,
    options: AnalysisOptions | None = None,
) -> OutcomeResult:
    """Evaluate one outcome; see :func:`evaluate_series` (which checks the trial once)."""
    options = options or AnalysisOptions()
    comp, trt = _arm_masks(series, design, options)
    data = _select(series, spec, comp, trt, design)
    main, with_trend = (
        _effect(_fit(data, trend=False)),
        _effect(_fit(data, trend=True), METHOD + ", linear trend"),
    )
    comparison_mean = float(data.y[data.trt == 0].mean())
    percent, probability, responder, p_model = _decide(main, spec, comparison_mean)
    result = OutcomeResult(
        outcome=spec.name,
        label=spec.label,
        lower_is_better=spec.lower_is_better,
        design=design,
        n_days_used=len(data.y),
        n_comparison_days=int((data.trt == 0).sum()),
        n_treatment_days=int((data.trt == 1).sum()),
        comparison_mean=comparison_mean,
        treatment_mean=float(data.y[data.trt == 1].mean()),
        effect=main,
        effect_with_trend=with_trend,
        nap=compute_nap(
            data.y[data.trt == 0], data.y[data.trt == 1], lower_is_better=spec.lower_is_better
        ),
        probability=probability,
        percent_improvement=percent,
        responder=responder,
        p_model=p_model,
        p_randomization=_p_randomization(data, periods, trial, spec),
        sensitivity=_sensitivity(series, data, with_trend, comparison_mean, spec, options),
        caveats=(),
    )
    found = caveat_rules.collect(result, series, spec, data.rows, comp, trt, options)
    result = replace(result, caveats=found)
    return replace(
        result, summary=text.patient_summary(result), methods=text.methods_paragraph(result, spec)
    )


def _decide(
    main: Effect, spec: OutcomeSpec, comparison_mean: float
) -> tuple[float | None, Probability, Responder, float]:
    """Percent improvement, probability of a meaningful improvement, class and one-sided p.

    The probability and p use the Kenward–Roger interval: its half-width over the normal
    (probability) or t (p-value) quantile is the standard error that honours φ's uncertainty.
    """
    improvement, imp_low, _ = improvement_interval(main, spec.lower_is_better)
    percent = percent_of(improvement, comparison_mean)
    mcid = spec.mcid if spec.mcid is not None else _relative_mcid(spec, comparison_mean)
    half = (main.ci_high - main.ci_low) / 2
    probability = probability_of_improvement(improvement, half / special.ndtri(0.975), mcid)
    p_model = float(special.stdtr(main.df, -improvement * special.stdtrit(main.df, 0.975) / half))
    return percent, probability, classify_responder(percent, imp_low), p_model


def _relative_mcid(spec: OutcomeSpec, comparison_mean: float) -> float:
    if abs(comparison_mean) < 1e-9:
        raise ValueRangeError(
            f"{spec.label}: the comparison mean is 0, so a percentage threshold has no meaning; "
            "give the minimal important difference in the outcome's units.",
            field="mcid",
        )
    return load_thresholds().minimal_important_percent / 100.0 * abs(comparison_mean)


def _p_randomization(
    data: _Data, periods: np.ndarray | None, trial: TrialDesign | None, spec: OutcomeSpec
) -> float | None:
    if trial is None or periods is None:
        return None
    period_of_row = periods[data.rows]
    sums = np.bincount(period_of_row, weights=data.y, minlength=len(trial.periods) + 1)[1:]
    counts = np.bincount(period_of_row, minlength=len(trial.periods) + 1)[1:].astype(float)
    return randomization_test(
        sums, counts, trial, higher_is_better=not spec.lower_is_better
    ).p_value


def _sensitivity(
    series: DailySeries,
    data: _Data,
    with_trend: Effect,
    comparison_mean: float,
    spec: OutcomeSpec,
    options: AnalysisOptions,
) -> tuple[Sensitivity, ...]:
    found = [_as_sensitivity("with a linear trend", with_trend, comparison_mean, spec)]
    keep = _drop_period_starts(series, data, options.carryover_days)
    trimmed = _Data(data.days[keep], data.y[keep], data.trt[keep], data.rows[keep])
    enough = all((trimmed.trt == arm).sum() >= MIN_DAYS_PER_PHASE for arm in (0.0, 1.0))
    if options.carryover_days > 0 and enough and np.ptp(trimmed.y) > 0:
        effect = _effect(_fit(trimmed, trend=False))
        label = f"first {options.carryover_days} days of each period dropped (carry-over)"
        found.append(
            _as_sensitivity(label, effect, float(trimmed.y[trimmed.trt == 0].mean()), spec)
        )
    return tuple(found)


def _as_sensitivity(
    label: str, effect: Effect, comparison_mean: float, spec: OutcomeSpec
) -> Sensitivity:
    improvement, low, _ = improvement_interval(effect, spec.lower_is_better)
    responder = classify_responder(percent_of(improvement, comparison_mean), low)
    return Sensitivity(label, effect.estimate, effect.ci_low, effect.ci_high, responder)


def _drop_period_starts(series: DailySeries, data: _Data, k: int) -> np.ndarray:
    """Mask of used rows that are not within the first ``k`` days of a later period.

    A period is a run of consecutive series rows with the same phase; the very first run (the
    baseline of an open course) has nothing to carry over from and is kept whole.
    """
    phases = series.phases
    start_day = np.empty(len(phases), dtype=np.int64)
    run_index = np.empty(len(phases), dtype=np.int64)
    run = 0
    for i, phase in enumerate(phases):
        if i == 0 or phase is not phases[i - 1]:
            run, current = (run + 1 if i else 0), int(series.days[i])
        start_day[i], run_index[i] = current, run
    offset = series.days[data.rows] - start_day[data.rows]
    return (run_index[data.rows] == 0) | (offset >= k)
