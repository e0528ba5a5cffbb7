"""Charts as SVG text, drawn with matplotlib's object API (no global pyplot state, thread-safe).

Charts carry a ``<title>`` and a ``<desc>`` that say in words what they show, and every page that
shows a chart also shows the numbers as a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

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
_EVENT_COLOUR = "#7a3e9d"
# Set once for the whole figure rather than axis by axis (each call revisits every tick).
#: Every chart's SVG settings. Text stays text (not glyph outlines): smaller files, and labels a
#: browser can read out. The constant salt makes the SVG's internal ids, so the whole file, the
#: same for the same data.
_SVG = {"svg.fonttype": "none", "svg.hashsalt": "lowdose"}
_STYLE = {
    **_SVG,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e4e4e4",
    "grid.linewidth": 0.6,
}
_RENDERING = threading.Lock()


@contextmanager
def drawing(style: Mapping[str, object] | None = None) -> Iterator[None]:
    """Hold this process's one chart at a time, with ``style`` as matplotlib's settings.

    matplotlib keeps its settings in one global: without the lock, two charts drawn at once by
    the threaded development or test server could each be drawn with the other's settings.
    Without ``style``, the SVG settings every chart uses.
    """
    with _RENDERING, rc_context(style or _SVG):
        yield


def svg_document(figure: Figure, title: str, description: str) -> str:
    """The figure as SVG text with its title and description (call it inside :func:`drawing`)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _with_text_alternative(buffer.getvalue(), title, description)


# Label sizes for placing labels by hand (matplotlib's own measuring costs more than drawing).
_POINTS_PER_CHAR = 4.6
_KEY_WIDTH = 100
_KEY_LINE_INCHES = 0.15

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


@dataclass(frozen=True)
class _Course:
    """Everything one chart draws, as :func:`render_ratings_chart` takes it (events in order)."""

    days: Sequence[dt.date]
    ratings: Mapping[str, Sequence[int | None]]
    dose_steps: Sequence[tuple[dt.date, Decimal]]
    phase_starts: Sequence[tuple[dt.date, str]]
    phases: Sequence[PhaseSpan]
    side_effects: Sequence[tuple[dt.date, str, int]]
    events: Sequence[ChartEvent]
    scores: Sequence[ScorePoint]
    stand_rises: Sequence[StandRise]


def rolling_mean(
    days: Sequence[dt.date], values: Sequence[float | None], window: int = ROLLING_DAYS
) -> list[float | None]:
    """The mean of the calendar week ending on each day (missing days are not filled in).

    ``None`` where fewer than :data:`ROLLING_MIN_VALUES` of the window's days have a value.

    >>> days = [dt.date(2026, 1, d) for d in range(1, 6)]
    >>> rolling_mean(days, [2, 4, None, 6, 8])
    [None, None, None, None, 5.0]
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
    own. All panels share one time axis, with the dates under the lowest panel only.
    """
    course = _Course(
        days,
        ratings,
        dose_steps,
        phase_starts,
        phases,
        side_effects,
        sorted(events, key=lambda event: event.day),
        scores,
        stand_rises,
    )
    with drawing(_STYLE):
        return svg_document(_figure(course), title, _describe(course))


