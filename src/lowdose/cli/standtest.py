"""``lowdose standtest``: findings of an active stand / NASA lean test from a CSV of readings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError
from lowdose.standtest import StandTestResult, analyse_stand_test, read_readings_csv


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def result_payload(result: StandTestResult) -> dict[str, Any]:
    """The JSON shape of a stand test result."""
    return {
        "baseline_hr": _number(result.baseline_hr),
        "max_delta_hr": _number(result.max_delta_hr),
        "max_delta_minute": result.max_delta_minute,
        "sustained": result.sustained,
        "orthostatic_hypotension": result.orthostatic_hypotension,
        "pots_hr_criterion_met": result.pots_hr_criterion_met,
        "complete": result.complete,
        "notes": list(result.notes),
        "max_delta_standing_minute": result.max_delta_standing_minute,
        "hr_threshold_bpm": result.hr_threshold_bpm,
        "baseline_sbp": _number(result.baseline_sbp),
        "baseline_dbp": _number(result.baseline_dbp),
        "age_years": result.age_years,
    }


def _yes_no(value: bool | None) -> str:
    return "cannot be judged" if value is None else ("yes" if value else "no")


def _print_result(result: StandTestResult) -> None:
    typer.echo(f"Supine baseline heart rate: {result.baseline_hr} bpm")
    if result.max_delta_hr is not None:
        typer.echo(
            f"Largest rise: {result.max_delta_hr} bpm at minute {result.max_delta_minute} "
            f"({result.max_delta_standing_minute} min after standing up)"
        )
    typer.echo(f"Rise sustained: {_yes_no(result.sustained)}")
    typer.echo(f"Orthostatic hypotension: {_yes_no(result.orthostatic_hypotension)}")
    threshold = (
        f" (rise of {result.hr_threshold_bpm} bpm or more)" if result.hr_threshold_bpm else ""
    )
    typer.echo(
        f"Meets the POTS heart-rate criterion{threshold}: {_yes_no(result.pots_hr_criterion_met)}"
    )
    typer.echo("This is a measurement finding, not a diagnosis.")
    typer.echo(f"Complete test: {'yes' if result.complete else 'no'}")
    for note in result.notes:
        typer.echo(f"  - {note}")


def standtest(
    file: Annotated[
        Path,
        typer.Argument(help="CSV with columns minute, position, hr, sbp, dbp.", dir_okay=False),
    ],
    age: Annotated[int, typer.Option("--age", help="Age in whole years.", min=0, max=130)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Analyse a 10-minute active stand / NASA lean test (heart rate and blood pressure)."""
    try:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise LowdoseError(f"No CSV file at {file}.", field="file") from None
        result = analyse_stand_test(read_readings_csv(text), age_years=age)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(result_payload(result))
    else:
        _print_result(result)


def register(app: typer.Typer) -> None:
    app.command()(standtest)
