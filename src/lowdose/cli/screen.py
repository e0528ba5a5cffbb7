"""``lowdose screen``: screen a medication list for opioids and other conflicts with LDN."""

from __future__ import annotations

from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError
from lowdose.screening import MatchKind, ScreeningResult, Verdict, screen_medications

#: Exit status when something on the list is contraindicated (0: nothing is; 2: usage error).
EXIT_CONTRAINDICATED = 3


def _print_result(result: ScreeningResult) -> None:
    typer.echo(f"Verdict: {result.verdict.value.upper()}")
    for finding in result.findings:
        ingredients = ", ".join(finding.ingredients)
        typer.echo(f"\n{finding.input}")
        if finding.match is MatchKind.PROBABLE:
            guesses = " or ".join(finding.did_you_mean)
            typer.echo(
                f"  did you mean {guesses}? (probable match, confidence {finding.confidence})"
            )
        typer.echo(f"  {finding.severity.value}: {finding.matched} -> {ingredients}")
        typer.echo(f"  class: {finding.drug_class}")
        typer.echo(f"  why: {finding.reason}")
        typer.echo(f"  source: {finding.source}")
    for name in result.unknown:
        typer.echo(f"\n{name}\n  UNKNOWN: not in the knowledge file, so it cannot be called safe.")
    if result.verdict is Verdict.CONTRAINDICATED:
        typer.echo("\nDo not start or resume LDN without a clinician's written override.")


def screen(
    medications: Annotated[
        list[str],
        typer.Argument(
            help="Medication names as written (generic, brand or combination, with or without "
            "strength and form).",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Screen medications against LDN: exit 3 if any is contraindicated, 0 otherwise."""
    try:
        result = screen_medications(medications)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_result(result)
    if result.verdict is Verdict.CONTRAINDICATED:
        raise typer.Exit(EXIT_CONTRAINDICATED)


def register(app: typer.Typer) -> None:
    app.command()(screen)
