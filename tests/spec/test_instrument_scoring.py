"""Each instrument against worked examples derived by hand from its published scoring rule.

The expected numbers are written out here with their arithmetic; they are never read from the
definition files under test.
"""

from decimal import Decimal

import pytest

from lowdose.instruments import (
    InvalidAnswerError,
    MissingAnswersError,
    load_instrument,
    score_instrument,
)


def score(instrument_id, answers):
    return score_instrument(load_instrument(instrument_id), answers)


# --- COMPASS-31 (Sletten 2012): domain raw sum x weight; weights 4, 5/6, 15/7, 25/28, 10/9, 1/3

COMPASS_ALL_HIGHEST = {
    # orthostatic: yes 1 + almost always 3 + severe 3 + much worse 3 = 10; x 4 = 40
    "q01": 1, "q02": 4, "q03": 3, "q04": 1,
    # vasomotor: yes 1 + hands and feet 2 + much worse 3 = 6; x 5/6 = 5
    "q05": 1, "q06": [1, 2], "q07": 1,
    # secretomotor: much less sweating 2 + dry eyes 1 + dry mouth 1 + much worse 3 = 7; x 15/7 = 15
    "q08": 5, "q09": 1, "q10": 1, "q11": 2,
    # gastrointestinal: 2+2+2+2 + 1+3+3+3 + 1+3+3+3 = 28; x 25/28 = 25
    "q12": 1, "q13": 3, "q14": 3, "q15": 3, "q16": 1, "q17": 4, "q18": 3, "q19": 1,
    "q20": 1, "q21": 4, "q22": 3, "q23": 1,
    # bladder: 3+3+3 = 9; x 10/9 = 10
    "q24": 4, "q25": 4, "q26": 4,
    # pupillomotor: 3+3+3+3+3 = 15; x 1/3 = 5
    "q27": 4, "q28": 3, "q29": 4, "q30": 3, "q31": 2,
}  # fmt: skip

COMPASS_ALL_LOWEST = {
    # every "No"/"Never" answer; the follow-up questions are skipped and score 0
    "q01": 2, "q05": 2, "q08": 3, "q09": 2, "q10": 2, "q11": 1, "q12": 3, "q13": 1,
    "q14": 1, "q15": 1, "q16": 2, "q20": 2, "q24": 1, "q25": 1, "q26": 1, "q27": 1,
    "q29": 1, "q31": 1,
}  # fmt: skip

COMPASS_MIXED = {
    "q01": 1, "q02": 3, "q03": 2, "q04": 3,  # 1 + 2 + 2 + 1 = 6; x 4 = 24
    "q05": 2,  # no colour changes: q06, q07 skipped; 0
    "q08": 4, "q09": 1, "q10": 2, "q11": 4,  # 1 + 1 + 0 + 1 = 3; x 15/7 = 6.428... -> 6.43
    "q12": 2, "q13": 2, "q14": 1, "q15": 2,  # 1 + 1 + 0 + 1
    "q16": 2,  # no diarrhoea: q17-q19 skipped
    "q20": 1, "q21": 3, "q22": 2, "q23": 3,  # 1 + 2 + 2 + 1; GI = 9; x 25/28 = 8.0357 -> 8.04
    "q24": 1, "q25": 2, "q26": 1,  # 0 + 1 + 0 = 1; x 10/9 = 1.11
    "q27": 2, "q28": 1, "q29": 1, "q31": 4,  # 1 + 1 + (q30 skipped) + 1 = 3; x 1/3 = 1
}  # fmt: skip


def test_compass31_all_highest_answers_score_100():
    result = score("compass31", COMPASS_ALL_HIGHEST)
    assert result.domains == {
        "orthostatic_intolerance": Decimal("40.00"),
        "vasomotor": Decimal("5.00"),
        "secretomotor": Decimal("15.00"),
        "gastrointestinal": Decimal("25.00"),
        "bladder": Decimal("10.00"),
        "pupillomotor": Decimal("5.00"),
    }
    assert result.total == Decimal("100.00")
    assert result.skipped == ()


def test_compass31_all_lowest_answers_score_0_and_skip_follow_ups():
    result = score("compass31", COMPASS_ALL_LOWEST)
    assert result.total == Decimal("0.00")
    assert set(result.domains.values()) == {Decimal("0.00")}
    assert result.skipped == (
        "q02", "q03", "q04", "q06", "q07", "q17", "q18", "q19", "q21", "q22", "q23", "q28", "q30",
    )  # fmt: skip
    assert result.missing == ()


