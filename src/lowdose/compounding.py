"""The pharmacy worksheet: LDN oral liquid and capsules, quantities, beyond-use dates, batches.

All arithmetic is exact decimal. A liquid dose is measured with an oral syringe, so the volume is
rounded to the syringe's graduation and the worksheet shows the dose actually delivered and the
rounding error. Beyond-use dates and syringe graduations come from ``data/compounding.yaml``
(USP <795> defaults and syringe specifications, each with its source and status).

>>> sheet = plan_liquid(Dose(Decimal("1.5")), volume_ml=Decimal(50), tablet_mg=Decimal(50),
...                     tablet_count=1)
>>> sheet.concentration_mg_per_ml, sheet.volume_per_dose_ml, sheet.beyond_use_days
(Decimal('1'), Decimal('1.5'), 14)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

import yaml

from lowdose.dose import DOSE_QUANTUM_MG, Dose, DoseError, check_low_dose, format_mg
from lowdose.dosing import Step
from lowdose.errors import LowdoseError

__all__ = [
    "BeyondUse",
    "CapsuleLine",
    "CapsuleWorksheet",
    "CompoundingError",
    "LiquidStepSupply",
    "LiquidSupply",
    "LiquidWorksheet",
    "Preparation",
    "Syringe",
    "beyond_use",
    "beyond_use_date",
    "choose_syringe",
    "liquid_for_steps",
    "measure_dose",
    "plan_capsules",
    "plan_liquid",
    "syringes",
]

_VOLUME_QUANTUM = Decimal("0.0001")  # mL shown on the worksheet
_CONCENTRATION_QUANTUM = Decimal("0.0001")  # mg/mL shown on the worksheet
_PERCENT_QUANTUM = Decimal("0.01")


class CompoundingError(LowdoseError):
    """A compounding request that cannot be right (zero volume, missing strength, ...)."""


class Preparation(enum.Enum):
    """USP <795> preparation categories that set the default beyond-use date."""

    AQUEOUS_NON_PRESERVED = "aqueous_non_preserved"
    AQUEOUS_PRESERVED = "aqueous_preserved"
    NON_AQUEOUS_LIQUID = "non_aqueous_liquid"
    SOLID = "solid"


@dataclass(frozen=True)
class BeyondUse:
    """The default beyond-use period for a preparation category, with its source and status."""

    preparation: Preparation
    label: str
    days: int
    storage: str
    status: str
    source: str


@dataclass(frozen=True)
class Syringe:
    """An oral syringe: capacity and smallest graduation in mL."""

    capacity_ml: Decimal
    graduation_ml: Decimal
    label: str
    status: str


@dataclass(frozen=True)
class _Facts:
    beyond_use: Mapping[Preparation, BeyondUse]
    component_rule: str
    syringes: tuple[Syringe, ...]
    syringe_source: str
    liquid_storage: str
    liquid_source: str
    solubility_mg_per_ml: Decimal


@functools.cache
def _facts() -> _Facts:
    text = resources.files("lowdose").joinpath("data/compounding.yaml").read_text("utf-8")
    return _parse_facts(yaml.safe_load(text))


def _cite(raw: Mapping[str, Any], keys: Iterable[str]) -> str:
    return "; ".join(" ".join(raw["sources"][key].split()).rstrip(".") for key in keys) + "."


def _parse_facts(raw: Mapping[str, Any]) -> _Facts:
    table = {
        prep: BeyondUse(
            prep,
            row["label"],
            int(row["days"]),
            row["storage"],
            row["status"],
            _cite(raw, row["sources"]),
        )
        for prep in Preparation
        for row in (raw["beyond_use"][prep.value],)
    }
    rows = sorted(
        raw["syringes"], key=lambda r: (Decimal(str(r["capacity_ml"])), r["graduation_ml"])
    )
    found = tuple(
        Syringe(
            Decimal(str(r["capacity_ml"])),
            Decimal(str(r["graduation_ml"])),
            r["label"],
            r["status"],
        )
        for r in rows
    )
    liquid = raw["liquid"]
    return _Facts(
        beyond_use=table,
        component_rule=raw["beyond_use"]["component_rule"]["text"],
        syringes=found,
        syringe_source=_cite(raw, raw["syringe_sources"]),
        liquid_storage=" ".join(liquid["storage_note"].split()),
        liquid_source=_cite(raw, liquid["storage_sources"]),
        solubility_mg_per_ml=Decimal(str(liquid["solubility_mg_per_ml"])),
    )


def beyond_use(preparation: Preparation) -> BeyondUse:
    """The USP <795> default beyond-use period for ``preparation``.

    >>> beyond_use(Preparation.AQUEOUS_PRESERVED).days
    35
    """
    return _facts().beyond_use[preparation]


def beyond_use_date(
    prepared_on: dt.date,
    preparation: Preparation,
    *,
    earliest_component_expiry: dt.date | None = None,
) -> dt.date:
    """The beyond-use date: the default period after preparation, never after a component expires.

    >>> beyond_use_date(dt.date(2026, 1, 1), Preparation.AQUEOUS_NON_PRESERVED)
    datetime.date(2026, 1, 15)
    """
    date = prepared_on + dt.timedelta(days=beyond_use(preparation).days)
    if earliest_component_expiry is not None:
        if earliest_component_expiry < prepared_on:
            raise CompoundingError(
                "A component expired before the preparation date.", field="component_expiry"
            )
        date = min(date, earliest_component_expiry)
    return date


def syringes() -> tuple[Syringe, ...]:
    """The known oral syringes, smallest capacity first, finest graduation first."""
    return _facts().syringes


def choose_syringe(volume_ml: Decimal) -> Syringe | None:
    """The smallest syringe that holds ``volume_ml`` in one draw (finest marks), or ``None``."""
    return next((s for s in syringes() if s.capacity_ml >= volume_ml), None)


# ----------------------------------------------------------------------------------- liquid


@dataclass(frozen=True)
class LiquidWorksheet:
    """How to make and measure an LDN oral liquid for one dose.

    ``volume_per_dose_ml`` is the exact volume (to 0.0001 mL); ``measured_volume_ml`` the volume
    drawn up, rounded to ``graduation_ml``; ``delivered_dose_mg`` what that volume contains and
    ``rounding_error_pct`` how far it is from the prescribed dose, in percent (signed).
    """

    dose: Dose
    ingredient: str
    total_mg: Decimal
    volume_ml: Decimal
    concentration_mg_per_ml: Decimal
    volume_per_dose_ml: Decimal
    graduation_ml: Decimal
    syringe: Syringe | None
    measured_volume_ml: Decimal
    delivered_dose_mg: Decimal
    rounding_error_pct: Decimal
    doses_per_bottle: int
    preparation: Preparation
    beyond_use_days: int
    storage: str
    source: str
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The shape of ``lowdose compound liquid --json`` (quantities as decimals)."""
        return {
            "dose_mg": self.dose.mg,
            "ingredient": self.ingredient,
            "total_mg": self.total_mg,
            "volume_ml": self.volume_ml,
            "concentration_mg_per_ml": self.concentration_mg_per_ml,
            "volume_per_dose_ml": self.volume_per_dose_ml,
            "graduation_ml": self.graduation_ml,
            "syringe": self.syringe.label if self.syringe else None,
            "measured_volume_ml": self.measured_volume_ml,
            "delivered_dose_mg": self.delivered_dose_mg,
            "rounding_error_pct": self.rounding_error_pct,
            "doses_per_bottle": self.doses_per_bottle,
            "preparation": self.preparation.value,
            "beyond_use_days": self.beyond_use_days,
            "storage": self.storage,
            "source": self.source,
            "warnings": list(self.warnings),
        }


