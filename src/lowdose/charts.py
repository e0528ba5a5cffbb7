"""Charts as SVG text, drawn with matplotlib's object API (no global pyplot state, thread-safe).

Charts carry a ``<title>`` and a ``<desc>`` that say in words what they show, and every page that
shows a chart also shows the numbers as a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from lowdose.ratings import DAILY_RATINGS, RATINGS_BY_NAME, SideEffect

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_MARKERS = ("o", "s", "^", "D", "v", "P")
_LINESTYLES = ("-", "-", "--", "-", "--", ":")
_DOSE_COLOUR = "#555555"
_SEVERITY_COLOURS = {1: "#E69F00", 2: "#D55E00", 3: "#9E0000"}
_SEVERITY_SIZES = {1: 10, 2: 22, 3: 40}
_PHASE_SHADES = ("#f0f0f0", "#ffffff")
_MARKER_LIMIT = 70

#: The rolling mean covers a week, and needs 4 of its 7 days rated to be drawn.
ROLLING_DAYS = 7
ROLLING_MIN_VALUES = 4


@dataclass(frozen=True)
class PhaseSpan:
    """A labelled stretch of the course: ``start`` to ``end`` inclusive (``None``: open)."""

    start: dt.date
    end: dt.date | None
    label: str


@dataclass(frozen=True)
class ChartEvent:
    """Something that happened on a day, drawn as a labelled marker (a medication change…)."""

    day: dt.date
    label: str


@dataclass(frozen=True)
class ScorePoint:
    """A questionnaire score placed on its scale: ``percent`` of the way from best to worst."""

    day: dt.date
    instrument: str
    score: float
    percent: float


@dataclass(frozen=True)
class StandRise:
    """The largest heart-rate rise of one stand test, and the POTS threshold for the age."""

    day: dt.date
    rise_bpm: float
    threshold_bpm: float | None


def rolling_mean(
    days: Sequence[dt.date], values: Sequence[float | None], window: int = ROLLING_DAYS
) -> list[float | None]:
    """The mean of the calendar week ending on each day (missing days are not filled in).

    ``None`` where fewer than :data:`ROLLING_MIN_VALUES` of the window's days have a value.

    >>> days = [dt.date(2026, 1, d) for d in range(1, 6)]
    >>> rolling_mean(days, [2, 4, None, 6, 8])
    [None, None, None, 4.0, 5.0]
    """
    if not days:
        return []
    first = days[0].toordinal()
    grid = np.full(days[-1].toordinal() - first + 1, np.nan)
    for day, value in zip(days, values, strict=True):
        if value is not None:
            grid[day.toordinal() - first] = float(value)
    seen = np.concatenate([[0], np.cumsum(~np.isnan(grid))])
    total = np.concatenate([[0.0], np.cumsum(np.nan_to_num(grid))])
    out: list[float | None] = []
    for day in days:
        end = day.toordinal() - first + 1
        start = max(0, end - window)
        count = seen[end] - seen[start]
        out.append(
            float((total[end] - total[start]) / count) if count >= ROLLING_MIN_VALUES else None
        )
    return out


def render_ratings_chart(
    days: Sequence[dt.date],
    ratings: Mapping[str, Sequence[int | None]],
    dose_steps: Sequence[tuple[dt.date, Decimal]],
    *,
    title: str,
    phase_starts: Sequence[tuple[dt.date, str]] = (),
    phases: Sequence[PhaseSpan] = (),
    side_effects: Sequence[tuple[dt.date, str, int]] = (),
    events: Sequence[ChartEvent] = (),
    scores: Sequence[ScorePoint] = (),
    stand_rises: Sequence[StandRise] = (),
) -> str:
    """Daily ratings with their 7-day mean, side effects and the LDN dose, as an SVG string.

    ``ratings`` maps rating names to one value per entry of ``days`` (``None`` = not rated).
    ``dose_steps`` are ``(effective date, mg)``. ``phases`` shade the course's phases;
    ``phase_starts`` draw labelled lines instead. ``side_effects`` are ``(day, effect value,
    severity 1–3)``; ``events`` are labelled markers such as medication changes; ``scores`` are
    questionnaire totals and ``stand_rises`` stand-test heart-rate rises, each in a panel of its
    own. All panels share one time axis.
    """
    panels = ["ratings"]
    panels += ["effects"] if side_effects else []
    panels += ["scores"] if scores else []
    panels += ["stand"] if stand_rises else []
    panels.append("dose")
    heights = {"ratings": 3, "effects": 1.1, "scores": 1.2, "stand": 1.1, "dose": 1}
    height = 2.0 + 0.9 * sum(heights[p] for p in panels)
    figure = Figure(figsize=(8.0, height))
    FigureCanvasSVG(figure)
    # Fixed margins (room for side-effect names on the left and the legend on the right) cost a
    # fraction of matplotlib's constrained layout, which measures every label twice.
    figure.subplots_adjust(
        left=0.17, right=0.78, top=1 - 0.3 / height, bottom=0.75 / height, hspace=0.18
    )
    axes = figure.subplots(len(panels), 1, sharex=True, height_ratios=[heights[p] for p in panels])
    panel = dict(zip(panels, axes, strict=True))
    top = panel["ratings"]
    _shade_phases(axes, phases, days)
    _plot_ratings(top, days, ratings)
    if side_effects:
        _plot_side_effects(panel["effects"], side_effects)
    if scores:
        _plot_scores(panel["scores"], scores)
    if stand_rises:
        _plot_stand_rises(panel["stand"], stand_rises)
    _plot_dose(panel["dose"], days, dose_steps)
    for start, label in phase_starts:
        for ax in axes:
            ax.axvline(start, color="#888888", linewidth=0.8, linestyle=":")
        top.annotate(label, (start, 10.2), fontsize=8, color="#444444", annotation_clip=False)
    _mark_events(axes, events)
    figure.autofmt_xdate()
    buffer = io.StringIO()
    # Text stays text (not glyph outlines): smaller files, and labels a browser can read out.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    description = _describe(days, ratings, dose_steps, side_effects, events, scores, stand_rises)
    return _with_text_alternative(buffer.getvalue(), title, description)


def _shade_phases(axes, phases: Sequence[PhaseSpan], days: Sequence[dt.date]) -> None:
    if not phases or not days:
        return
    last = days[-1] + dt.timedelta(days=1)
    for index, span in enumerate(phases):
        end = (span.end + dt.timedelta(days=1)) if span.end else last
        for ax in axes:
            ax.axvspan(span.start, end, color=_PHASE_SHADES[index % 2], zorder=0, linewidth=0)
        axes[0].annotate(
            span.label,
            (span.start, 10.2),
            xytext=(3, -1),
            textcoords="offset points",
            fontsize=8,
            color="#333333",
            va="top",
        )


def _plot_ratings(axes, days: Sequence[dt.date], ratings: Mapping[str, Sequence[int | None]]):
    many = len(days) > _MARKER_LIMIT
    x = _as_datetime64(days)
    for index, rating in enumerate(DAILY_RATINGS):
        values = ratings.get(rating.name)
        if values is None or all(v is None for v in values):
            continue
        ys = [np.nan if v is None else v for v in values]
        # Daily values faint, their weekly mean bold: the trend is visible through the noise.
        axes.plot(
            x,
            ys,
            color=_COLOURS[index],
            linewidth=0.6,
            alpha=0.35,
            marker=None if many else _MARKERS[index],
            markersize=2.5,
        )
        mean = [np.nan if v is None else v for v in rolling_mean(days, values)]
        axes.plot(
            x,
            mean,
            label=rating.label,
            color=_COLOURS[index],
            linewidth=1.8,
            linestyle=_LINESTYLES[index],
        )
    axes.set_ylim(-0.3, 10.3)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("Rating (0–10)\nline: 7-day mean")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _plot_side_effects(axes, side_effects: Sequence[tuple[dt.date, str, int]]) -> None:
    effects = [e for e in SideEffect if any(code == e.value for _, code, _ in side_effects)]
    rows = {effect.value: i for i, effect in enumerate(effects)}
    # One scatter per severity (not per report): a year of reports stays a handful of artists.
    for severity in sorted({severity for _, _, severity in side_effects}):
        points = [(day, rows[code]) for day, code, level in side_effects if level == severity]
        axes.scatter(
            _as_datetime64([d for d, _ in points]),
            [r for _, r in points],
            s=_SEVERITY_SIZES.get(severity, 10),
            color=_SEVERITY_COLOURS.get(severity, "#999999"),
            zorder=3,
            linewidths=0,
        )
    axes.set_yticks(range(len(effects)), [e.label for e in effects], fontsize=7)
    axes.set_ylim(-0.7, len(effects) - 0.3)
    axes.invert_yaxis()
    axes.set_ylabel("Side effects\n(size: severity)", fontsize=8)
    axes.grid(axis="y", color="#eeeeee", linewidth=0.6)


def _plot_scores(axes, scores: Sequence[ScorePoint]) -> None:
    names = sorted({point.instrument for point in scores})
    for index, name in enumerate(names):
        points = sorted((p for p in scores if p.instrument == name), key=lambda p: p.day)
        axes.plot(
            _as_datetime64([p.day for p in points]),
            [p.percent for p in points],
            marker=_MARKERS[index % len(_MARKERS)],
            markersize=4,
            linewidth=1,
            color=_COLOURS[(index + 2) % len(_COLOURS)],
            label=name,
        )
    axes.set_ylim(-5, 105)
    axes.set_yticks([0, 50, 100])
    axes.set_ylabel("Questionnaires\n(% of scale,\nhigh = worse)", fontsize=8)
    axes.grid(axis="y", color="#eeeeee", linewidth=0.6)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)


def _plot_stand_rises(axes, rises: Sequence[StandRise]) -> None:
    points = sorted(rises, key=lambda r: r.day)
    axes.plot(
        _as_datetime64([r.day for r in points]),
        [r.rise_bpm for r in points],
        marker="o",
        markersize=4,
        linewidth=1,
        color="#7a3e9d",
    )
    thresholds = {r.threshold_bpm for r in points if r.threshold_bpm is not None}
    for threshold in thresholds:
        axes.axhline(threshold, color="#7a3e9d", linestyle=":", linewidth=0.9)
        axes.annotate(
            f"POTS criterion {threshold:.0f} bpm",
            (0.995, threshold),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            fontsize=7,
            color="#7a3e9d",
        )
    top = max([r.rise_bpm for r in points] + list(thresholds))
    axes.set_ylim(0, top * 1.3 + 1)
    axes.set_ylabel("Stand test\nHR rise (bpm)", fontsize=8)
    axes.grid(axis="y", color="#eeeeee", linewidth=0.6)


def _plot_dose(axes, days: Sequence[dt.date], steps: Sequence[tuple[dt.date, Decimal]]) -> None:
    axes.set_ylabel("LDN (mg)")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    if not steps or not days:
        axes.set_ylim(0, 1)
        return
    end = max(days[-1], steps[-1][0])
    xs = _as_datetime64([date for date, _ in steps] + [end])
    ys = [float(mg) for _, mg in steps] + [float(steps[-1][1])]
    axes.step(xs, ys, where="post", color=_DOSE_COLOUR, linewidth=1.6)
    axes.fill_between(xs, ys, step="post", color=_DOSE_COLOUR, alpha=0.15)
    axes.set_ylim(0, max(ys) * 1.25)


def _as_datetime64(days: Sequence[dt.date]) -> np.ndarray:
    """Dates as one NumPy array: matplotlib converts it at once, not date by date."""
    return np.array(days, dtype="datetime64[D]")


def _mark_events(axes, events: Sequence[ChartEvent]) -> None:
    for event in events:
        for ax in axes:
            ax.axvline(event.day, color="#7a3e9d", linewidth=0.9, linestyle="--", zorder=1)
        axes[-1].annotate(
            event.label,
            (event.day, 0),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=7,
            color="#7a3e9d",
            rotation=90,
            va="bottom",
        )


def _describe(
    days: Sequence[dt.date],
    ratings: Mapping[str, Sequence[int | None]],
    steps: Sequence[tuple[dt.date, Decimal]],
    side_effects: Sequence[tuple[dt.date, str, int]] = (),
    events: Sequence[ChartEvent] = (),
    scores: Sequence[ScorePoint] = (),
    stand_rises: Sequence[StandRise] = (),
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
    if side_effects:
        parts.append(f"{len(side_effects)} side-effect reports.")
    if scores:
        listed = "; ".join(f"{p.instrument} {p.score:g} on {p.day.isoformat()}" for p in scores)
        parts.append(f"Questionnaires: {listed}.")
    if stand_rises:
        listed = "; ".join(f"{r.rise_bpm:g} bpm on {r.day.isoformat()}" for r in stand_rises)
        parts.append(f"Stand tests, largest heart-rate rise: {listed}.")
    if events:
        parts.append(
            "Marked: " + "; ".join(f"{e.label} on {e.day.isoformat()}" for e in events) + "."
        )
    return " ".join(parts)


def _with_text_alternative(svg: str, title: str, description: str) -> str:
    """Drop the XML prologue and put a title and description first inside the root element."""
    svg = svg[svg.index("<svg") :]
    text = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + text, svg, count=1)
    return svg.replace("<svg ", '<svg role="img" ', 1)
