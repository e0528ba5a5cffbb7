"""``lowdose compound liquid|capsules``: the pharmacy worksheet for an LDN preparation."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.compounding import (
    CapsuleWorksheet,
    CompoundingError,
    LiquidWorksheet,
    plan_capsules,
    plan_liquid,
)
from lowdose.dose import Dose, DoseError, parse_dose
from lowdose.dosing import Step, steps_from_plan_json
from lowdose.errors import LowdoseError

compound_app = typer.Typer(
    help="Pharmacy worksheets: oral liquid or capsules, quantities and beyond-use dates.",
    no_args_is_help=True,
)

_JSON = Annotated[bool, typer.Option("--json", help="Print the worksheet as JSON.")]


def _number(text: str | None, field: str) -> Decimal | None:
    """A plain decimal from an option, or a user error naming the option."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise CompoundingError(f"'{text}' is not a number.", field=field) from None
    if not value.is_finite():
        raise CompoundingError(f"'{text}' is not a number.", field=field)
    return value


def _dose(text: str, field: str = "dose") -> Dose:
    try:
        return parse_dose(text)
    except DoseError as error:
        raise DoseError(error.message, field=field) from error


def _print_liquid(sheet: LiquidWorksheet) -> None:
    typer.echo(f"Naltrexone oral liquid: {sheet.ingredient} in {sheet.volume_ml} mL")
    typer.echo(f"  concentration      {sheet.concentration_mg_per_ml} mg/mL")
    typer.echo(f"  dose               {sheet.dose}")
    typer.echo(f"  volume per dose    {sheet.volume_per_dose_ml} mL (exact)")
    syringe = sheet.syringe.label if sheet.syringe else f"marks every {sheet.graduation_ml} mL"
    typer.echo(f"  syringe            {syringe}")
    typer.echo(f"  draw up            {sheet.measured_volume_ml} mL")
    typer.echo(f"  delivered dose     {sheet.delivered_dose_mg} mg ({sheet.rounding_error_pct}%)")
    typer.echo(f"  doses per bottle   {sheet.doses_per_bottle}")
    typer.echo(f"  beyond-use         {sheet.beyond_use_days} days; {sheet.storage}")
    typer.echo(f"  source             {sheet.source}")
    for warning in sheet.warnings:
        typer.echo(f"Warning: {warning}")


@compound_app.command()
def liquid(
    dose: Annotated[str, typer.Option("--dose", help="Dose per day (mg).")],
    volume_ml: Annotated[str, typer.Option("--volume-ml", help="Final volume (mL).")],
    tablet_mg: Annotated[
        str | None, typer.Option("--tablet-mg", help="Tablet strength (mg).")
    ] = None,
    tablet_count: Annotated[
        int | None, typer.Option("--tablet-count", help="Number of tablets.")
    ] = None,
    powder_mg: Annotated[
        str | None, typer.Option("--powder-mg", help="Naltrexone HCl powder (mg).")
    ] = None,
    graduation_ml: Annotated[
        str | None,
        typer.Option("--graduation-ml", help="Syringe graduation (mL; default: best syringe)."),
    ] = None,
    preserved: Annotated[
        bool, typer.Option("--preserved", help="The liquid contains a preservative.")
    ] = False,
    as_json: _JSON = False,
) -> None:
    """Oral liquid from tablets or powder: concentration, mL per dose, rounding, beyond-use date."""
    try:
        sheet = plan_liquid(
            _dose(dose),
            volume_ml=_number(volume_ml, "volume_ml"),
            tablet_mg=_number(tablet_mg, "tablet_mg"),
            tablet_count=tablet_count,
            powder_mg=_number(powder_mg, "powder_mg"),
            graduation_ml=_number(graduation_ml, "graduation_ml"),
            preserved=preserved,
        )
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(sheet.as_dict())
    else:
        _print_liquid(sheet)


def _steps_from(dose: str | None, days: int | None, plan: Path | None) -> tuple[Step, ...]:
    if plan is not None and (dose is not None or days is not None):
        raise CompoundingError("Give either --plan or --dose with --days, not both.", field="plan")
    if plan is not None:
        try:
            data = json.loads(plan.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CompoundingError(f"No plan file at {plan}.", field="plan") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise CompoundingError(f"{plan} is not a JSON plan file.", field="plan") from None
        return steps_from_plan_json(data)
    if dose is None:
        raise CompoundingError("Give --dose with --days, or --plan FILE.", field="dose")
    if days is None or days < 1:
        raise CompoundingError("Give --days as a whole number of days, 1 or more.", field="days")
    first = dt.date.today()
    return (Step(first, first + dt.timedelta(days=days - 1), _dose(dose)),)


def _print_capsules(sheet: CapsuleWorksheet) -> None:
    typer.echo("Naltrexone capsules:")
    for line in sheet.lines:
        step = line.step
        typer.echo(
            f"  {step.first_day.isoformat()} to {step.last_day.isoformat()}  {step.dose.text} mg:"
            f" {line.per_day} x {line.strength} a day, {line.capsules} capsules"
        )
    typer.echo("Dispense:")
    for strength, count in sheet.totals:
        typer.echo(f"  {count} x {strength} capsules")
    typer.echo(f"Beyond-use: {sheet.beyond_use_days} days; {sheet.storage}")
    typer.echo(f"Source: {sheet.source}")
    for warning in sheet.warnings:
        typer.echo(f"Warning: {warning}")


@compound_app.command()
def capsules(
    dose: Annotated[str | None, typer.Option("--dose", help="Dose per day (mg).")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Days of supply.")] = None,
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="JSON written by `lowdose plan --json`.", dir_okay=False),
    ] = None,
    strength: Annotated[
        list[str] | None,
        typer.Option("--strength", help="Stock capsule strength (mg); repeat for several."),
    ] = None,
    as_json: _JSON = False,
) -> None:
    """Capsules per step of a plan (or for one dose), totals to dispense, beyond-use date."""
    try:
        steps = _steps_from(dose, days, plan)
        strengths = [_dose(s, "strengths") for s in strength] if strength else None
        sheet = plan_capsules(steps, strengths=strengths)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(sheet.as_dict())
    else:
        _print_capsules(sheet)


def register(app: typer.Typer) -> None:
    app.add_typer(compound_app, name="compound")
