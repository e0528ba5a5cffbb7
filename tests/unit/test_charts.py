"""The ratings chart is self-describing SVG."""

import datetime as dt
from decimal import Decimal

from lowdose.charts import render_ratings_chart


def test_the_chart_says_in_words_what_it_shows():
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(3)]
    svg = render_ratings_chart(
        days,
        {"pain": [5, None, 3], "mood": [None, None, None]},
        [(dt.date(2026, 1, 2), Decimal("1.5"))],
        title="Anna's ratings <test>",
        phase_starts=[(dt.date(2026, 1, 2), "LDN start")],
    )
    assert svg.startswith('<svg role="img"')
    assert "<title>Anna's ratings &lt;test&gt;</title>" in svg
    assert "Latest entry 2026-01-03: pain 3." in svg
    assert "LDN dose: 1.5 mg from 2026-01-02." in svg
    assert "Mood" not in svg.split("</desc>")[1]  # a rating never entered gets no legend


def test_an_empty_chart_still_renders():
    svg = render_ratings_chart([], {}, [], title="Nothing yet")
    assert "No check-ins yet." in svg


def test_labels_are_text_a_screen_reader_can_find():
    days = [dt.date(2026, 1, 1)]
    svg = render_ratings_chart(days, {"pain": [5]}, [], title="t")
    assert ">Pain<" in svg
    assert ">Rating (0–10)<" in svg


def test_the_rolling_mean_needs_four_of_seven_days():
    from lowdose.charts import rolling_mean

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in (0, 1, 2, 3, 9, 10)]
    # on 4 Jan: 1-4 Jan → (2+4+6+8)/4 = 5; on 10 Jan the window 4-10 Jan holds 8 and 1 only
    assert rolling_mean(days, [2, 4, 6, 8, 1, 3]) == [None, None, None, 5.0, None, None]


def test_side_effects_phases_and_events_are_drawn_and_described():
    from lowdose.charts import ChartEvent, PhaseSpan

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    svg = render_ratings_chart(
        days,
        {"pain": [5] * 10},
        [(dt.date(2026, 1, 5), Decimal("1"))],
        title="t",
        phases=[
            PhaseSpan(dt.date(2026, 1, 1), dt.date(2026, 1, 4), "Baseline"),
            PhaseSpan(dt.date(2026, 1, 5), None, "Titration"),
        ],
        side_effects=[(dt.date(2026, 1, 6), "vivid_dreams", 2)],
        events=[ChartEvent(dt.date(2026, 1, 7), "Propranolol started")],
    )
    assert ">Vivid dreams<" in svg
    assert ">Baseline<" in svg
    assert ">Titration<" in svg
    assert ">Propranolol started<" in svg
    assert "1 side-effect reports." in svg
    assert "Marked: Propranolol started on 2026-01-07." in svg


def test_questionnaire_and_stand_test_panels_share_the_time_axis():
    from lowdose.charts import ScorePoint, StandRise

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(30)]
    svg = render_ratings_chart(
        days,
        {"fatigue": [6] * 30},
        [],
        title="t",
        scores=[
            ScorePoint(dt.date(2026, 1, 2), "COMPASS-31", 41.5, 41.5),
            ScorePoint(dt.date(2026, 1, 29), "COMPASS-31", 30.0, 30.0),
        ],
        stand_rises=[StandRise(dt.date(2026, 1, 3), 38.0, 30.0)],
    )
    assert ">COMPASS-31<" in svg
    assert ">POTS criterion 30 bpm<" in svg
    assert "Questionnaires: COMPASS-31 41.5 on 2026-01-02; COMPASS-31 30 on 2026-01-29." in svg
    assert "Stand tests, largest heart-rate rise: 38 bpm on 2026-01-03." in svg