def _figure(course: _Course) -> Figure:
    panels = ["ratings"]
    panels += ["effects"] if course.side_effects else []
    panels += ["scores"] if course.scores else []
    panels += ["stand"] if course.stand_rises else []
    panels.append("dose")
    heights = {"ratings": 3, "effects": 1.1, "scores": 1.2, "stand": 1.1, "dose": 1}
    key = _event_key_lines(course.events)
    # Inches: room above for change numbers, below for the dates and the key of the changes.
    above, below = 0.35, 0.55 + (0.1 + _KEY_LINE_INCHES * len(key) if key else 0)
    height = above + below + 1.1 + 0.9 * sum(heights[p] for p in panels)
    figure = Figure(figsize=(8.0, height))
    FigureCanvasSVG(figure)
    # Fixed margins (room for side-effect names on the left and the legend on the right) cost a
    # fraction of matplotlib's constrained layout, which measures every label twice.
    figure.subplots_adjust(
        left=0.17, right=0.78, top=1 - above / height, bottom=below / height, hspace=0.3
    )
    if key:
        figure.text(
            0.17,
            (below - 0.45) / height,
            "\n".join(key),
            fontsize=7,
            color=_EVENT_COLOUR,
            va="top",
            linespacing=1.5,
        )
    # Panels are not "shared" axes: those share one tick locator, so every panel would draw the
    # dates again. Each panel gets the same limits instead, and only the lowest one its dates;
    # the others get faint lines at the same dates. Tick objects are most of matplotlib's time.
    axes = figure.subplots(len(panels), 1, height_ratios=[heights[p] for p in panels])
    panel = dict(zip(panels, axes, strict=True))
    top = panel["ratings"]
    x_limits = _time_limits(course)
    _date_axis(axes, x_limits)
    _shade_phases(axes, course.phases, x_limits)
    _plot_ratings(top, course.days, course.ratings)
    if course.side_effects:
        _plot_side_effects(panel["effects"], course.side_effects)
    if course.scores:
        _plot_scores(panel["scores"], course.scores)
    if course.stand_rises:
        _plot_stand_rises(panel["stand"], course.stand_rises)
    _plot_dose(panel["dose"], x_limits, course.dose_steps)
    for start, label in course.phase_starts:
        for ax in axes:
            ax.axvline(start, color="#888888", linewidth=0.8, linestyle=":")
        top.annotate(label, (start, 10.2), fontsize=8, color="#444444", annotation_clip=False)
    _mark_events(axes, course.events, x_limits)
    return figure


def _time_limits(course: _Course) -> tuple[np.datetime64, np.datetime64]:
    """The time axis: from the first to the day after the last thing drawn (a week if empty).

    Phases count by their start only: an open phase runs to the edge, whatever that is.
    """
    dated = [
        *course.days,
        *(day for day, _ in course.dose_steps),
        *(span.start for span in course.phases),
        *(day for day, _, _ in course.side_effects),
        *(event.day for event in course.events),
        *(point.day for point in course.scores),
        *(rise.day for rise in course.stand_rises),
    ]
    first = min(dated, default=None) or dt.date.today()
    last = max(dated, default=first)
    if (last - first).days < 6:
        last = first + dt.timedelta(days=6)
    return np.datetime64(first, "D"), np.datetime64(last + dt.timedelta(days=1), "D")


def concise_dates(axes) -> None:
    """Dates as a reader says them: "Mar", "15", the year where it turns; never turned aslant.

    Every chart of the app writes its dates this way, so they read the same from page to page.
    """
    locator = AutoDateLocator(minticks=3, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    # The year alone beside the axis ("2026", not "2026-Nov": the months are on the ticks).
    offsets = ["", "%Y", "%Y", "%b %Y", "%d %b %Y", "%d %b %Y %H:%M"]
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, offset_formats=offsets))


def _date_axis(axes, limits: tuple[np.datetime64, np.datetime64]) -> None:
    """Dates under the lowest panel, faint lines at the same dates through every panel."""
    lowest = axes[-1]
    concise_dates(lowest)
    for ax in axes:
        ax.set_xlim(*limits)
    marks = lowest.xaxis.get_majorticklocs()
    for ax in axes:
        if ax is not lowest:
            ax.xaxis.set_major_locator(NullLocator())
        # Fixed label places: matplotlib would otherwise measure every panel's tick labels
        # on every draw to line the axis labels up.
        ax.xaxis.set_label_coords(0.5, -0.15)
        ax.yaxis.set_label_coords(-0.07, 0.5)
        ax.vlines(
            marks,
            0,
            1,
            transform=ax.get_xaxis_transform(),
            color="#e4e4e4",
            linewidth=0.6,
            zorder=0.5,
        )


