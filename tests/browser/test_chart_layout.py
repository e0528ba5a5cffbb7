"""The course chart as a browser lays it out: every label inside the picture, none on another.

matplotlib places most labels by hand-set coordinates here (its own measuring is what made the
chart slow), so nothing else would notice a name pushed off the edge or two phases' names drawn
over each other.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.charts import ChartEvent, PhaseSpan, ScorePoint, StandRise, render_ratings_chart
from lowdose.instruments.definition import available_instruments
from lowdose.ratings import RATING_NAMES, SideEffect

pytestmark = pytest.mark.browser

START = dt.date(2025, 11, 1)

# Every text element's box, relative to the picture's own box.
BOXES = """() => {
  const svg = document.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - frame.left, right: r.right - frame.left,
            top: r.top - frame.top, bottom: r.bottom - frame.top,
            width: frame.width, height: frame.height};
  });
}"""


def _day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def _full_year_chart(events: list[ChartEvent]) -> str:
    """A year with every panel: a short baseline and titration, every side effect, scores."""
    days = [_day(i) for i in range(365)]
    effects = list(SideEffect)
    return render_ratings_chart(
        days,
        {name: [(i * (3 + k)) % 11 for i in range(365)] for k, name in enumerate(RATING_NAMES)},
        [(_day(14), Decimal("1.5")), (_day(28), Decimal("3")), (_day(42), Decimal("4.5"))],
        title="A year of everything",
        phases=[
            PhaseSpan(START, _day(13), "Baseline"),
            PhaseSpan(_day(14), _day(41), "Titration"),
            PhaseSpan(_day(42), _day(300), "Maintenance"),
            PhaseSpan(_day(301), None, "Stopped"),
        ],
        side_effects=[(_day(7 * i), effects[i % len(effects)].value, 1 + i % 3) for i in range(50)],
        events=events,
        # every questionnaire by the name the chart gives it
        scores=[
            ScorePoint(_day(28 * i), instrument.short_name, 40.0, 20 + (i * 7) % 60)
            for i in range(13)
            for instrument in available_instruments()
            if instrument.total_range
        ],
        stand_rises=[StandRise(_day(60 * i), 25.0 + i, 30.0) for i in range(6)],
    )


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            # a point of slack: glyph boxes of neighbouring lines may touch
            if (
                a["left"] < b["right"] - 1
                and b["left"] < a["right"] - 1
                and a["top"] < b["bottom"] - 1
                and b["top"] < a["bottom"] - 1
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize(
    "events",
    [
        [],
        [ChartEvent(_day(20), "Ibuprofen started"), ChartEvent(_day(200), "Plan: step back")],
        # changes a few days apart, and more of them than fit on one line of the key
        [ChartEvent(_day(100 + 3 * i), f"Medication {i} started") for i in range(14)],
    ],
    ids=["no changes", "two changes", "a crowd of changes"],
)
def test_every_label_is_inside_the_picture_and_clear_of_the_others(browser, events):
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.set_content(f"<html><body style='margin:0'>{_full_year_chart(events)}</body></html>")
        boxes = page.evaluate(BOXES)
    finally:
        page.close()
    assert len(boxes) > 40
    outside = [
        b["text"]
        for b in boxes
        if b["left"] < 0 or b["top"] < 0 or b["right"] > b["width"] or b["bottom"] > b["height"]
    ]
    assert not outside, f"cut off at the picture's edge: {outside}"
    assert not _overlapping(boxes), f"drawn over each other: {_overlapping(boxes)}"
