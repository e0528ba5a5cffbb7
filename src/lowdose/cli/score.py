"""``lowdose score``: score a questionnaire from a JSON file of answers, or list the instruments."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError
from lowdose.instruments import (
    ScoreResult,
    available_instruments,
    describe_items,
    load_instrument,
    score_instrument,
)


def _number(value: Decimal | None) -> int | float | None:
    """A score as a JSON number: whole scores as integers, others as decimals (2 places)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def read_answers(path: Path) -> dict[str, Any]:
    """Read a JSON object mapping item ids to answers; refuses anything else with a clear error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LowdoseError(f"No answers file at {path}.", field="answers") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LowdoseError(f"Cannot read {path}: {error}.", field="answers") from None
    except json.JSONDecodeError as error:
        raise LowdoseError(f"{path} is not valid JSON: {error.msg}.", field="answers") from None
    if not isinstance(data, dict):
        raise LowdoseError(
            f"{path} must hold a JSON object mapping item ids to answers.", field="answers"
        )
    return data


def result_payload(result: ScoreResult) -> dict[str, Any]:
    """The JSON shape of a score: instrument, total, domains, interpretation, missing, ..."""
    return {
        "instrument": result.instrument,
        "total": _number(result.total),
        "domains": {key: _number(value) for key, value in result.domains.items()},
        "interpretation": result.interpretation,
        "missing": list(result.missing),
        "skipped": list(result.skipped),
        "findings": dict(result.findings),
        "definition_version": result.definition_version,
    }


def instrument_list() -> list[dict[str, Any]]:
    """Every instrument with its items and their allowed answers and points."""
    return [
        {
            "id": instrument.id,
            "name": instrument.name,
            "items": [
                {"id": item["id"], "options": item["options"]}
                for item in describe_items(instrument)
            ],
        }
        for instrument in available_instruments()
    ]


def _print_list() -> None:
    for instrument in available_instruments():
        typer.echo(f"{instrument.id}: {instrument.name} ({len(instrument.items)} items)")
        for item in instrument.items:
            values = [o.value for o in item.options]
            allowed = (
                f"{values[0]}–{values[-1]}" if len(values) > 7 else ", ".join(map(str, values))
            )
            typer.echo(f"  {item.id:<16} {item.label}  [{allowed}]")


def _print_result(name: str, result: ScoreResult) -> None:
    total = "no total" if result.total is None else f"total {result.total}"
    typer.echo(f"{name}: {total}")
    for key, value in result.domains.items():
        typer.echo(f"  {key:<26} {value}")
    for key, flag in result.findings.items():
        typer.echo(f"  {key:<26} {'yes' if flag else 'no'}")
    if result.interpretation:
        typer.echo(f"Interpretation: {result.interpretation}")
    if result.missing:
        typer.echo(f"Unanswered (allowed by the scoring rule): {', '.join(result.missing)}")
    if result.skipped:
        typer.echo(f"Skipped (did not apply): {', '.join(result.skipped)}")


def score(
    instrument: Annotated[
        str | None, typer.Argument(help="Instrument id, e.g. compass31 (see --list).")
    ] = None,
    answers: Annotated[
        Path | None, typer.Option(help="JSON file mapping item ids to answers.", dir_okay=False)
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the instruments and their items.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Score a questionnaire (COMPASS-31, FIQR, ACR 2016, FSS, fatigue VAS, PGIC, daily ratings)."""
    if list_:
        if as_json:
            emit_json(instrument_list())
        else:
            _print_list()
        return
    try:
        if instrument is None:
            raise LowdoseError("Name an instrument to score, or use --list.", field="instrument")
        if answers is None:
            raise LowdoseError("Give the answers with --answers FILE.json.", field="answers")
        definition = load_instrument(instrument)
        result = score_instrument(definition, read_answers(answers))
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(result_payload(result))
    else:
        _print_result(definition.name, result)


def register(app: typer.Typer) -> None:
    app.command()(score)
