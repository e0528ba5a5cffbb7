"""The definition loader, the engine's checks, answer coercion and the questionnaire schedule."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowdose.errors import LowdoseError
from lowdose.instruments import (
    DefinitionError,
    DueState,
    InvalidAnswerError,
    ItemKind,
    MissingAnswersError,
    QuestionnaireSchedule,
    ScheduleError,
    UnknownInstrumentError,
    available_instruments,
    coerce_answer,
    describe_items,
    due_timepoints,
    load_instrument,
    parse_instrument,
    schedule_status,
    score_instrument,
    unanswered,
)
from lowdose.ratings import RATING_NAMES

SHIPPED = {"acr2016", "compass31", "daily_ratings", "fatigue_vas", "fiqr", "fss", "pgic"}


def test_the_seven_instruments_are_shipped():
    assert {i.id for i in available_instruments()} == SHIPPED


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED))
def test_every_definition_records_citation_licence_and_checks(instrument_id):
    instrument = load_instrument(instrument_id)
    assert instrument.citation
    assert instrument.licence
    assert instrument.verification
    assert instrument.missing_rule


def test_item_counts_match_the_published_instruments():
    counts = {i.id: len(i.items) for i in available_instruments()}
    # COMPASS-31: 31; FIQR: 21; ACR 2016: 19 sites + 6 SSS + duration; FSS: 9
    assert counts == {
        "compass31": 31,
        "fiqr": 21,
        "acr2016": 26,
        "fss": 9,
        "fatigue_vas": 1,
        "pgic": 1,
        "daily_ratings": 6,
    }


def test_daily_ratings_items_are_the_check_in_ratings():
    assert load_instrument("daily_ratings").item_ids == RATING_NAMES


def test_only_confirmed_loinc_codes_are_recorded():
    codes = {i.id: dict(i.loinc) for i in available_instruments()}
    assert codes["daily_ratings"] == {"pain": "72514-3"}
    assert all(not v for k, v in codes.items() if k != "daily_ratings")


@pytest.mark.parametrize("name", ["COMPASS-31", "compass31", " FIQR "])
def test_instrument_ids_are_forgiving_about_case_and_hyphens(name):
    assert load_instrument(name).id in SHIPPED


def test_unknown_instrument_is_a_user_error_listing_the_known_ones():
    with pytest.raises(UnknownInstrumentError) as caught:
        load_instrument("phq9")
    assert isinstance(caught.value, LowdoseError)
    assert caught.value.field == "instrument"
    assert "compass31" in str(caught.value)


def test_unknown_item_ids_and_bad_values_are_named_together():
    with pytest.raises(InvalidAnswerError) as caught:
        score_instrument(load_instrument("pgic"), {"change": 9, "chnage": 2})
    assert set(caught.value.items) == {"change", "chnage"}
    assert caught.value.field == "answers"
    assert "1, 2, 3, 4, 5, 6, 7" in str(caught.value)


def test_a_single_bad_item_is_the_error_field():
    with pytest.raises(InvalidAnswerError) as caught:
        score_instrument(load_instrument("pgic"), {"change": 0})
    assert caught.value.field == "change"


@pytest.mark.parametrize("value", [True, "1", 1.0, [1], None])
def test_booleans_strings_floats_and_lists_are_not_single_choice_answers(value):
    instrument = load_instrument("compass31")
    answers = {"q09": value}
    if value is None:
        with pytest.raises(MissingAnswersError):
            score_instrument(instrument, answers)
    else:
        with pytest.raises(InvalidAnswerError) as caught:
            score_instrument(instrument, answers)
        assert caught.value.items == ("q09",)


@pytest.mark.parametrize("value", [[1, 1], [3], 1, ["1"]])
def test_tick_all_items_need_a_list_of_distinct_options(value):
    with pytest.raises(InvalidAnswerError) as caught:
        score_instrument(load_instrument("compass31"), {"q05": 1, "q06": value})
    assert caught.value.items == ("q06",)


def test_missing_error_names_every_missing_item():
    with pytest.raises(MissingAnswersError) as caught:
        score_instrument(load_instrument("compass31"), {"q01": 2})
    assert "q02" not in caught.value.items  # skipped, not missing
    assert caught.value.items[:2] == ("q05", "q06")
    assert len(caught.value.items) == 27  # 31 items - q01 answered - q02..q04 skipped


def test_unanswered_lists_what_is_left_to_fill_in():
    instrument = load_instrument("compass31")
    assert list(unanswered(instrument, {"q01": 2, "q05": 1}))[:3] == ["q06", "q07", "q08"]


def test_coerce_answer_reads_form_text():
    compass = load_instrument("compass31")
    assert coerce_answer(compass.item("q01"), " 2 ") == 2
    assert coerce_answer(compass.item("q01"), "") is None
    assert coerce_answer(compass.item("q01"), None) is None
    assert coerce_answer(compass.item("q01"), "yes") == "yes"  # left for the engine to refuse
    assert coerce_answer(compass.item("q06"), ["1", "", "2"]) == [1, 2]
    assert coerce_answer(compass.item("q06"), "2") == [2]


def test_describe_items_lists_values_and_points():
    items = describe_items(load_instrument("compass31"))
    assert items[0]["id"] == "q01"
    assert items[0]["options"] == [{"value": 1, "points": 1}, {"value": 2, "points": 0}]
    assert items[5]["kind"] == ItemKind.MULTI.value


# --- parse_instrument with small synthetic definitions ------------------------------------------


def tiny(**overrides):
    raw = {
        "id": "tiny",
        "name": "Tiny",
        "short_name": "Tiny",
        "definition_version": "1",
        "citation": "none",
        "licence": "none",
        "missing_rule": "none missing",
        "scoring": {"method": "weighted_domain_sum", "decimals": 1},
        "domains": [{"id": "d", "items": ["a", "b"], "weight": "1/3"}],
        "items": [
            {"id": "a", "label": "A", "kind": "scale", "min": 0, "max": 2},
            {"id": "b", "label": "B", "kind": "scale", "min": 0, "max": 2},
        ],
    }
    return raw | overrides


def test_weights_are_exact_fractions_rounded_once_half_up():
    instrument = parse_instrument(tiny())
    # (2 + 2) x 1/3 = 1.333 -> 1.3; (1 + 0) x 1/3 = 0.333 -> 0.3
    assert score_instrument(instrument, {"a": 2, "b": 2}).total == Decimal("1.3")
    assert score_instrument(instrument, {"a": 1, "b": 0}).total == Decimal("0.3")


def test_rounding_is_half_up():
    raw = tiny(domains=[{"id": "d", "items": ["a", "b"], "weight": "1/4"}])
    # (1 + 1) / 4 = 0.5 -> at 0 decimals rounds up to 1
    raw["scoring"] = {"method": "weighted_domain_sum", "decimals": 0}
    assert score_instrument(parse_instrument(raw), {"a": 1, "b": 1}).total == Decimal("1")


def test_a_definition_naming_an_unknown_item_is_a_bug():
    with pytest.raises(DefinitionError):
        parse_instrument(tiny(domains=[{"id": "d", "items": ["a", "zz"]}]))


def test_a_definition_with_repeated_option_values_is_a_bug():
    items = [{"id": "a", "label": "A", "options": [{"value": 1, "label": "x", "points": 0}] * 2}]
    with pytest.raises(DefinitionError):
        parse_instrument(tiny(items=items, domains=[]))


@pytest.mark.parametrize("short", ["", "   ", "A name too long for a legend"])
def test_a_short_name_must_fit_a_legend(short):
    with pytest.raises(DefinitionError, match="short_name"):
        parse_instrument(tiny(short_name=short))


def test_every_shipped_instrument_has_a_short_name_that_fits():
    from lowdose.instruments.definition import available_instruments

    for instrument in available_instruments():
        assert 0 < len(instrument.short_name) <= 12, instrument.id


def test_a_definition_missing_a_required_key_is_a_bug():
    raw = tiny()
    del raw["citation"]
    with pytest.raises(DefinitionError):
        parse_instrument(raw)


# --- schedule -----------------------------------------------------------------------------------

START = dt.date(2026, 1, 5)


def test_default_timepoints_are_baseline_4_8_12_then_every_12_weeks():
    points = due_timepoints(START, START + dt.timedelta(weeks=60))
    assert [p.week for p in points] == [0, 4, 8, 12, 24, 36, 48, 60]
    assert points[1].due == dt.date(2026, 2, 2)
    assert points[0].opens is None
    assert points[1].opens == dt.date(2026, 1, 30)  # 3 days early


def test_schedule_is_editable_per_course():
    plan = QuestionnaireSchedule(weeks=(0, 2, 6), repeat_every_weeks=None)
    assert [p.week for p in due_timepoints(START, START + dt.timedelta(weeks=100), plan)] == [
        0,
        2,
        6,
    ]
    plan = QuestionnaireSchedule(weeks=(0,), repeat_every_weeks=8)
    points = due_timepoints(START, START + dt.timedelta(weeks=20), plan)
    assert [p.week for p in points] == [0, 8, 16]


@pytest.mark.parametrize(
    "kwargs",
    [{"weeks": ()}, {"weeks": (4, 0)}, {"weeks": (0, 0)}, {"weeks": (-1, 4)},
     {"repeat_every_weeks": 0}, {"overdue_after_days": -1}],
)  # fmt: skip
def test_bad_schedules_are_refused(kwargs):
    with pytest.raises(ScheduleError):
        QuestionnaireSchedule(**kwargs)


def states(today, completed=()):
    return [(s.week, s.state) for s in schedule_status(START, today, completed)]


def test_on_the_start_day_baseline_is_due_and_week_4_upcoming():
    assert states(START) == [(0, DueState.DUE), (4, DueState.UPCOMING)]


def test_baseline_filled_before_the_start_counts():
    assert states(START, [START - dt.timedelta(days=2)])[0] == (0, DueState.DONE)


def test_week_4_opens_three_days_early_and_is_overdue_after_seven_days():
    due = START + dt.timedelta(weeks=4)
    done = [START]
    assert states(due - dt.timedelta(days=4), done)[1] == (4, DueState.UPCOMING)
    assert states(due - dt.timedelta(days=3), done)[1] == (4, DueState.DUE)
    assert states(due + dt.timedelta(days=7), done)[1] == (4, DueState.DUE)
    assert states(due + dt.timedelta(days=8), done)[1] == (4, DueState.OVERDUE)


def test_a_timepoint_is_missed_once_the_next_one_opens():
    week8_opens = START + dt.timedelta(weeks=8, days=-3)
    assert states(week8_opens, [START])[1] == (4, DueState.MISSED)
    assert states(week8_opens, [START])[2] == (8, DueState.DUE)


def test_a_late_answer_fills_the_timepoint_it_was_late_for():
    late = START + dt.timedelta(weeks=4, days=10)
    result = schedule_status(START, late, [START, late])
    assert result[1].state is DueState.DONE
    assert result[1].completed_on == late


def test_a_second_answer_in_the_same_window_does_not_fill_the_next_timepoint():
    twice = [START, START + dt.timedelta(weeks=4), START + dt.timedelta(weeks=4, days=1)]
    today = START + dt.timedelta(weeks=8)
    assert states(today, twice)[2] == (8, DueState.DUE)


def test_before_the_course_starts_only_baseline_and_the_next_are_shown():
    assert states(START - dt.timedelta(days=10)) == [(0, DueState.DUE), (4, DueState.UPCOMING)]


# --- invariants ---------------------------------------------------------------------------------


@st.composite
def any_valid_answers(draw, instrument_id):
    """Any complete, valid set of answers to a shipped instrument (skip rules ignored)."""
    instrument = load_instrument(instrument_id)
    answers = {}
    for item in instrument.items:
        values = list(item.values)
        if item.kind is ItemKind.MULTI:
            answers[item.id] = draw(st.lists(st.sampled_from(values), unique=True))
        else:
            answers[item.id] = draw(st.sampled_from(values))
    return answers


@settings(max_examples=60)
@given(answers=any_valid_answers("compass31"))
def test_compass31_total_stays_in_0_to_100_and_adds_up(answers):
    result = score_instrument(load_instrument("compass31"), answers)
    assert Decimal(0) <= result.total <= Decimal(100)
    # the total is rounded once, so it may differ from the sum of rounded domains by rounding only
    assert abs(sum(result.domains.values()) - result.total) <= Decimal("0.03")


@settings(max_examples=60)
@given(answers=any_valid_answers("fiqr"), dropped=st.sampled_from([f"f{n}" for n in range(1, 10)]))
def test_fiqr_prorating_one_function_item_matches_nine_eighths(answers, dropped):
    instrument = load_instrument("fiqr")
    kept = {k: v for k, v in answers.items() if k != dropped}
    function_sum = sum(v for k, v in kept.items() if k.startswith("f"))
    expected = Decimal(function_sum * 9) / Decimal(8 * 3)  # x 9/8, then / 3
    result = score_instrument(instrument, kept)
    assert result.domains["function"] == expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(0) <= result.total <= Decimal(100)
