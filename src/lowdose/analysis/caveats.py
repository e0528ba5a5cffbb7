"""Caveats generated from the data: what a careful reader must know before trusting a result.

Each rule looks at one weakness open-label courses and short series really have (placebo
response, short phases, missing days, other medication changes, a trend already present before
LDN, answers that depend on modelling choices) and returns a plain-language message or nothing.
"""

from __future__ import annotations

import numpy as np

from lowdose.analysis.ar1 import fit_ar1
from lowdose.analysis.outcomes import OutcomeSpec, load_thresholds
from lowdose.analysis.results import AnalysisOptions, Caveat, Design, OutcomeResult
from lowdose.analysis.series import DailySeries

#: Share of calendar days without a value above which results are flagged. A statistical
#: choice, not a clinical threshold: beyond it, whether days are missing at random matters.
MISSING_SHARE = 0.20


def collect(
    result: OutcomeResult,
    series: DailySeries,
    spec: OutcomeSpec,
    rows: np.ndarray,
    comp: np.ndarray,
    trt: np.ndarray,
    options: AnalysisOptions,
) -> tuple[Caveat, ...]:
    """All caveats that apply, most important first."""
    found: list[tuple[str, str | None]] = []
    if result.design is Design.OPEN:
        found.append(("open_label", _open_label(spec)))
        found.append(
            (
                "short_baseline",
                _short_phase(series, comp, "baseline", load_thresholds().min_baseline_days),
            )
        )
        found.append(("short_maintenance", _short_maintenance(series, trt)))
        found.append(
            ("baseline_trend", _baseline_trend(series, spec, comp, result.probability.mcid))
        )
    else:
        found.append(("randomization", _randomization_note(result)))
    found.append(("missing_days", _missing(series, spec, comp, trt)))
    found.append(("medication_change", _medication_change(series, comp, trt)))
    found.append(("trend_dependence", _trend_dependence(result)))
    found.append(("sensitivity", _sensitivity_disagrees(result)))
    if spec.basis != "direct":
        found.append(("thresholds_by_analogy", (
            f"No minimal important difference has been established for {spec.label.lower()}; "
            "the IMMPACT thresholds for pain (30% moderate, 50% substantial) are used by analogy."
        )))  # fmt: skip
    return tuple(Caveat(code, message) for code, message in found if message)


def _open_label(spec: OutcomeSpec) -> str:
    th = load_thresholds()
    examples = "; ".join(text for outcome, text, _ in th.placebo_responses if outcome == "pain")
    return (
        "Open-label course: you knew you were taking LDN, so part of any improvement may be a "
        f"placebo response or natural ups and downs. For comparison, {examples}. A blinded n-of-1 "
        "trial with placebo periods can separate the two."
    )


def _span(series: DailySeries, mask: np.ndarray) -> int:
    days = series.days[mask]
    return int(days.max() - days.min() + 1) if len(days) else 0


def _short_phase(series: DailySeries, mask: np.ndarray, name: str, minimum: int) -> str | None:
    span = _span(series, mask)
    if span >= minimum:
        return None
    return (
        f"The {name} lasted {span} days; at least {minimum} days are recommended (trials of LDN "
        "used 2-week baselines), so the starting level is uncertain."
    )


def _short_maintenance(series: DailySeries, trt: np.ndarray) -> str | None:
    th = load_thresholds()
    span = _span(series, trt)
    if span >= th.min_maintenance_days:
        return None
    return (
        f"Only {span} days on the maintenance dose so far. Trials that found a benefit gave LDN "
        "for "
        f"8 to 12 weeks, so it may be too early to judge; the result can still change."
    )


def _missing(
    series: DailySeries, spec: OutcomeSpec, comp: np.ndarray, trt: np.ndarray
) -> str | None:
    values = series.values[spec.name]
    expected = _span(series, comp) + _span(series, trt)
    seen = int((~np.isnan(values[comp | trt])).sum())
    share = 1.0 - seen / expected if expected else 0.0
    if share <= MISSING_SHARE:
        return None
    return (
        f"{share:.0%} of days in the compared phases have no {spec.label.lower()} rating. If the "
        "missing days were unusually good or bad days, the result is biased."
    )


def _medication_change(series: DailySeries, comp: np.ndarray, trt: np.ndarray) -> str | None:
    dates = [series.dates[i] for i in np.flatnonzero(comp | trt)]
    if not dates:
        return None
    inside = [d for d in series.medication_changes if dates[0] <= d <= dates[-1]]
    if not inside:
        return None
    listed = ", ".join(d.isoformat() for d in inside[:3]) + (" …" if len(inside) > 3 else "")
    return (
        f"Another medication changed during the comparison ({listed}); that change, not LDN, may "
        "explain part of the difference."
    )


def _baseline_trend(
    series: DailySeries, spec: OutcomeSpec, comp: np.ndarray, mcid: float
) -> str | None:
    """Flag a baseline whose fitted drift over its length is at least the MCID (95 % CI ≠ 0).

    Starting LDN when symptoms peak (regression to the mean) and a course already improving both
    show up as a baseline trend, and both make an open-label comparison look better than it is.
    """
    values = series.values[spec.name]
    rows = np.flatnonzero(comp & ~np.isnan(values))
    if len(rows) < 7 or np.ptp(values[rows]) == 0:
        return None
    days, y = series.days[rows], values[rows]
    x = np.column_stack([np.ones(len(y)), (days - days.mean()).astype(float)])
    fit = fit_ar1(days, x, y, contrast=1)
    low, high = fit.interval()
    drift = fit.estimate * float(days[-1] - days[0])
    if low <= 0 <= high or abs(drift) < mcid:
        return None
    improving = (drift < 0) == spec.lower_is_better
    way = "improving" if improving else "getting worse"
    consequence = (
        "part of the later improvement may be that trend continuing (or a return from a bad spell)"
        if improving
        else "the comparison may understate or overstate the effect"
    )
    return (
        f"{spec.label} was already {way} during the baseline ({abs(drift):.1f} points over "
        f"{int(days[-1] - days[0]) + 1} days); {consequence}."
    )


def _randomization_note(result: OutcomeResult) -> str | None:
    if result.p_randomization is None:
        return "No trial file was given, so the randomization test was not run."
    return None


def _trend_dependence(result: OutcomeResult) -> str | None:
    trend = result.sensitivity[0]
    if trend.responder is result.responder:
        return None
    return (
        "The answer depends on whether a steady drift over time is allowed for: with a linear "
        f"trend the estimate is {trend.estimate:+.2f} (95% CI {trend.ci_low:+.2f} to "
        f"{trend.ci_high:+.2f}) and the class would be '{trend.responder.value}'."
    )


def _sensitivity_disagrees(result: OutcomeResult) -> str | None:
    others = [s for s in result.sensitivity[1:] if s.responder is not result.responder]
    if not others:
        return None
    s = others[0]
    return (
        f"With the {s.label}, the estimate is {s.estimate:+.2f} (95% CI {s.ci_low:+.2f} to "
        f"{s.ci_high:+.2f}) and the class would be '{s.responder.value}': the result is not robust."
    )