def positive_amount(value: Decimal | int | None, field: str, what: str) -> Decimal:
    """``value`` as a Decimal above 0, or a :class:`CompoundingError` naming ``field``."""
    if value is None:
        raise CompoundingError(f"Enter {what}.", field=field)
    number = Decimal(value)
    if not number.is_finite() or number <= 0:
        raise CompoundingError(
            f"{what[0].upper()}{what[1:]} must be more than 0 (got {value}).", field=field
        )
    return number


def checked_dose(dose: Dose, field: str = "dose") -> Dose:
    """``dose`` if above 0 mg and below the standard dose; otherwise an error naming ``field``."""
    if dose.mg <= 0:
        raise CompoundingError("The dose must be more than 0 mg.", field=field)
    try:
        check_low_dose(dose)
    except DoseError as error:
        raise DoseError(error.message, field=field) from error
    return dose


def _naltrexone_in(
    tablet_mg: Decimal | None, tablet_count: int | None, powder_mg: Decimal | None
) -> tuple[Decimal, str]:
    """Total naltrexone (mg) and a description of where it comes from."""
    if powder_mg is not None and (tablet_mg is not None or tablet_count is not None):
        raise CompoundingError("Use either tablets or powder, not both.", field="powder_mg")
    if powder_mg is not None:
        total = positive_amount(powder_mg, "powder_mg", "the powder amount in mg")
        return total, f"{format_mg(total)} mg naltrexone hydrochloride powder"
    if tablet_mg is None and tablet_count is None:
        raise CompoundingError(
            "Give the tablets (strength and count) or the powder.", field="source"
        )
    strength = positive_amount(tablet_mg, "tablet_mg", "the tablet strength in mg")
    count = positive_amount(tablet_count, "tablet_count", "the number of tablets")
    if count != count.to_integral_value():
        raise CompoundingError(
            "The number of tablets must be a whole number.", field="tablet_count"
        )
    total = strength * count
    return total, f"{format_mg(count)} x {format_mg(strength)} mg naltrexone tablets"


