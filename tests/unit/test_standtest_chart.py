"""The stand-test chart: an SVG with a title and the numbers in words."""

import datetime as dt
from decimal import Decimal

from lowdose.standtest_chart import render_stand_test_chart

DAYS = [dt.date(2026, 1, 5), dt.date(2026, 3, 2), dt.date(2026, 4, 27)]


def test_the_chart_says_its_numbers_in_words():
    svg = render_stand_test_chart(
        DAYS,
        [Decimal("41.0"), None, Decimal("22.5")],
        [True, False, True],
        threshold_bpm=30,
        title="Largest rise of Anna",
    )
    assert svg.startswith('<svg role="img" ')
    assert "<title>Largest rise of Anna</title>" in svg
    assert "2026-01-05: 41 bpm; 2026-03-02: not computed; 2026-04-27: 22.5 bpm." in svg
    assert "heart-rate criterion (30 bpm)" in svg


def test_an_empty_chart_has_a_text_alternative_too():
    svg = render_stand_test_chart([], [], [], threshold_bpm=None, title="No tests")
    assert "<desc>No stand tests yet.</desc>" in svg