def test_compass31_mixed_worked_example():
    result = score("compass31", COMPASS_MIXED)
    assert result.domains == {
        "orthostatic_intolerance": Decimal("24.00"),
        "vasomotor": Decimal("0.00"),
        "secretomotor": Decimal("6.43"),
        "gastrointestinal": Decimal("8.04"),
        "bladder": Decimal("1.11"),
        "pupillomotor": Decimal("1.00"),
    }
    # exact: 24 + 0 + 45/7 + 225/28 + 10/9 + 1 = 40.5754 -> 40.58
    assert result.total == Decimal("40.58")


def test_compass31_skip_logic_q1_no_skips_to_q5_and_q5_no_skips_to_q8():
    answers = dict(COMPASS_MIXED, q01=2, q05=2)
    for skipped in ("q02", "q03", "q04"):
        answers.pop(skipped)
    result = score("compass31", answers)
    assert {"q02", "q03", "q04", "q06", "q07"} <= set(result.skipped)
    assert result.missing == ()
    assert result.domains["orthostatic_intolerance"] == Decimal("0.00")


def test_compass31_answers_to_skipped_items_do_not_score():
    # q01 "No" but q02-q04 filled in anyway: the form says to skip them, so they score 0
    answers = dict(COMPASS_ALL_HIGHEST, q01=2)
    assert score("compass31", answers).domains["orthostatic_intolerance"] == Decimal("0.00")


def test_compass31_tick_all_item_scores_one_point_per_area():
    one_area = dict(COMPASS_ALL_HIGHEST, q06=[2])  # vasomotor 1 + 1 + 3 = 5; x 5/6 = 4.17
    assert score("compass31", one_area).domains["vasomotor"] == Decimal("4.17")


def test_compass31_a_missing_applicable_item_is_an_error_naming_it():
    answers = dict(COMPASS_ALL_HIGHEST)
    del answers["q24"]
    with pytest.raises(MissingAnswersError) as caught:
        score("compass31", answers)
    assert caught.value.items == ("q24",)
    assert "q24" in str(caught.value)


# --- FIQR (Bennett 2009): function sum / 3, overall sum / 1, symptoms sum / 2; total 0-100

FIQR_FUNCTION = [3, 5, 4, 6, 2, 7, 3, 4, 5]  # sum 39 -> 39 / 3 = 13
FIQR_OVERALL = [6, 8]  # sum 14 -> 14
FIQR_SYMPTOMS = [7, 6, 5, 8, 3, 4, 5, 6, 2, 4]  # sum 50 -> 50 / 2 = 25


def fiqr_answers(function=FIQR_FUNCTION, overall=FIQR_OVERALL, symptoms=FIQR_SYMPTOMS):
    answers = {f"f{n}": v for n, v in enumerate(function, start=1)}
    answers |= {f"o{n}": v for n, v in enumerate(overall, start=1)}
    answers |= {f"s{n}": v for n, v in enumerate(symptoms, start=1)}
    return answers


@pytest.mark.parametrize(
    ("function", "overall", "symptoms", "domains", "total"),
    [
        # all lowest: 0 + 0 + 0
        ([0] * 9, [0] * 2, [0] * 10, ("0.00", "0.00", "0.00"), "0.00"),
        # all highest: 90 / 3 + 20 / 1 + 100 / 2 = 30 + 20 + 50
        ([10] * 9, [10] * 2, [10] * 10, ("30.00", "20.00", "50.00"), "100.00"),
        # worked example: 13 + 14 + 25
        (FIQR_FUNCTION, FIQR_OVERALL, FIQR_SYMPTOMS, ("13.00", "14.00", "25.00"), "52.00"),
    ],
)
def test_fiqr_worked_examples(function, overall, symptoms, domains, total):
    result = score("fiqr", fiqr_answers(function, overall, symptoms))
    expected = dict(
        zip(("function", "overall_impact", "symptoms"), map(Decimal, domains), strict=True)
    )
    assert result.domains == expected
    assert result.total == Decimal(total)