def _round_to(value: Decimal, step: Decimal) -> Decimal:
    """``value`` rounded to the nearest multiple of ``step`` (halves up)."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


@dataclass(frozen=True)
class _Measurement:
    """One dose drawn up from a liquid: exact and measured volume, what it delivers."""

    exact_ml: Decimal
    graduation_ml: Decimal
    measured_ml: Decimal
    delivered_mg: Decimal
    error_pct: Decimal


def _measure(dose: Dose, total: Decimal, volume: Decimal, graduation: Decimal) -> _Measurement:
    # Volume as dose x volume / total, not dose / concentration: 100 mg in 30 mL has no exact
    # decimal concentration, and a rounded one could tip a half-graduation the wrong way.
    exact = dose.mg * volume / total
    if graduation > exact:
        raise CompoundingError(
            f"The graduation ({format_mg(graduation)} mL) is larger than the {dose} dose volume "
            f"({format_mg(exact.quantize(_VOLUME_QUANTUM))} mL): use a finer syringe or a weaker "
            "liquid.",
            field="graduation_ml",
        )
    measured = _round_to(exact, graduation)
    delivered = measured * total / volume
    return _Measurement(
        exact, graduation, measured, delivered, (delivered - dose.mg) / dose.mg * 100
    )


def _graduation_for(
    exact_ml: Decimal, graduation_ml: Decimal | None
) -> tuple[Decimal, Syringe | None]:
    """The graduation to round to: the one given, or the best syringe's for this volume."""
    if graduation_ml is not None:
        return positive_amount(graduation_ml, "graduation_ml", "the graduation in mL"), None
    syringe = choose_syringe(exact_ml)
    if syringe is None:
        raise CompoundingError(
            f"One dose is {format_mg(exact_ml.quantize(_VOLUME_QUANTUM))} mL, more than any known "
            "syringe holds: make a stronger liquid or give the graduation.",
            field="volume_ml",
        )
    return syringe.graduation_ml, syringe