def _shade_phases(
    axes, phases: Sequence[PhaseSpan], limits: tuple[np.datetime64, np.datetime64]
) -> None:
    """Alternate shades per phase, and the phases' names in a band above the ratings.

    Names that would run into the one before them (a two-week titration on a year's chart) go
    to a second row rather than on top of each other.
    """
    if not phases:
        return
    end = date2num(limits[1])
    per_char = _days_per_char(axes[0], limits)
    starts = [date2num(np.datetime64(span.start, "D")) for span in phases]
    anchors = [max(start, date2num(limits[0])) for start in starts]
    rows = _rows(anchors, [(len(span.label) + 2) * per_char for span in phases], count=2)
    for index, span in enumerate(phases):
        stop = date2num(np.datetime64(span.end + dt.timedelta(days=1), "D")) if span.end else end
        for ax in axes:
            ax.axvspan(starts[index], stop, color=_PHASE_SHADES[index % 2], zorder=0, linewidth=0)
        axes[0].annotate(
            span.label,
            (anchors[index], (11.75, 11.0)[rows[index]]),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=8,
            color="#333333",
            va="top",
            annotation_clip=False,
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
    # Above 10 is the band for the phases' names: no rating reaches it.
    axes.set_ylim(-0.3, 11.9)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("Rating (0–10)\nline: 7-day mean")
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
    _panel_title(axes, "Side effects (larger dot: more severe)")


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
    _panel_title(axes, "Questionnaires: % of each scale (higher is worse)")
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
    thresholds = sorted({r.threshold_bpm for r in points if r.threshold_bpm is not None})
    for threshold in thresholds:
        axes.axhline(threshold, color="#7a3e9d", linestyle=":", linewidth=0.9)
    top = max([r.rise_bpm for r in points] + thresholds)
    axes.set_ylim(0, top * 1.3 + 1)
    axes.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    criterion = (
        f"; dotted: POTS criterion {', '.join(f'{t:.0f}' for t in thresholds)} bpm"
        if thresholds
        else ""
    )
    _panel_title(axes, f"Stand test: largest heart-rate rise (bpm){criterion}")


def _plot_dose(
    axes,
    limits: tuple[np.datetime64, np.datetime64],
    steps: Sequence[tuple[dt.date, Decimal]],
) -> None:
    _panel_title(axes, "LDN dose (mg)")
    axes.yaxis.set_major_locator(MaxNLocator(3))
    if not steps:
        axes.set_ylim(0, 1)
        return
    end = max(limits[1], np.datetime64(steps[-1][0], "D"))
    xs = np.append(_as_datetime64([date for date, _ in steps]), end)
    ys = [float(mg) for _, mg in steps] + [float(steps[-1][1])]
    axes.step(xs, ys, where="post", color=_DOSE_COLOUR, linewidth=1.6)
    axes.fill_between(xs, ys, step="post", color=_DOSE_COLOUR, alpha=0.15)
    axes.set_ylim(0, max(ys) * 1.25)


def _panel_title(axes, text: str) -> None:
    """A panel's name above its top left corner: room a turned y-axis label would not have."""
    # Placed, not set_title(): a title measures every tick label to dodge them, on every draw.
    axes.annotate(
        text,
        (0, 1),
        xycoords="axes fraction",
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=8,
        color="#222222",
        va="bottom",
    )


def _as_datetime64(days: Sequence[dt.date]) -> np.ndarray:
    """Dates as one NumPy array: matplotlib converts it at once, not date by date."""
    return np.array(days, dtype="datetime64[D]")


def _event_key_lines(events: Sequence[ChartEvent]) -> list[str]:
    """The key under the chart: each marked change by its number, in date order.

    Lines break between entries, never inside one (unless one alone is longer than a line).

    >>> _event_key_lines([ChartEvent(dt.date(2026, 2, 1), "Ibuprofen started")])
    ['Marked: 1 Ibuprofen started (1 Feb 2026)']
    >>> _event_key_lines([])
    []
    """
    entries = [
        f"{number} {event.label} ({event.day.day} {event.day:%b %Y})"
        for number, event in enumerate(events, start=1)
    ]
    if not entries:
        return []
    lines: list[str] = []
    line = "Marked:"
    for entry in entries:
        joined = f"{line}{';' if line != 'Marked:' else ''} {entry}"
        if len(joined) <= _KEY_WIDTH or line == "Marked:":
            line = joined
        else:
            lines.append(line + ";")
            line = entry
    lines.append(line)
    return [part for line in lines for part in textwrap.wrap(line, width=_KEY_WIDTH)]


def _mark_events(axes, events: Sequence[ChartEvent], limits) -> None:
    """A dashed line through every panel per change, numbered above the top panel."""
    if not events:
        return
    days = _as_datetime64([event.day for event in events])
    for ax in axes:
        # One collection per panel, not one line per change and panel.
        ax.vlines(
            days,
            0,
            1,
            transform=ax.get_xaxis_transform(),
            color=_EVENT_COLOUR,
            linewidth=0.9,
            linestyle="--",
            zorder=1,
        )
    for anchor, text, row in _event_numbers(list(date2num(days)), _days_per_char(axes[0], limits)):
        axes[0].annotate(
            text,
            (anchor, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2 + 8 * row),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=7,
            color=_EVENT_COLOUR,
            fontweight="bold",
            annotation_clip=False,
        )


def _event_numbers(anchors: list[float], per_char: float) -> list[tuple[float, str, int]]:
    """The changes' numbers as ``(anchor, text, row)``, on two rows above the top panel.

    A change too close to the ones before for either row joins the last label as a range
    ("8–10"): every change keeps its own dashed line, and the key names each one.

    >>> _event_numbers([0, 1, 2, 3, 50], per_char=1.0)
    [(0, '1', 0), (1, '2–3', 1), (3, '4', 0), (50, '5', 0)]
    """
    labels: list[list] = []  # [anchor, first number, last number, row]
    ends = [-np.inf, -np.inf]
    for number, anchor in enumerate(anchors, start=1):
        free = [row for row in (0, 1) if ends[row] <= anchor]
        if free:
            labels.append([anchor, number, number, free[0]])
        else:
            labels[-1][2] = number
        label = labels[-1]
        text = str(label[1]) if label[1] == label[2] else f"{label[1]}–{label[2]}"
        ends[label[3]] = label[0] + (len(text) + 1.5) * per_char
    return [
        (anchor, str(first) if first == last else f"{first}–{last}", row)
        for anchor, first, last, row in labels
    ]


def _days_per_char(axes, limits) -> float:
    """About how many days one character of an 8-point label covers on this axis."""
    first, end = (date2num(limit) for limit in limits)
    width_points = axes.get_position().width * axes.figure.get_figwidth() * 72
    return (end - first) / (width_points / _POINTS_PER_CHAR)


def _rows(anchors: Sequence[float], widths: Sequence[float], *, count: int) -> list[int]:
    """Rows for labels that start at ``anchors`` (in order): the first row they fit on.

    A label that fits on none goes to the row that frees up first.

    >>> _rows([0, 5, 30], [10, 10, 10], count=2)
    [0, 1, 0]
    """
    ends = [-np.inf] * count
    rows = []
    for anchor, width in zip(anchors, widths, strict=True):
        free = [row for row in range(count) if ends[row] <= anchor]
        row = free[0] if free else min(range(count), key=lambda r: ends[r])
        ends[row] = anchor + width
        rows.append(row)
    return rows


def _describe(course: _Course) -> str:
    """The chart in words: its ``<desc>``, read out where the picture is not seen."""
    days, ratings, steps = course.days, course.ratings, course.dose_steps
    side_effects, events = course.side_effects, course.events
    scores, stand_rises = course.scores, course.stand_rises
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