def test_fiqr_thirds_round_half_up_at_the_end():
    # function 1+1+1+1+1+1+1+1+2 = 10 -> 3.333; overall 1 -> 1; symptoms 1 -> 0.5
    # total 3.333 + 1 + 0.5 = 4.8333 -> 4.83
    result = score("fiqr", fiqr_answers([1] * 8 + [2], [1, 0], [1] + [0] * 9))
    assert result.domains["function"] == Decimal("3.33")
    assert result.total == Decimal("4.83")


def test_fiqr_one_missing_function_item_is_prorated_by_nine_eighths():
    answers = fiqr_answers()
    answers["f1"] = None  # remaining function sum 39 - 3 = 36; x 9/8 = 40.5; / 3 = 13.5
    result = score("fiqr", answers)
    assert result.domains["function"] == Decimal("13.50")
    assert result.total == Decimal("52.50")  # 13.5 + 14 + 25
    assert result.missing == ("f1",)


def test_fiqr_two_missing_function_items_are_too_many():
    answers = fiqr_answers()
    del answers["f1"], answers["f2"]
    with pytest.raises(MissingAnswersError) as caught:
        score("fiqr", answers)
    assert caught.value.items == ("f1", "f2")


@pytest.mark.parametrize("item", ["o1", "s3"])
def test_fiqr_any_missing_overall_or_symptom_item_is_too_many(item):
    answers = fiqr_answers()
    del answers[item]
    with pytest.raises(MissingAnswersError) as caught:
        score("fiqr", answers)
    assert caught.value.items == (item,)


@pytest.mark.parametrize("value", [11, -1, 5.5, "5", True])
def test_fiqr_answers_outside_0_to_10_are_refused(value):
    with pytest.raises(InvalidAnswerError) as caught:
        score("fiqr", fiqr_answers() | {"s2": value})
    assert caught.value.items == ("s2",)


# --- ACR 2016 (Wolfe 2016): WPI 0-19, SSS 0-12, criteria; total FS = WPI + SSS

ACR_SITES = [
    "jaw_left", "shoulder_left", "upper_arm_left", "lower_arm_left",
    "jaw_right", "shoulder_right", "upper_arm_right", "lower_arm_right",
    "hip_left", "upper_leg_left", "lower_leg_left",
    "hip_right", "upper_leg_right", "lower_leg_right",
    "neck", "upper_back", "lower_back", "chest", "abdomen",
]  # fmt: skip


def acr_answers(sites=(), fatigue=0, unrefreshed=0, cognitive=0, extra=(), three_months=1):
    answers = {site: int(site in sites) for site in ACR_SITES}
    answers |= {"fatigue": fatigue, "unrefreshed": unrefreshed, "cognitive": cognitive}
    answers |= {k: int(k in extra) for k in ("headaches", "lower_abdominal", "depression")}
    return answers | {"three_months": three_months}


# sites with pain in all five regions, WPI 7
SEVEN_SITES = ("shoulder_left", "upper_arm_right", "hip_left", "hip_right", "neck", "lower_back",
               "chest")  # fmt: skip
# six sites across all five regions, for the WPI 4-6 branch
SIX_SITES = ("shoulder_left", "shoulder_right", "hip_left", "hip_right", "neck", "jaw_left")
# seven sites, but jaw, chest and abdomen do not count: only regions 3, 4 and 5 (neck) -> 3
JAW_CHEST_SITES = ("jaw_left", "jaw_right", "chest", "abdomen", "hip_left", "hip_right", "neck")

ALL_EXTRA = ("headaches", "lower_abdominal", "depression")
THREE_SITES = ("shoulder_left", "hip_right", "neck")

ACR_TABLE = [
    # label, answers, WPI, SSS, regions, FS total (WPI + SSS), criteria met
    ("all lowest", acr_answers(three_months=0), 0, 0, 0, 0, False),
    ("all highest", acr_answers(ACR_SITES, 3, 3, 3, ALL_EXTRA), 19, 12, 5, 31, True),
    ("WPI 7, SSS 2+2+1 = 5", acr_answers(SEVEN_SITES, 2, 2, 1), 7, 5, 5, 12, True),
    ("WPI 7, SSS 4: below 5", acr_answers(SEVEN_SITES, 2, 1, 1), 7, 4, 5, 11, False),
    ("WPI 6, SSS 3+3+2+1 = 9", acr_answers(SIX_SITES, 3, 3, 2, ("headaches",)), 6, 9, 5, 15, True),
    ("WPI 6, SSS 8: below 9", acr_answers(SIX_SITES, 3, 3, 2), 6, 8, 5, 14, False),
    (
        "WPI 3 (2010 bound), SSS 12",
        acr_answers(THREE_SITES, 3, 3, 3, ALL_EXTRA),
        3,
        12,
        3,
        15,
        False,
    ),
    ("jaw/chest/abdomen not regions", acr_answers(JAW_CHEST_SITES, 3, 3, 3), 7, 9, 3, 16, False),
    ("under 3 months", acr_answers(SEVEN_SITES, 2, 2, 1, three_months=0), 7, 5, 5, 12, False),
]