def measure_dose(
    dose: Dose, *, total_mg: Decimal, volume_ml: Decimal, graduation_ml: Decimal | None = None
) -> tuple[Decimal, Decimal, Syringe | None]:
    """The volume to draw up (mL) and the dose it delivers (mg) from a liquid of ``total_mg`` in
    ``volume_ml``, rounded to ``graduation_ml`` or to the marks of the best known syringe.

    >>> measure_dose(Dose(Decimal("1.5")), total_mg=Decimal(1), volume_ml=Decimal(1))[:2]
    (Decimal('1.5'), Decimal('1.5'))
    """
    checked_dose(dose)
    total = positive_amount(total_mg, "strength_mg", "the strength")
    volume = positive_amount(volume_ml, "volume_ml", "the volume in mL")
    graduation, syringe = _graduation_for(dose.mg * volume / total, graduation_ml)
    measurement = _measure(dose, total, volume, graduation)
    return (
        _plain(measurement.measured_ml, _VOLUME_QUANTUM),
        _plain(measurement.delivered_mg, DOSE_QUANTUM_MG),
        syringe,
    )


def plan_liquid(
    dose: Dose,
    *,
    volume_ml: Decimal | int,
    tablet_mg: Decimal | int | None = None,
    tablet_count: int | None = None,
    powder_mg: Decimal | int | None = None,
    graduation_ml: Decimal | None = None,
    preserved: bool = False,
) -> LiquidWorksheet:
    """Work out an oral liquid of ``volume_ml`` mL made from tablets or from powder.

    Without ``graduation_ml`` the smallest syringe that holds the dose (finest marks first) is
    chosen. The beyond-use date is the USP <795> default for an aqueous liquid, preserved or not.

    Raises :class:`CompoundingError` naming the field for zero or negative amounts, a missing
    tablet strength, both tablets and powder, a graduation larger than the dose volume, or a
    bottle holding less than one dose; :class:`~lowdose.dose.DoseError` for 50 mg or more.

    >>> sheet = plan_liquid(Dose(Decimal("4.5")), volume_ml=Decimal(30), powder_mg=Decimal(100),
    ...                     graduation_ml=Decimal("0.1"))
    >>> sheet.measured_volume_ml, sheet.delivered_dose_mg, sheet.rounding_error_pct
    (Decimal('1.4'), Decimal('4.667'), Decimal('3.70'))
    """
    checked_dose(dose)
    volume = positive_amount(volume_ml, "volume_ml", "the volume in mL")
    total, ingredient = _naltrexone_in(
        None if tablet_mg is None else Decimal(tablet_mg),
        tablet_count,
        None if powder_mg is None else Decimal(powder_mg),
    )
    if dose.mg > total:
        raise CompoundingError(
            f"The bottle holds {format_mg(total)} mg, less than one {dose} dose.", field="volume_ml"
        )
    graduation, syringe = _graduation_for(dose.mg * volume / total, graduation_ml)
    measurement = _measure(dose, total, volume, graduation)
    prep = Preparation.AQUEOUS_PRESERVED if preserved else Preparation.AQUEOUS_NON_PRESERVED
    return _liquid_sheet(dose, ingredient, total, volume, measurement, syringe, prep)


def _liquid_sheet(
    dose: Dose,
    ingredient: str,
    total: Decimal,
    volume: Decimal,
    measurement: _Measurement,
    syringe: Syringe | None,
    prep: Preparation,
) -> LiquidWorksheet:
    facts = _facts()
    bud = beyond_use(prep)
    concentration = total / volume
    warnings = []
    if concentration > facts.solubility_mg_per_ml:
        warnings.append(
            f"{format_mg(concentration.quantize(_CONCENTRATION_QUANTUM))} mg/mL is above the "
            "solubility of naltrexone hydrochloride in water (about "
            f"{format_mg(facts.solubility_mg_per_ml)} mg/mL)."
        )
    return LiquidWorksheet(
        dose=dose,
        ingredient=ingredient,
        total_mg=total,
        volume_ml=volume,
        concentration_mg_per_ml=_plain(concentration, _CONCENTRATION_QUANTUM),
        volume_per_dose_ml=_plain(measurement.exact_ml, _VOLUME_QUANTUM),
        graduation_ml=measurement.graduation_ml,
        syringe=syringe,
        measured_volume_ml=_plain(measurement.measured_ml, _VOLUME_QUANTUM),
        delivered_dose_mg=_plain(measurement.delivered_mg, DOSE_QUANTUM_MG),
        rounding_error_pct=measurement.error_pct.quantize(_PERCENT_QUANTUM, rounding=ROUND_HALF_UP),
        doses_per_bottle=int((volume / measurement.measured_ml).to_integral_value(ROUND_FLOOR)),
        preparation=prep,
        beyond_use_days=bud.days,
        storage=f"{bud.storage.capitalize()}. {facts.liquid_storage}",
        source=f"{bud.source} [{bud.status}] {facts.liquid_source} {facts.syringe_source}",
        warnings=tuple(warnings),
    )


