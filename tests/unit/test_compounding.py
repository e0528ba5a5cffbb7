"""Compounding: liquid arithmetic and syringe rounding, supplies for a plan, capsules, batches."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lowdose.compounding import (
    CompoundingError,
    Preparation,
    beyond_use,
    beyond_use_date,
    choose_syringe,
    liquid_for_steps,
    measure_dose,
    plan_capsules,
    plan_liquid,
    syringes,
)
from lowdose.dispensing import batch_for_day, dose_from_batch, make_dispensing
from lowdose.dose import Dose, DoseError
from lowdose.dosing import DoseForm, Step, make_plan_spec, plan_titration
from lowdose.errors import LowdoseError

D = dt.date


def mg(text):
    return Dose(Decimal(text))


def test_the_classic_one_mg_per_ml_liquid_from_a_50_mg_tablet():
    sheet = plan_liquid(mg("4.5"), volume_ml=50, tablet_mg=50, tablet_count=1)
    assert sheet.concentration_mg_per_ml == Decimal(1)
    assert sheet.volume_per_dose_ml == Decimal("4.5")
    # 4.5 mL needs the 5 mL syringe, marked every 0.2 mL: half a mark rounds up to 4.6 mL.
    assert sheet.syringe.capacity_ml == 5
    assert sheet.graduation_ml == Decimal("0.2")
    assert sheet.measured_volume_ml == Decimal("4.6")
    assert sheet.delivered_dose_mg == Decimal("4.6")
    assert sheet.rounding_error_pct == Decimal("2.22")
    assert sheet.beyond_use_days == 14
    assert sheet.storage.startswith("Refrigerator")
    assert sheet.doses_per_bottle == 10
    assert sheet.ingredient == "1 x 50 mg naltrexone tablets"


def test_a_fine_syringe_gives_the_dose_exactly():
    sheet = plan_liquid(
        mg("0.75"), volume_ml=100, tablet_mg=50, tablet_count=2, graduation_ml=Decimal("0.01")
    )
    assert sheet.measured_volume_ml == Decimal("0.75")
    assert sheet.rounding_error_pct == 0
    assert sheet.syringe is None


def test_an_automatic_syringe_for_a_small_volume_is_the_finest_1_ml():
    sheet = plan_liquid(mg("0.5"), volume_ml=100, tablet_mg=50, tablet_count=2)
    assert sheet.syringe.capacity_ml == 1
    assert sheet.graduation_ml == Decimal("0.01")


def test_from_powder_with_rounding_and_preserved():
    sheet = plan_liquid(
        mg("4.5"), volume_ml=30, powder_mg=100, graduation_ml=Decimal("0.1"), preserved=True
    )
    assert sheet.concentration_mg_per_ml == Decimal("3.3333")
    assert sheet.volume_per_dose_ml == Decimal("1.35")
    assert sheet.measured_volume_ml == Decimal("1.4")
    assert sheet.delivered_dose_mg == Decimal("4.667")
    assert sheet.rounding_error_pct == Decimal("3.70")
    assert sheet.beyond_use_days == 35
    assert sheet.preparation is Preparation.AQUEOUS_PRESERVED


def test_as_dict_has_the_documented_keys():
    data = plan_liquid(mg("1.5"), volume_ml=50, tablet_mg=50, tablet_count=1).as_dict()
    assert set(data) >= {
        "concentration_mg_per_ml",
        "volume_per_dose_ml",
        "delivered_dose_mg",
        "rounding_error_pct",
        "beyond_use_days",
        "storage",
        "source",
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"volume_ml": 0, "tablet_mg": 50, "tablet_count": 1}, "volume_ml"),
        ({"volume_ml": -5, "tablet_mg": 50, "tablet_count": 1}, "volume_ml"),
        ({"volume_ml": 50, "tablet_count": 1}, "tablet_mg"),
        ({"volume_ml": 50, "tablet_mg": 50}, "tablet_count"),
        ({"volume_ml": 50, "tablet_mg": 0, "tablet_count": 1}, "tablet_mg"),
        ({"volume_ml": 50, "tablet_mg": 50, "tablet_count": Decimal("1.5")}, "tablet_count"),
        ({"volume_ml": 50}, "source"),
        ({"volume_ml": 50, "powder_mg": 0}, "powder_mg"),
        ({"volume_ml": 50, "powder_mg": 50, "tablet_mg": 50, "tablet_count": 1}, "powder_mg"),
        ({"volume_ml": 50, "tablet_mg": 50, "tablet_count": 1, "graduation_ml": Decimal(2)},
         "graduation_ml"),
        ({"volume_ml": 50, "tablet_mg": 50, "tablet_count": 1, "graduation_ml": Decimal(0)},
         "graduation_ml"),
        ({"volume_ml": 5000, "tablet_mg": 50, "tablet_count": 1}, "volume_ml"),
    ],
)  # fmt: skip
def test_bad_liquid_requests_name_the_field(kwargs, field):
    with pytest.raises(CompoundingError) as info:
        plan_liquid(mg("1.5"), **kwargs)
    assert info.value.field == field


def test_bad_doses_are_refused():
    with pytest.raises(CompoundingError) as info:
        plan_liquid(mg("0"), volume_ml=50, tablet_mg=50, tablet_count=1)
    assert info.value.field == "dose"
    with pytest.raises(DoseError):
        plan_liquid(mg("50"), volume_ml=50, tablet_mg=50, tablet_count=2)
    with pytest.raises(CompoundingError):
        plan_liquid(mg("4.5"), volume_ml=50, powder_mg=1)


def test_too_strong_a_liquid_warns_about_solubility():
    sheet = plan_liquid(mg("4.5"), volume_ml=1, tablet_mg=50, tablet_count=3,
                        graduation_ml=Decimal("0.01"))  # fmt: skip
    assert any("solubility" in w for w in sheet.warnings)


def test_beyond_use_table_and_component_rule():
    assert beyond_use(Preparation.AQUEOUS_NON_PRESERVED).days == 14
    assert beyond_use(Preparation.AQUEOUS_PRESERVED).days == 35
    assert beyond_use(Preparation.NON_AQUEOUS_LIQUID).days == 90
    assert beyond_use(Preparation.SOLID).days == 180
    assert "PARTIAL" in beyond_use(Preparation.SOLID).status
    assert beyond_use_date(D(2026, 1, 1), Preparation.SOLID) == D(2026, 6, 30)
    assert beyond_use_date(
        D(2026, 1, 1), Preparation.SOLID, earliest_component_expiry=D(2026, 3, 1)
    ) == D(2026, 3, 1)
    with pytest.raises(CompoundingError):
        beyond_use_date(D(2026, 1, 1), Preparation.SOLID, earliest_component_expiry=D(2025, 1, 1))


def test_syringes():
    assert [(s.capacity_ml, s.graduation_ml) for s in syringes()][:2] == [
        (Decimal(1), Decimal("0.01")),
        (Decimal(1), Decimal("0.1")),
    ]
    assert choose_syringe(Decimal("2.5")).capacity_ml == 3
    assert choose_syringe(Decimal(11)) is None


def plan_steps():
    spec = make_plan_spec(start="1.5", step="1.5", every=14, target="4.5", start_date="2026-01-05")
    return plan_titration(spec).steps


def test_liquid_for_a_plan():
    supply = liquid_for_steps(
        plan_steps(), total_mg=Decimal(50), volume_ml=Decimal(50), graduation_ml=Decimal("0.1")
    )
    assert [line.total_ml for line in supply.steps] == [Decimal(21), Decimal(42), Decimal(63)]
    assert supply.total_ml == Decimal(126)
    assert supply.days == 42
    assert supply.warnings  # 42 days outlast a 14-day liquid


def test_liquid_for_a_plan_refuses_a_graduation_too_coarse_for_a_step():
    with pytest.raises(CompoundingError) as info:
        liquid_for_steps(
            plan_steps(), total_mg=Decimal(100), volume_ml=Decimal(10), graduation_ml=Decimal(1)
        )
    assert info.value.field == "graduation_ml"


def test_capsules_one_a_day_at_each_step_strength():
    sheet = plan_capsules(plan_steps())
    assert [(line.strength.text, line.per_day, line.capsules) for line in sheet.lines] == [
        ("1.5", 1, 14),
        ("3", 1, 14),
        ("4.5", 1, 14),
    ]
    assert sheet.beyond_use_days == 180
    assert sheet.warnings == ()
    data = sheet.as_dict()
    assert data["totals"][0] == {"capsule_mg": Decimal("1.5"), "capsules": 14}


def test_capsules_from_stock_strengths_use_the_fewest():
    sheet = plan_capsules(plan_steps(), strengths=[mg("1.5"), mg("3")])
    assert [(line.step.dose.text, line.strength.text, line.per_day) for line in sheet.lines] == [
        ("1.5", "1.5", 1),
        ("3", "3", 1),
        ("4.5", "1.5", 1),
        ("4.5", "3", 1),
    ]
    assert dict(sheet.totals) == {mg("1.5"): 28, mg("3"): 28}


def test_capsules_refuse_impossible_and_empty_requests():
    with pytest.raises(CompoundingError) as info:
        plan_capsules(plan_steps(), strengths=[mg("2")])
    assert info.value.field == "strengths"
    with pytest.raises(CompoundingError):
        plan_capsules([])
    with pytest.raises(CompoundingError):
        plan_capsules(plan_steps(), strengths=[])


def test_a_long_capsule_supply_warns_about_the_beyond_use_date():
    long = [Step(D(2026, 1, 1), D(2026, 12, 31), mg("4.5"))]
    assert plan_capsules(long).warnings


def test_dispensing_and_batches_for_diary_days():
    old = make_dispensing(lot="A1", form=DoseForm.LIQUID, strength_mg=Decimal(1), quantity=50,
                          prepared_on=D(2026, 1, 1))  # fmt: skip
    new = make_dispensing(lot="B2", form=DoseForm.LIQUID, strength_mg=Decimal(1), quantity=50,
                          prepared_on=D(2026, 1, 10), preserved=True)  # fmt: skip
    assert old.beyond_use == D(2026, 1, 15)
    assert new.beyond_use == D(2026, 2, 14)
    assert old.unit == "mL"
    assert batch_for_day([new, old], D(2026, 1, 12)) == old
    assert batch_for_day([new, old], D(2026, 1, 20)) == new
    assert batch_for_day([new, old], D(2025, 12, 31)) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot": " "}, "lot"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": Decimal("2.5")}, "quantity"),
        ({"strength_mg": Decimal(0)}, "strength_mg"),
        ({"strength_mg": Decimal(50)}, "strength_mg"),
    ],
)
def test_bad_dispensings_name_the_field(kwargs, field):
    base = {"lot": "L1", "form": DoseForm.CAPSULE, "strength_mg": Decimal("1.5"),
            "quantity": 30, "prepared_on": D(2026, 1, 1)}  # fmt: skip
    with pytest.raises(LowdoseError) as info:
        make_dispensing(**(base | kwargs))
    assert info.value.field == field


# ------------------------------------------------------------------------ arithmetic properties

doses = st.integers(min_value=50, max_value=6000).map(lambda ug: Dose(Decimal(ug) / 1000))
graduations = st.sampled_from([Decimal("0.01"), Decimal("0.1"), Decimal("0.2")])


@settings(max_examples=300, deadline=None)
@given(
    doses,
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=5, max_value=200),
    graduations,
)
def test_liquid_arithmetic(dose, tablets, volume, graduation):
    total = Decimal(50 * tablets)
    exact = dose.mg * volume / total
    assume(graduation <= exact)
    sheet = plan_liquid(
        dose, volume_ml=volume, tablet_mg=50, tablet_count=tablets, graduation_ml=graduation
    )
    measured = sheet.measured_volume_ml
    assert measured % graduation == 0
    assert abs(measured - exact) <= graduation / 2
    concentration = total / volume
    # Delivered dose is rounded half-up to 0.001 mg; compare with exact fractions so that the
    # repeating decimal of the concentration cannot push a correct rounding over the tolerance.
    exact_delivered = Fraction(measured) * Fraction(total) / Fraction(volume)
    assert abs(Fraction(sheet.delivered_dose_mg) - exact_delivered) <= Fraction(1, 2000)
    assert abs(sheet.delivered_dose_mg - dose.mg) <= concentration * graduation / 2 + Decimal(
        "0.0005"
    )
    expected_pct = (measured * concentration - dose.mg) / dose.mg * 100
    assert abs(sheet.rounding_error_pct - expected_pct) <= Decimal("0.005")
    assert sheet.doses_per_bottle * measured <= volume < (sheet.doses_per_bottle + 1) * measured


capsule_doses = st.integers(min_value=1, max_value=120).map(lambda k: Dose(Decimal(k) / 20))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(capsule_doses, st.integers(min_value=1, max_value=60)), min_size=1, max_size=6
    )
)
def test_capsule_totals_add_up_to_the_milligrams_of_the_plan(raw):
    steps, day = [], D(2026, 1, 1)
    for dose, days in raw:
        steps.append(Step(day, day + dt.timedelta(days=days - 1), dose))
        day += dt.timedelta(days=days)
    for strengths in (None, [mg("0.05"), mg("0.5"), mg("1.5")]):
        sheet = plan_capsules(steps, strengths=strengths)
        planned = sum((s.dose.mg * s.days for s in steps), Decimal(0))
        dispensed = sum((strength.mg * count for strength, count in sheet.totals), Decimal(0))
        assert dispensed == planned
        assert sheet.days == sum(s.days for s in steps)


def test_a_capsule_batch_lasts_180_days():
    batch = make_dispensing(lot=" C3 ", form=DoseForm.CAPSULE, strength_mg=Decimal("4.5"),
                            quantity=30, prepared_on=D(2026, 1, 1))  # fmt: skip
    assert batch.lot == "C3"
    assert batch.unit == "capsules"
    assert batch.beyond_use == D(2026, 6, 30)
    assert batch.usable_on(D(2026, 6, 30))
    assert not batch.usable_on(D(2026, 7, 1))


def test_todays_dose_from_a_capsule_batch():
    batch = make_dispensing(lot="C1", form=DoseForm.CAPSULE, strength_mg=Decimal("1.5"),
                            quantity=60, prepared_on=D(2026, 1, 1))  # fmt: skip
    assert dose_from_batch(mg("3"), batch).text == "2 capsules of 1.5 mg"
    assert dose_from_batch(mg("1.5"), batch).capsules == 1
    with pytest.raises(CompoundingError) as info:
        dose_from_batch(mg("2"), batch)
    assert info.value.field == "dose"


def test_todays_dose_from_a_liquid_batch():
    batch = make_dispensing(lot="L1", form=DoseForm.LIQUID, strength_mg=Decimal(1),
                            quantity=100, prepared_on=D(2026, 1, 1))  # fmt: skip
    taken = dose_from_batch(mg("4.5"), batch, graduation_ml=Decimal("0.2"))
    assert taken.volume_ml == Decimal("4.6")
    assert taken.text == "4.6 mL of 1 mg/mL liquid"
    assert measure_dose(mg("0.75"), total_mg=Decimal(100), volume_ml=Decimal(100))[:2] == (
        Decimal("0.75"),
        Decimal("0.75"),
    )
