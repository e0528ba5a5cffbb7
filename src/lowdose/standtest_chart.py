"""The stand-test chart: the largest standing heart-rate rise of each test over a course, as SVG.

Drawn with matplotlib's object API like :mod:`lowdose.charts`; the SVG carries a ``<title>`` and a
``<desc>`` with the numbers, and pages that show it also show them as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from lowdose.charts import concise_dates, drawing, svg_document

# Okabe-Ito blue and vermilion: distinguishable with the common colour-vision deficiencies.
_RISE_COLOUR = "#0072B2"
_THRESHOLD_COLOUR = "#D55E00"


def render_stand_test_chart(
    days: Sequence[dt.date],
    rises: Sequence[Decimal | None],
    complete: Sequence[bool],
    *,
    threshold_bpm: int | None,
    title: str,
) -> str:
    """The largest standing heart-rate rise of each stand test over a course, as an SVG string.

    ``rises`` are bpm over the supine baseline (``None``: could not be computed); incomplete
    tests are drawn hollow. ``threshold_bpm`` draws the age-dependent criterion as a dashed line.
    """
    figure = Figure(figsize=(8.0, 3.4), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.subplots()
    points = [
        (d, float(r), c) for d, r, c in zip(days, rises, complete, strict=True) if r is not None
    ]
    if points:
        axes.plot([p[0] for p in points], [p[1] for p in points], color=_RISE_COLOUR, linewidth=1.2)
        for filled in (True, False):
            chosen = [p for p in points if p[2] is filled]
            axes.plot(
                [p[0] for p in chosen],
                [p[1] for p in chosen],
                linestyle="none",
                marker="o",
                markersize=6,
                color=_RISE_COLOUR,
                markerfacecolor=_RISE_COLOUR if filled else "white",
                label="complete test" if filled else "incomplete test",
            )
    if threshold_bpm is not None:
        axes.axhline(
            threshold_bpm,
            color=_THRESHOLD_COLOUR,
            linestyle="--",
            linewidth=1.0,
            label=f"heart-rate criterion ({threshold_bpm} bpm)",
        )
    if len({p[0] for p in points}) == 1:  # one day: show a month either side, not years
        axes.set_xlim(points[0][0] - dt.timedelta(days=30), points[0][0] + dt.timedelta(days=30))
    top = max([threshold_bpm or 0, *(p[1] for p in points)], default=0)
    axes.set_ylim(min([0.0, *(p[1] for p in points)]) - 2, top * 1.2 + 5)
    axes.set_ylabel("Largest rise (bpm)")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    concise_dates(axes)
    with drawing():
        return svg_document(figure, title, _describe_rises(days, rises))


def _describe_rises(days: Sequence[dt.date], rises: Sequence[Decimal | None]) -> str:
    if not days:
        return "No stand tests yet."
    parts = [
        f"{d.isoformat()}: {'not computed' if r is None else f'{r.normalize():f} bpm'}"
        for d, r in zip(days, rises, strict=True)
    ]
    return "Largest standing heart-rate rise per test. " + "; ".join(parts) + "."