@pytest.mark.parametrize(
    ("answers", "wpi", "sss", "regions", "total", "met"),
    [row[1:] for row in ACR_TABLE],
    ids=[row[0] for row in ACR_TABLE],
)
def test_acr2016_table(answers, wpi, sss, regions, total, met):
    result = score("acr2016", answers)
    assert result.domains == {
        "wpi": Decimal(wpi),
        "sss": Decimal(sss),
        "generalized_pain_regions": Decimal(regions),
    }
    assert result.total == Decimal(total)
    assert result.findings == {"acr_2016_criteria_met": met}
    assert result.interpretation.startswith("meets" if met else "does not meet")


# --- Fatigue Severity Scale: nine items 1-7, score = mean (1-7); cut-off 4 commonly used


@pytest.mark.parametrize(
    ("items", "mean", "total_sum", "at_or_above_cutoff"),
    [
        ([1] * 9, "1.00", "9.00", False),  # all lowest: 9 / 9
        ([7] * 9, "7.00", "63.00", True),  # all highest: 63 / 9
        ([4, 5, 3, 6, 4, 5, 2, 3, 4], "4.00", "36.00", True),  # 36 / 9 = 4, on the cut-off
        ([4, 5, 3, 6, 4, 5, 2, 3, 3], "3.89", "35.00", False),  # 35 / 9 = 3.888... -> 3.89
    ],
)
def test_fss_mean_and_cutoff(items, mean, total_sum, at_or_above_cutoff):
    result = score("fss", {f"i{n}": v for n, v in enumerate(items, start=1)})
    assert result.total == Decimal(mean)
    assert result.domains == {"sum": Decimal(total_sum)}
    assert result.interpretation.startswith("at or above" if at_or_above_cutoff else "below")


def test_fss_needs_all_nine_items():
    with pytest.raises(MissingAnswersError) as caught:
        score("fss", {f"i{n}": 4 for n in range(1, 9)})
    assert caught.value.items == ("i9",)


# --- Fatigue VAS 0-100 (NCT05363514) and PGIC


@pytest.mark.parametrize("value", [0, 62, 100])
def test_fatigue_vas_total_is_the_mark(value):
    assert score("fatigue_vas", {"fatigue": value}).total == Decimal(value)


@pytest.mark.parametrize("value", [-1, 101, 62.5])
def test_fatigue_vas_outside_0_to_100_is_refused(value):
    with pytest.raises(InvalidAnswerError):
        score("fatigue_vas", {"fatigue": value})


@pytest.mark.parametrize(
    ("value", "starts"),
    [
        (1, "very much improved (IMMPACT - substantial"),
        (2, "much improved (IMMPACT - moderately important"),
        (3, "minimally improved (IMMPACT - minimally important"),
        (4, "no change"),
        (7, "very much worse"),
    ],
)
def test_pgic_interpretation_follows_immpact(value, starts):
    result = score("pgic", {"change": value})
    assert result.total == Decimal(value)
    assert result.interpretation.startswith(starts)


@pytest.mark.parametrize("value", [0, 8])
def test_pgic_outside_1_to_7_is_refused(value):
    with pytest.raises(InvalidAnswerError):
        score("pgic", {"change": value})


# --- daily 0-10 ratings: no total, each reported on its own


def test_daily_ratings_report_each_rating_and_no_total():
    result = score("daily_ratings", {"pain": 0, "fatigue": 10, "sleep_quality": 6})
    assert result.total is None
    assert result.domains == {"pain": Decimal(0), "fatigue": Decimal(10), "sleep_quality": 6}
    assert result.missing == ("brain_fog", "mood", "orthostatic")


def test_daily_ratings_need_at_least_one():
    with pytest.raises(MissingAnswersError):
        score("daily_ratings", {})
