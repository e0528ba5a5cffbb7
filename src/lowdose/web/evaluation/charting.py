"""The "Is it working?" chart: daily values of one outcome before and on LDN, each phase's mean,
and the model's 95% interval for the level on LDN, as SVG with a text alternative."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from lowdose.analysis import DailySeries, OutcomeResult, Phase
from lowdose.charts import concise_dates, drawing, svg_document

# Okabe–Ito colours, as in lowdose.charts: told apart with the common colour-vision deficiencies.
_COMPARISON, _TREATMENT, _OTHER = "#0072B2", "#D55E00", "#999999"


def comparison_chart_svg(series: DailySeries, result: OutcomeResult, *, title: str) -> str:
    """Dots for each day (comparison, treatment, other days in grey), a line at each arm's mean
    and a band for comparison mean + the effect's 95% interval over each run of treatment days."""
    figure = Figure(figsize=(8.0, 3.6), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.subplots()
    values = series.values[result.outcome]
    dates = np.array(series.dates)
    if result.design.value == "open":
        arms = ((Phase.BASELINE,), (Phase.MAINTENANCE,))
        names = ("Before LDN (baseline)", "On the maintenance dose")
    else:
        arms = ((Phase.PLACEBO,), (Phase.LDN,))
        names = ("Placebo periods", "LDN periods")
    comp, trt = series.phase_mask(*arms[0]), series.phase_mask(*arms[1])
    seen = ~np.isnan(values)
    other = seen & ~comp & ~trt
    axes.plot(dates[other], values[other], "o", color=_OTHER, markersize=3, label="Other days")
    for mask, colour, marker, name in ((comp, _COMPARISON, "o", names[0]),
                                       (trt, _TREATMENT, "s", names[1])):  # fmt: skip
        axes.plot(dates[mask & seen], values[mask & seen], marker, color=colour, markersize=3.5,
                  label=name)  # fmt: skip
    low = result.comparison_mean + result.effect.ci_low
    high = result.comparison_mean + result.effect.ci_high
    band_label = "95% interval for the level on LDN"
    for first, last in _runs(trt, dates):
        axes.fill_between([first, last], [low, low], [high, high], color=_TREATMENT, alpha=0.18,
                          linewidth=0, label=band_label)  # fmt: skip
        axes.hlines(result.treatment_mean, first, last, colors=_TREATMENT, linewidth=2)
        band_label = None  # one legend entry
    for first, last in _runs(comp, dates):
        axes.hlines(result.comparison_mean, first, last, colors=_COMPARISON, linewidth=2)
    axes.set_ylim(-0.3, 10.3)
    axes.set_yticks(range(0, 11, 2))
    better = "lower is better" if result.lower_is_better else "higher is better"
    axes.set_ylabel(f"{result.label} (0–10, {better})")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    concise_dates(axes)
    with drawing():
        return svg_document(figure, title, describe(result, names))


def _runs(mask: np.ndarray, dates: np.ndarray) -> list[tuple]:
    """(first date, last date) of each run of consecutive rows in ``mask`` (a phase or period)."""
    runs, start = [], None
    for i, inside in enumerate(mask):
        if inside and start is None:
            start = i
        if start is not None and (not inside or i == len(mask) - 1):
            end = i if inside else i - 1
            runs.append((dates[start], dates[end]))
            start = None
    return runs


def describe(result: OutcomeResult, names: tuple[str, str]) -> str:
    """The chart in words (its text alternative)."""
    low = result.comparison_mean + result.effect.ci_low
    high = result.comparison_mean + result.effect.ci_high
    return (
        f"{result.label}: {names[0].lower()} averaged {result.comparison_mean:.1f} over "
        f"{result.n_comparison_days} days; {names[1].lower()} {result.treatment_mean:.1f} over "
        f"{result.n_treatment_days} days. The model puts the level on LDN between {low:.1f} and "
        f"{high:.1f} (95% interval)."
    )
