"""Doses are exact decimal milligrams; anything that needs a guess is refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowdose.dose import Dose, DoseError, check_low_dose, format_mg, parse_dose


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("1.5", "1.5"),
        ("1.5 mg", "1.5"),
        ("1.5mg", "1.5"),
        ("1.5 MG", "1.5"),
        ("1500 mcg", "1.5"),
        ("1500 µg", "1.5"),
        ("500 ug", "0.5"),
        (".5 mg", "0.5"),
        ("4.5 milligrams", "4.5"),
        ("0.001 mg", "0.001"),
    ],
)
def test_readable_doses(text, mg):
    assert parse_dose(text).mg == Decimal(mg)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter a dose"),
        ("-1 mg", "negative"),
        ("1,5 mg", "comma"),
        ("1.5 g", "not a unit"),
        ("1e3 mcg", "not a dose"),
        ("1.5 mg 3 mg", "not a dose"),
        ("one mg", "not a dose"),
        ("0.0005 mg", "finer than one microgram"),
        ("0.5 mcg", "finer than one microgram"),
    ],
)
def test_unreadable_doses_are_refused_with_the_reason(text, words):
    with pytest.raises(DoseError, match=words):
        parse_dose(text)


def test_a_bare_number_needs_a_unit_where_one_is_required():
    with pytest.raises(DoseError, match="no unit"):
        parse_dose("1.5", default_unit=None)
    assert parse_dose("1.5 mg", default_unit=None).mg == Decimal("1.5")


def test_a_standard_naltrexone_tablet_is_not_a_low_dose():
    with pytest.raises(DoseError, match="not a low dose"):
        check_low_dose(parse_dose("50 mg"))
    check_low_dose(parse_dose("4.5 mg"))


def test_doses_add_exactly():
    assert (Dose(Decimal("0.1")) + Dose(Decimal("0.2"))).mg == Decimal("0.3")
    assert str(Dose(Decimal("4.500"))) == "4.5 mg"


def test_a_dose_is_not_a_float():
    with pytest.raises(TypeError):
        Dose(1.5)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=49_999))
def test_micrograms_and_milligrams_agree(micrograms):
    mg = Decimal(micrograms) / 1000
    assert parse_dose(f"{micrograms} mcg") == parse_dose(f"{format_mg(mg)} mg")


def test_formatting_drops_trailing_zeros_but_not_places():
    assert format_mg(Decimal("4.500")) == "4.5"
    assert format_mg(Decimal("10")) == "10"
    assert format_mg(Decimal("0.000")) == "0"
