"""Doses as exact decimal milligrams.

A dose is never a float: 0.1 + 0.2 mg must be 0.3 mg, and a pharmacist's worksheet must add up
to the last microgram. :func:`parse_dose` turns what a person types into a :class:`Dose` and
refuses anything it would have to guess about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lowdose.errors import LowdoseError

#: Naltrexone at 50 mg/day or more is the standard (addiction) dose, not a low dose.
#: Toljan K, Vrooman B. Med Sci (Basel) 2018;6(4):82. doi:10.3390/medsci6040082.
STANDARD_DOSE_MG = Decimal("50")

#: The finest dose resolution lowdose stores: one microgram.
DOSE_QUANTUM_MG = Decimal("0.001")

_MICROGRAMS_PER_MG = Decimal(1000)

_UNITS: dict[str, Decimal] = {
    "mg": Decimal(1),
    "milligram": Decimal(1),
    "milligrams": Decimal(1),
    "mcg": Decimal(1) / _MICROGRAMS_PER_MG,
    "µg": Decimal(1) / _MICROGRAMS_PER_MG,
    "μg": Decimal(1) / _MICROGRAMS_PER_MG,
    "ug": Decimal(1) / _MICROGRAMS_PER_MG,
    "microgram": Decimal(1) / _MICROGRAMS_PER_MG,
    "micrograms": Decimal(1) / _MICROGRAMS_PER_MG,
}

_DOSE_RE = re.compile(r"^(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<unit>[^\s0-9.]+)?$")


class DoseError(LowdoseError):
    """A dose that cannot be read without guessing, or that is impossible."""


@dataclass(frozen=True, order=True)
class Dose:
    """A daily amount of naltrexone in milligrams, exact to the microgram.

    >>> Dose(Decimal("1.5")) + Dose(Decimal("0.5"))
    Dose(mg=Decimal('2.0'))
    >>> str(Dose(Decimal("4.50")))
    '4.5 mg'
    """

    mg: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.mg, Decimal):
            raise TypeError(f"Dose.mg must be a Decimal, not {type(self.mg).__name__}")
        if not self.mg.is_finite():
            raise DoseError("A dose must be a finite number of milligrams.")
        if self.mg < 0:
            raise DoseError(f"A dose cannot be negative ({self.mg} mg).")
        if self.mg != self.mg.quantize(DOSE_QUANTUM_MG):
            raise DoseError(
                f"{self.mg} mg is finer than one microgram; lowdose stores doses to 0.001 mg."
            )

    def __add__(self, other: Dose) -> Dose:
        return Dose(self.mg + other.mg)

    def __sub__(self, other: Dose) -> Dose:
        return Dose(self.mg - other.mg)

    def __str__(self) -> str:
        return f"{format_mg(self.mg)} mg"

    @property
    def text(self) -> str:
        """The dose as a decimal string of milligrams without trailing zeros ("1.5")."""
        return format_mg(self.mg)


def format_mg(value: Decimal) -> str:
    """Format milligrams without exponent or trailing zeros: ``Decimal("4.500")`` → ``"4.5"``."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def parse_dose(text: str | Decimal | int, *, default_unit: str | None = "mg") -> Dose:
    """Read a dose such as ``"1.5"``, ``"1.5 mg"``, ``"1.5mg"`` or ``"1500 mcg"``.

    ``default_unit`` is the unit a bare number is taken to be in (the command line's ``--start MG``
    says mg in its name); pass ``None`` where the unit must be written out, as in the API.

    Refused, with a message that says why: empty text, negative numbers, decimal commas ("1,5" could
    be 1.5 or 15), exponents, more than one number, unknown units (grams are refused: nobody means
    grams of LDN), and anything finer than a microgram.

    >>> str(parse_dose("1500 mcg"))
    '1.5 mg'
    >>> parse_dose("1.5") == parse_dose("1500 mcg")
    True
    """
    if isinstance(text, Decimal | int):
        return Dose(Decimal(text))
    raw = text.strip()
    if not raw:
        raise DoseError("Enter a dose, for example 1.5 mg.")
    if raw.startswith("-"):
        raise DoseError(f"A dose cannot be negative ({raw}).")
    if "," in raw:
        raise DoseError(
            f"'{raw}' has a comma: write the dose with a decimal point, for example 1.5 mg."
        )
    match = _DOSE_RE.match(raw)
    if match is None:
        raise DoseError(
            f"'{raw}' is not a dose lowdose can read; write it like 1.5 mg or 1500 mcg."
        )
    unit = (match.group("unit") or "").lower()
    if not unit:
        if default_unit is None:
            raise DoseError(f"'{raw}' has no unit: write mg or mcg after the number.")
        unit = default_unit
    if unit not in _UNITS:
        raise DoseError(f"'{unit}' is not a unit lowdose accepts for a dose; use mg or mcg.")
    try:
        mg = Decimal(match.group("number")) * _UNITS[unit]
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only plain decimals
        raise DoseError(f"'{raw}' is not a number.") from exc
    if mg != mg.quantize(DOSE_QUANTUM_MG):
        raise DoseError(f"{raw} is finer than one microgram; lowdose stores doses to 0.001 mg.")
    return Dose(mg)


def check_low_dose(dose: Dose) -> None:
    """Refuse a dose at or above the standard naltrexone dose: a 50 mg tablet is not LDN."""
    if dose.mg >= STANDARD_DOSE_MG:
        raise DoseError(
            f"{dose} is a standard naltrexone dose, not a low dose; LDN doses are a few mg "
            "(was a 50 mg tablet entered where the dose taken from it was meant?)."
        )
