"""Shared output helpers: JSON that keeps decimals exact, and errors without tracebacks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sys
from decimal import Decimal
from typing import Any, NoReturn

import typer

from lowdose.errors import LowdoseError

#: Exit status for bad input or usage (matches Click's usage-error status).
EXIT_USAGE = 2


def to_jsonable(value: Any) -> Any:
    """Convert core values to JSON: Decimals become strings ("1.5"), dates ISO strings."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(value: Any) -> None:
    """Print ``value`` as indented JSON on standard output."""
    typer.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def fail(error: LowdoseError | str, *, as_json: bool = False, code: int = EXIT_USAGE) -> NoReturn:
    """Report a user-facing error on standard error (as JSON under ``--json``) and exit."""
    message = str(error)
    field = error.field if isinstance(error, LowdoseError) else None
    if as_json:
        payload: dict[str, Any] = {"error": message}
        if field:
            payload["field"] = field
        sys.stderr.write(json.dumps(payload) + "\n")
    else:
        prefix = f"Error ({field}): " if field else "Error: "
        sys.stderr.write(prefix + message + "\n")
    raise typer.Exit(code)
