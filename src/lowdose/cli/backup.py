"""``lowdose backup PATH`` and ``lowdose restore PATH``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError


def backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write a consistent backup of the database while the app keeps running."""
    from lowdose.web import runner

    runner.setup_django()
    from lowdose.web import backup as backups

    try:
        written = backups.backup(path)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    size = written.stat().st_size
    if as_json:
        emit_json({"backup": str(written), "bytes": size})
    else:
        typer.echo(f"Backup written to {written} ({size:,} bytes).")


def restore(
    path: Annotated[Path, typer.Argument(help="A file written by lowdose backup.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Replace everything in the database with the contents of a backup."""
    from lowdose.web import runner

    if not yes and not typer.confirm(f"Replace the whole database with {path}?"):
        fail("Nothing restored.", as_json=as_json, code=1)
    runner.setup_django()
    from lowdose.web import backup as backups

    try:
        backups.restore(path)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json({"restored": str(path)})
    else:
        typer.echo(f"Database restored from {path}.")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
