"""Dispensed batches: lot, quantity, preparation and beyond-use dates, and which batch a day used.

Every dispensing is recorded so that each diary day can point at the batch its dose came from,
and a bad batch can be traced to every dose taken from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lowdose.compounding import (
    CompoundingError,
    Preparation,
    beyond_use_date,
    checked_dose,
    measure_dose,
    positive_amount,
)
from lowdose.dose import Dose, format_mg
from lowdose.dosing import DoseForm

__all__ = ["DispensedDose", "Dispensing", "batch_for_day", "dose_from_batch", "make_dispensing"]


@dataclass(frozen=True)
class Dispensing:
    """One dispensed batch: what, how much, when it was made and its beyond-use date.

    ``strength_mg`` is mg per capsule for capsules and mg per mL for a liquid; ``quantity`` is
    capsules or mL. Diary days link to a batch so a bad batch can be traced to every dose.
    """

    lot: str
    form: DoseForm
    strength_mg: Decimal
    quantity: Decimal
    prepared_on: dt.date
    beyond_use: dt.date

    @property
    def unit(self) -> str:
        """The unit of ``quantity``: "capsules" or "mL"."""
        return "capsules" if self.form is DoseForm.CAPSULE else "mL"

    def usable_on(self, day: dt.date) -> bool:
        """True from the preparation date to the beyond-use date, both included."""
        return self.prepared_on <= day <= self.beyond_use


def make_dispensing(
    *,
    lot: str,
    form: DoseForm,
    strength_mg: Decimal,
    quantity: Decimal | int,
    prepared_on: dt.date,
    preserved: bool = False,
    earliest_component_expiry: dt.date | None = None,
) -> Dispensing:
    """Record a batch with its beyond-use date from USP <795> (solid, or aqueous liquid).

    >>> batch = make_dispensing(lot="L-0042", form=DoseForm.CAPSULE, strength_mg=Decimal("1.5"),
    ...                         quantity=30, prepared_on=dt.date(2026, 1, 1))
    >>> batch.beyond_use
    datetime.date(2026, 6, 30)
    """
    if not lot.strip():
        raise CompoundingError("Enter the lot or batch number.", field="lot")
    strength = positive_amount(strength_mg, "strength_mg", "the strength")
    amount = positive_amount(quantity, "quantity", "the quantity")
    if form is DoseForm.CAPSULE:
        checked_dose(Dose(strength), "strength_mg")
        if amount != amount.to_integral_value():
            raise CompoundingError("Capsules are counted in whole numbers.", field="quantity")
        prep = Preparation.SOLID
    else:
        prep = Preparation.AQUEOUS_PRESERVED if preserved else Preparation.AQUEOUS_NON_PRESERVED
    bud = beyond_use_date(prepared_on, prep, earliest_component_expiry=earliest_component_expiry)
    return Dispensing(lot.strip(), form, strength, amount, prepared_on, bud)


def batch_for_day(batches: Iterable[Dispensing], day: dt.date) -> Dispensing | None:
    """The batch a dose on ``day`` most likely came from: the oldest one still usable (first in,
    first out), or ``None`` when no batch covers the day. Where the patient records the batch,
    that record wins over this guess."""
    usable = [batch for batch in batches if batch.usable_on(day)]
    return min(usable, key=lambda b: (b.prepared_on, b.lot), default=None)


@dataclass(frozen=True)
class DispensedDose:
    """A day's dose as the patient takes it from a batch: capsules, or mL drawn up."""

    dose: Dose
    batch: Dispensing
    capsules: int | None
    volume_ml: Decimal | None
    text: str


def dose_from_batch(
    dose: Dose, batch: Dispensing, *, graduation_ml: Decimal | None = None
) -> DispensedDose:
    """How to take ``dose`` from ``batch``: "2 capsules of 1.5 mg" or "1.5 mL of 1 mg/mL liquid".

    A liquid volume is rounded to the syringe marks (``graduation_ml``, or the best known
    syringe); a capsule dose must be a whole number of capsules.

    >>> batch = make_dispensing(lot="L1", form=DoseForm.LIQUID, strength_mg=Decimal(1),
    ...                         quantity=50, prepared_on=dt.date(2026, 1, 1))
    >>> dose_from_batch(Dose(Decimal("1.5")), batch).text
    '1.5 mL of 1 mg/mL liquid'
    """
    checked_dose(dose)
    if batch.form is DoseForm.CAPSULE:
        count = dose.mg / batch.strength_mg
        if count != count.to_integral_value():
            raise CompoundingError(
                f"{dose} is not a whole number of {format_mg(batch.strength_mg)} mg capsules.",
                field="dose",
            )
        plural = "capsule" if count == 1 else "capsules"
        text = f"{int(count)} {plural} of {format_mg(batch.strength_mg)} mg"
        return DispensedDose(dose, batch, int(count), None, text)
    # A liquid's strength is mg per mL, so 1 mL holds ``strength_mg``.
    measured, _, _ = measure_dose(
        dose, total_mg=batch.strength_mg, volume_ml=Decimal(1), graduation_ml=graduation_ml
    )
    text = f"{format_mg(measured)} mL of {format_mg(batch.strength_mg)} mg/mL liquid"
    return DispensedDose(dose, batch, None, measured, text)
