"""The ratings chart is self-describing SVG."""

import datetime as dt
import doctest
from decimal import Decimal

import lowdose.charts
from lowdose.charts import ChartEvent, PhaseSpan, render_ratings_chart


def test_docstring_examples():
    result = doctest.testmod(lowdose.charts)
    assert result.attempted >= 2
    assert result.failed == 0


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
    # the change is numbered above the chart and named, with its date, in the key under it
    assert ">1<" in svg
    assert ">Marked: 1 Propranolol started (7 Jan 2026)<" in svg
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
    assert ">Stand test: largest heart-rate rise (bpm); dotted: POTS criterion 30 bpm<" in svg
    assert "Questionnaires: COMPASS-31 41.5 on 2026-01-02; COMPASS-31 30 on 2026-01-29." in svg
    assert "Stand tests, largest heart-rate rise: 38 bpm on 2026-01-03." in svg


def test_labels_that_would_collide_go_to_another_row():
    from lowdose.charts import _rows

    # Baseline (2 weeks) then titration (4 weeks) then maintenance, on a year's axis where a
    # label is about 40 days wide: each label starts before the previous one ends.
    assert _rows([0, 14, 42], [40, 45, 55], count=2) == [0, 1, 0]
    # With no room on any row, the label takes the row that frees first.
    assert _rows([0, 1, 2], [50, 60, 10], count=2) == [0, 1, 0]
    assert _rows([0, 100, 200], [40, 40, 40], count=2) == [0, 0, 0]


def _year_chart(**extra) -> str:
    start = dt.date(2025, 11, 1)
    days = [start + dt.timedelta(days=i) for i in range(365)]
    return render_ratings_chart(
        days,
        {"pain": [(i * 7) % 11 for i in range(365)]},
        [(dt.date(2025, 11, 15), Decimal("1.5")), (dt.date(2025, 11, 29), Decimal("3"))],
        title="A year",
        phases=[
            PhaseSpan(start, dt.date(2025, 11, 14), "Baseline"),
            PhaseSpan(dt.date(2025, 11, 15), dt.date(2025, 12, 12), "Titration"),
            PhaseSpan(dt.date(2025, 12, 13), None, "Maintenance"),
        ],
        **extra,
    )


def _label_rows(svg: str, *labels: str) -> dict[str, float]:
    import re

    return {
        label: float(re.search(rf'y="([0-9.]+)"[^>]*>{label}<', svg).group(1)) for label in labels
    }


def test_short_phases_on_a_long_course_get_labels_that_do_not_overlap():
    rows = _label_rows(_year_chart(), "Baseline", "Titration", "Maintenance")
    assert rows["Titration"] != rows["Baseline"]
    assert rows["Maintenance"] != rows["Titration"]


def test_dates_are_written_once_under_the_lowest_panel():
    svg = _year_chart(side_effects=[(dt.date(2026, 3, 3), "nausea", 2)])
    # Concise dates: the month alone, the year where it turns
    assert svg.count(">Mar<") == 1
    assert svg.count(">2026<") == 1


def test_many_changes_are_numbered_in_date_order_and_keyed_under_the_chart():
    events = [ChartEvent(dt.date(2026, 5, 1), f"Medication {i} started") for i in range(12, 0, -1)]
    svg = _year_chart(events=events)
    # twelve changes on one day: too many numbers for the space, so one label names the rest
    assert ">1<" in svg
    assert ">2–12<" in svg
    assert "Marked: 1 Medication 12 started (1 May 2026); 2 Medication 11 started" in svg
    # the key wraps instead of running off the page
    assert "Medication 1 started (1 May 2026)<" in svg
    import re

    key_lines = re.findall(r">(Marked: [^<]*|[^<]*Medication [^<]*)</text>", svg)
    assert len(key_lines) >= 2
    assert all(len(line) <= 100 for line in key_lines)


def test_a_chart_without_changes_has_no_key():
    assert "Marked:" not in _year_chart().split("</desc>")[1]


def test_charts_drawn_at_once_by_several_threads_each_get_their_own_settings():
    # matplotlib's settings are global; a chart drawn while another one's settings were being
    # restored would come out with glyph outlines instead of text, or without its grid.
    from concurrent.futures import ThreadPoolExecutor

    from lowdose.standtest_chart import render_stand_test_chart

    def course_chart(_):
        return _year_chart()

    def stand_chart(_):
        return render_stand_test_chart(
            [dt.date(2026, 1, 5), dt.date(2026, 3, 5)],
            [Decimal("34"), Decimal("28")],
            [True, True],
            threshold_bpm=30,
            title="t",
        )

    alone = {course_chart: course_chart(0), stand_chart: stand_chart(0)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = [(kind, pool.submit(kind, i)) for i in range(5) for kind in alone]
        assert all(future.result() == alone[kind] for kind, future in drawn)
    assert ">Maintenance<" in alone[course_chart]


def test_every_chart_writes_its_dates_the_same_short_way():
    import re

    from lowdose.standtest_chart import render_stand_test_chart

    stand = render_stand_test_chart(
        [dt.date(2026, 1, 5), dt.date(2026, 3, 5)],
        [Decimal("34"), Decimal("28")],
        [True, True],
        threshold_bpm=30,
        title="t",
    )
    for svg in (stand, _year_chart()):
        drawn = svg.split("</desc>")[1]
        assert not re.search(r">\d{4}-[^<]*<", drawn)  # no "2026-01-05", no "2026-Nov"
        assert ">Mar<" in drawn
        assert ">2026<" in drawn
