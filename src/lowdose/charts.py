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
        axes.plot([p[0] for p in points], [p[1] for p in points], color=_COLOURS[0], linewidth=1.2)
        for filled in (True, False):
            chosen = [p for p in points if p[2] is filled]
            axes.plot(
                [p[0] for p in chosen],
                [p[1] for p in chosen],
                linestyle="none",
                marker="o",
                markersize=6,
                color=_COLOURS[0],
                markerfacecolor=_COLOURS[0] if filled else "white",
                label="complete test" if filled else "incomplete test",
            )
    if threshold_bpm is not None:
        axes.axhline(
            threshold_bpm,
            color=_COLOURS[1],
            linestyle="--",
            linewidth=1.0,
            label=f"heart-rate criterion ({threshold_bpm} bpm)",
        )
    top = max([threshold_bpm or 0, *(p[1] for p in points)], default=0)
    axes.set_ylim(min([0.0, *(p[1] for p in points)]) - 2, top * 1.2 + 5)
    axes.set_ylabel("Largest rise (bpm)")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    figure.autofmt_xdate()
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _with_text_alternative(buffer.getvalue(), title, _describe_rises(days, rises))


def _describe_rises(days: Sequence[dt.date], rises: Sequence[Decimal | None]) -> str:
    if not days:
        return "No stand tests yet."
    parts = [
        f"{d.isoformat()}: {'not computed' if r is None else f'{r.normalize():f} bpm'}"
        for d, r in zip(days, rises, strict=True)
    ]
    return "Largest standing heart-rate rise per test. " + "; ".join(parts) + "."