def _plain(value: Decimal, quantum: Decimal) -> Decimal:
    """Round to ``quantum`` and drop trailing zeros (1.5000 -> 1.5), never an exponent."""
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP).normalize()
    return rounded if rounded.as_tuple().exponent <= 0 else rounded.quantize(Decimal(1))


# ------------------------------------------------------------------ liquid for a whole plan


@dataclass(frozen=True)
class LiquidStepSupply:
    """The liquid one titration step needs: measured volume per dose and in total."""

    step: Step
    measured_volume_ml: Decimal
    delivered_dose_mg: Decimal
    rounding_error_pct: Decimal
    total_ml: Decimal


@dataclass(frozen=True)
class LiquidSupply:
    """The liquid a whole schedule needs, step by step, at one concentration."""

    concentration_mg_per_ml: Decimal
    graduation_ml: Decimal
    steps: tuple[LiquidStepSupply, ...]
    total_ml: Decimal
    days: int
    beyond_use_days: int
    warnings: tuple[str, ...]


def liquid_for_steps(
    steps: Sequence[Step],
    *,
    total_mg: Decimal,
    volume_ml: Decimal,
    graduation_ml: Decimal,
    preserved: bool = False,
) -> LiquidSupply:
    """Volumes for every step of a schedule, for a liquid of ``total_mg`` in ``volume_ml``.

    The total is what the patient draws up (measured volumes), without overage for the bottle or
    syringe dead space. Warns when the schedule outlasts the beyond-use date, so the pharmacy
    dispenses in batches.

    >>> from lowdose.dosing import make_plan_spec, plan_titration
    >>> plan = plan_titration(make_plan_spec(start="1.5", step="1.5", every=14, target="4.5",
    ...                                      start_date="2026-01-05"))
    >>> supply = liquid_for_steps(plan.steps, total_mg=Decimal(50), volume_ml=Decimal(50),
    ...                           graduation_ml=Decimal("0.1"))
    >>> supply.total_ml, supply.warnings[0][:30]
    (Decimal('126.0'), 'The schedule runs 42 days, lon')
    """
    total = positive_amount(total_mg, "total_mg", "the naltrexone amount in mg")
    volume = positive_amount(volume_ml, "volume_ml", "the volume in mL")
    graduation = positive_amount(graduation_ml, "graduation_ml", "the graduation in mL")
    lines = []
    for step in steps:
        m = _measure(checked_dose(step.dose), total, volume, graduation)
        lines.append(
            LiquidStepSupply(
                step,
                m.measured_ml,
                _plain(m.delivered_mg, DOSE_QUANTUM_MG),
                m.error_pct.quantize(_PERCENT_QUANTUM, rounding=ROUND_HALF_UP),
                m.measured_ml * step.days,
            )
        )
    prep = Preparation.AQUEOUS_PRESERVED if preserved else Preparation.AQUEOUS_NON_PRESERVED
    days = sum(step.days for step in steps)
    return LiquidSupply(
        concentration_mg_per_ml=_plain(total / volume, _CONCENTRATION_QUANTUM),
        graduation_ml=graduation,
        steps=tuple(lines),
        total_ml=sum((line.total_ml for line in lines), Decimal(0)),
        days=days,
        beyond_use_days=beyond_use(prep).days,
        warnings=_outlasts(days, beyond_use(prep)),
    )


def _outlasts(days: int, bud: BeyondUse) -> tuple[str, ...]:
    if days <= bud.days:
        return ()
    return (
        f"The schedule runs {days} days, longer than the {bud.days}-day beyond-use date of "
        f"{bud.label}: dispense it in batches.",
    )


