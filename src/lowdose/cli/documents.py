"""``lowdose card``: documents for a patient, written to files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError


def card(
    patient: Annotated[str, typer.Argument(help="The patient's username or record number.")],
    pdf: Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")],
    clinic: Annotated[
        str | None, typer.Option(help="Clinic slug, when record numbers clash.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write the patient's wallet-size opioid-alert card as a PDF."""
    from lowdose.web import runner

    runner.setup_django()
    from lowdose.web.reports.documents import find_patient, write_card

    try:
        found = find_patient(patient, clinic)
        written = write_card(found, pdf)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    except OSError as error:
        fail(f"Cannot write {pdf}: {error.strerror}.", as_json=as_json)
    if as_json:
        emit_json({"patient": found.user.username, "pdf": str(written)})
    else:
        typer.echo(f"Opioid-alert card for {found} written to {written}.")


def register(app: typer.Typer) -> None:
    app.command()(card)
