"""Charts as SVG text, drawn with matplotlib's object API (no global pyplot state, thread-safe).

Charts carry a ``<title>`` and a ``<desc>`` that say in words what they show, and every page that
shows a chart also shows the numbers as a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from lowdose.ratings import DAILY_RATINGS, RATINGS_BY_NAME

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_MARKERS = ("o", "s", "^", "D", "v", "P")
_LINESTYLES = ("-", "-", "--", "-", "--", ":")
_DOSE_COLOUR = "#555555"
_MARKER_LIMIT = 70


def render_ratings_chart(
    days: Sequence[dt.date],
    ratings: Mapping[str, Sequence[int | None]],
    dose_steps: Sequence[tuple[dt.date, Decimal]],
    *,
    title: str,
    phase_starts: Sequence[tuple[dt.date, str]] = (),
) -> str:
    """Daily ratings over time (top) with the LDN dose as steps (bottom), as an SVG string.

    ``ratings`` maps rating names to one value per entry of ``days`` (``None`` = not rated).
    ``dose_steps`` are ``(effective date, mg)``; ``phase_starts`` are labelled vertical lines.
    """
    figure = Figure(figsize=(8.0, 4.2), layout="constrained")
    FigureCanvasSVG(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    _plot_ratings(top, days, ratings)
    _plot_dose(bottom, days, dose_steps)
    for start, label in phase_starts:
        for axes in (top, bottom):
            axes.axvline(start, color="#888888", linewidth=0.8, linestyle=":")
        top.annotate(label, (start, 10.2), fontsize=8, color="#444444", annotation_clip=False)
    figure.autofmt_xdate()
    buffer = io.StringIO()
    # Text stays text (not glyph outlines): smaller files, and labels a browser can read out.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _with_text_alternative(buffer.getvalue(), title, _describe(days, ratings, dose_steps))


def _plot_ratings(axes, days: Sequence[dt.date], ratings: Mapping[str, Sequence[int | None]]):
    for index, rating in enumerate(DAILY_RATINGS):
        values = ratings.get(rating.name)
        if values is None or all(v is None for v in values):
            continue
        ys = [math.nan if v is None else v for v in values]
        # Markers tell the lines apart without colour; past ~10 weeks they would only clutter.
        marker = _MARKERS[index] if len(days) <= _MARKER_LIMIT else None
        axes.plot(
            days,
            ys,
            label=rating.label,
            color=_COLOURS[index],
            marker=marker,
            markersize=3,
            linewidth=1.2,
            linestyle=_LINESTYLES[index],
        )
    axes.set_ylim(-0.3, 10.3)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("Rating (0–10)")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _plot_dose(axes, days: Sequence[dt.date], steps: Sequence[tuple[dt.date, Decimal]]) -> None:
    axes.set_ylabel("LDN (mg)")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if not steps or not days:
        axes.set_ylim(0, 1)
        return
    end = max(days[-1], steps[-1][0])
    xs = [date for date, _ in steps] + [end]
    ys = [float(mg) for _, mg in steps] + [float(steps[-1][1])]
    axes.step(xs, ys, where="post", color=_DOSE_COLOUR, linewidth=1.6)
    axes.fill_between(xs, ys, step="post", color=_DOSE_COLOUR, alpha=0.15)
    axes.set_ylim(0, max(ys) * 1.25)


def _describe(
    days: Sequence[dt.date],
    ratings: Mapping[str, Sequence[int | None]],
    steps: Sequence[tuple[dt.date, Decimal]],
) -> str:
    if not days:
        return "No check-ins yet."
    parts = [f"Daily ratings from {days[0].isoformat()} to {days[-1].isoformat()}."]
    latest = [
        f"{RATINGS_BY_NAME[name].label.lower()} {values[-1]}"
        for name, values in ratings.items()
        if values and values[-1] is not None
    ]
    if latest:
        parts.append(f"Latest entry {days[-1].isoformat()}: " + ", ".join(latest) + ".")
    if steps:
        parts.append(
            "LDN dose: "
            + "; ".join(f"{mg.normalize():f} mg from {d.isoformat()}" for d, mg in steps)
            + "."
        )
    return " ".join(parts)


def _with_text_alternative(svg: str, title: str, description: str) -> str:
    """Drop the XML prologue and put a title and description first inside the root element."""
    svg = svg[svg.index("<svg") :]
    text = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + text, svg, count=1)
    return svg.replace("<svg ", '<svg role="img" ', 1)

