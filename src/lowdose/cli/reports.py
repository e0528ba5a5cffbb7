"""``lowdose report``: course reports as PDF, one patient or a whole clinic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError


def report(
    patient: Annotated[
        str | None, typer.Argument(help="The patient's username or record number.")
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="The PDF file to write.")] = None,
    clinic: Annotated[bool, typer.Option("--clinic", help="Every patient of the clinic.")] = False,
    clinic_slug: Annotated[
        str | None, typer.Option("--clinic-slug", help="Which clinic, when there are several.")
    ] = None,
    pdf_dir: Annotated[
        Path | None, typer.Option("--pdf-dir", help="Folder for the clinic's reports.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write LDN course reports: `report PATIENT --pdf FILE` or `report --clinic --pdf-dir DIR`."""
    from lowdose.web import runner

    runner.setup_django()
    from lowdose.web.reports import documents

    try:
        if clinic:
            if patient or pdf or pdf_dir is None:
                raise LowdoseError(
                    "Use --clinic with --pdf-dir DIR and no patient.", field="clinic"
                )
            written = documents.write_clinic_reports(clinic_slug, pdf_dir, progress=not as_json)
        else:
            if not patient or pdf is None:
                raise LowdoseError("Name a patient and --pdf FILE (or use --clinic).", field="pdf")
            written = [documents.write_report(documents.find_patient(patient, clinic_slug), pdf)]
    except LowdoseError as error:
        fail(error, as_json=as_json)
    except OSError as error:
        fail(f"Cannot write the report: {error.strerror}.", as_json=as_json)
    if as_json:
        emit_json({"reports": [str(path) for path in written]})
    else:
        typer.echo(f"{len(written)} report{'s' if len(written) != 1 else ''} written.")


def register(app: typer.Typer) -> None:
    app.command()(report)