# ---------------------------------------------------------------------------------- capsules


@dataclass(frozen=True)
class CapsuleLine:
    """Capsules for one step: ``per_day`` capsules of ``strength`` for each of its days."""

    step: Step
    strength: Dose
    per_day: int
    capsules: int


@dataclass(frozen=True)
class CapsuleWorksheet:
    """Capsules for a schedule: one line per step and strength, totals per strength."""

    lines: tuple[CapsuleLine, ...]
    totals: tuple[tuple[Dose, int], ...]
    days: int
    beyond_use_days: int
    storage: str
    source: str
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The shape of ``lowdose compound capsules --json``."""
        return {
            "steps": [
                {
                    "from": line.step.first_day,
                    "to": line.step.last_day,
                    "dose_mg": line.step.dose.mg,
                    "capsule_mg": line.strength.mg,
                    "per_day": line.per_day,
                    "capsules": line.capsules,
                }
                for line in self.lines
            ],
            "totals": [{"capsule_mg": s.mg, "capsules": n} for s, n in self.totals],
            "days": self.days,
            "beyond_use_days": self.beyond_use_days,
            "storage": self.storage,
            "source": self.source,
            "warnings": list(self.warnings),
        }


def _fewest_capsules(dose: Dose, strengths: Sequence[Dose]) -> dict[Dose, int]:
    """The exact combination of ``strengths`` making ``dose`` with the fewest capsules."""
    target = int(dose.mg / DOSE_QUANTUM_MG)
    by_unit = {int(s.mg / DOSE_QUANTUM_MG): s for s in strengths}
    units = sorted(by_unit, reverse=True)
    best: list[tuple[int, ...] | None] = [()] + [None] * target
    for amount in range(1, target + 1):
        options = [
            best[amount - u] + (u,) for u in units if u <= amount and best[amount - u] is not None
        ]
        best[amount] = min(options, key=len) if options else None
    if best[target] is None:
        names = ", ".join(str(s) for s in strengths)
        raise CompoundingError(
            f"{dose} cannot be made from capsules of {names}.", field="strengths"
        )
    counts: dict[Dose, int] = {}
    for unit in best[target] or ():
        strength = by_unit[unit]
        counts[strength] = counts.get(strength, 0) + 1
    return counts


def plan_capsules(
    steps: Sequence[Step], *, strengths: Sequence[Dose] | None = None
) -> CapsuleWorksheet:
    """Capsules to dispense for ``steps``.

    Without ``strengths`` each step gets one capsule a day made at the step's dose (the usual
    compounded supply). With ``strengths`` (stock capsules), each daily dose is the exact
    combination with the fewest capsules; a dose no combination makes is refused.

    >>> from lowdose.dosing import Step
    >>> step = Step(dt.date(2026, 1, 1), dt.date(2026, 1, 30), Dose(Decimal("4.5")))
    >>> plan_capsules([step], strengths=[Dose(Decimal("1.5"))]).totals
    ((Dose(mg=Decimal('1.5')), 90),)
    """
    if not steps:
        raise CompoundingError("There are no steps to make capsules for.", field="plan")
    if strengths is not None and not strengths:
        raise CompoundingError("Give at least one capsule strength.", field="strengths")
    for strength in strengths or ():
        checked_dose(strength, "strengths")
    lines = []
    for step in steps:
        checked_dose(step.dose)
        counts = _fewest_capsules(step.dose, strengths) if strengths else {step.dose: 1}
        lines.extend(CapsuleLine(step, s, n, n * step.days) for s, n in sorted(counts.items()))
    totals: dict[Dose, int] = {}
    for line in lines:
        totals[line.strength] = totals.get(line.strength, 0) + line.capsules
    bud = beyond_use(Preparation.SOLID)
    days = sum(step.days for step in steps)
    return CapsuleWorksheet(
        lines=tuple(lines),
        totals=tuple(sorted(totals.items())),
        days=days,
        beyond_use_days=bud.days,
        storage=bud.storage.capitalize() + ", protected from light.",
        source=f"{bud.source} [{bud.status}]",
        warnings=_outlasts(days, bud),
    )
