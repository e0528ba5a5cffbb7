"""``lowdose analyze``: is it working? Evaluate daily outcomes from a CSV file.

CSV columns: ``date`` (YYYY-MM-DD), ``phase``, one column per outcome (empty cell = missing),
optionally ``medication_change`` (any text marks a change that day) and ``patient`` (batch mode:
each patient is analysed on its own, in parallel, with a progress bar on standard error).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from lowdose.analysis import (
    AnalysisOptions,
    Design,
    OutcomeResult,
    OutcomeSpec,
    TrialDesign,
    evaluate_series,
    outcome_spec,
    series_from_columns,
    series_from_rows,
    trial_from_dict,
)
from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError
from lowdose.ratings import Direction

#: Columns that are never outcomes.
RESERVED = ("date", "phase", "patient", "medication_change")
#: Patients handed to a worker process at a time in batch mode.
CHUNK = 50


Row = list[str] | str  # parsed cells, or a raw line without quotes (split lazily)


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    """Header and data rows of a CSV file, refusing unreadable files and missing columns.

    A file without quote characters (what the diary export and the clinic batch write) is kept
    as raw lines and split where it is analysed — in the worker processes, for a batch — since
    parsing millions of cells is the slowest step of a large file. Anything quoted goes through
    the csv module.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LowdoseError(f"No file at {path}.", field="file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LowdoseError(f"Cannot read {path}: {error}.", field="file") from None
    lines = [line for line in text.splitlines() if line.strip(", \t")]
    if '"' in text:
        try:
            parsed: list[Row] = list(csv.reader(lines))
        except csv.Error as error:
            raise LowdoseError(f"Cannot read {path}: {error}.", field="file") from None
    else:
        parsed = list(lines)
    header = [h.strip() for h in split_row(parsed[0])] if parsed else []
    for column in ("date", "phase"):
        if column not in header:
            raise LowdoseError(f"{path} has no '{column}' column.", field="file")
    return header, parsed[1:]


def split_row(row: Row) -> list[str]:
    return row.split(",") if isinstance(row, str) else row


def read_trial(path: Path | None) -> TrialDesign | None:
    """The trial file written by ``lowdose trial design --json``."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LowdoseError(f"No trial file at {path}.", field="trial") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LowdoseError(f"Cannot read the trial file {path}: {error}.", field="trial") from None
    return trial_from_dict(data)


def choose_outcomes(
    header: Sequence[str], names: Sequence[str], better: Direction, mcid: float | None
) -> list[OutcomeSpec]:
    """Specs for the outcomes asked for (default: every non-reserved column)."""
    wanted = list(names) or [h for h in header if h not in RESERVED]
    if not wanted:
        raise LowdoseError("The file has no outcome columns.", field="outcome")
    for name in wanted:
        if name not in header:
            raise LowdoseError(f"The file has no column '{name}'.", field="outcome")
    return [outcome_spec(name, better=better, mcid=mcid) for name in wanted]


def _as_dicts(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[dict[str, str]]:
    for row in rows:
        yield dict(zip(header, row, strict=False))


def analyse_rows(
    header: Sequence[str],
    rows: Sequence[Row],
    specs: Sequence[OutcomeSpec],
    design: Design,
    trial: TrialDesign | None,
    options: AnalysisOptions,
) -> list[OutcomeResult]:
    """Evaluate one patient's rows (a plain function: the batch workers call it too)."""
    rows = [split_row(row) for row in rows]
    columns = list(zip(*rows, strict=False)) if rows else [()] * len(header)
    if any(len(row) != len(header) for row in rows):
        series = series_from_rows(_as_dicts(header, rows), [s.name for s in specs])
    else:
        by_name = dict(zip(header, columns, strict=True))
        series = series_from_columns(
            by_name["date"],
            by_name["phase"],
            {s.name: by_name[s.name] for s in specs},
            by_name.get("medication_change"),
        )
    return list(
        evaluate_series(series, specs, design=design, trial=trial, options=options).outcomes
    )


def _analyse_patient(job: tuple[str, list[Row], tuple]) -> list[dict[str, Any]]:
    patient, rows, (header, specs, design, trial, options) = job
    try:
        results = analyse_rows(header, rows, specs, design, trial, options)
    except LowdoseError as error:
        return [{"patient": patient, "error": str(error)}]
    return [{"patient": patient, **result.as_dict()} for result in results]


def _analyse_chunk(jobs: list[tuple[str, list[Row], tuple]]) -> list[dict[str, Any]]:
    return [entry for job in jobs for entry in _analyse_patient(job)]


def group_by_patient(header: Sequence[str], rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Rows per patient, in the order patients first appear."""
    column = header.index("patient")
    groups: dict[str, list[Row]] = {}
    for row in rows:
        cells = row.split(",", column + 1) if isinstance(row, str) else row
        key = cells[column].strip() if column < len(cells) else ""
        if not key:
            raise LowdoseError("A row has an empty 'patient' cell.", field="patient")
        groups.setdefault(key, []).append(row)
    return groups


def run_batch(
    groups: dict[str, list[Row]], context: tuple, *, workers: int, progress: bool
) -> list[dict[str, Any]]:
    """Analyse every patient, ``workers`` processes at a time, keeping the input order."""
    jobs = [(patient, rows, context) for patient, rows in groups.items()]
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    out: list[dict[str, Any]] = []
    with Progress(console=Console(stderr=True), disable=not progress, transient=True) as bar:
        task = bar.add_task("Analysing patients", total=len(jobs))
        if workers <= 1:
            results = map(_analyse_chunk, chunks)
            for chunk, result in zip(chunks, results, strict=True):
                out.extend(result)
                bar.advance(task, len(chunk))
            return out
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk, result in zip(chunks, pool.map(_analyse_chunk, chunks), strict=True):
                out.extend(result)
                bar.advance(task, len(chunk))
    return out


def _print_result(result: OutcomeResult) -> None:
    e, n = result.effect, result.nap
    typer.echo(f"{result.label} ({result.n_days_used} days)")
    typer.echo(
        f"  effect {e.estimate:+.2f} (95% CI {e.ci_low:+.2f} to {e.ci_high:+.2f}), φ {e.phi:.2f}"
    )
    typer.echo(f"  NAP {n.value:.2f} (95% CI {n.ci_low:.2f} to {n.ci_high:.2f})")
    typer.echo(
        f"  P(meaningful improvement) {result.probability.sceptical:.2f} "
        f"(flat prior {result.probability.flat:.2f}); responder: {result.responder.value}"
    )
    if result.p_randomization is not None:
        typer.echo(f"  randomization test p = {result.p_randomization:.3g}")
    typer.echo(f"  {result.summary}")
    for caveat in result.caveats:
        typer.echo(f"  ! {caveat.message}")


def _print_batch(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        if "error" in entry:
            typer.echo(f"{entry['patient']}: error: {entry['error']}")
            continue
        effect = entry["effect"]
        typer.echo(
            f"{entry['patient']} {entry['outcome']}: {effect['estimate']:+.2f} "
            f"({effect['ci_low']:+.2f} to {effect['ci_high']:+.2f}), {entry['responder']}"
        )


def analyze(
    file: Annotated[
        Path, typer.Argument(help="CSV: date, phase, one column per outcome.", metavar="FILE.csv")
    ],
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", help="Outcome column to analyse (repeat; default: all)."),
    ] = None,
    design: Annotated[
        Design, typer.Option(help="open: baseline vs maintenance; blinded: LDN vs placebo.")
    ] = Design.OPEN,
    trial: Annotated[
        Path | None, typer.Option(help="Trial file from 'lowdose trial design --json'.")
    ] = None,
    better: Annotated[
        Direction, typer.Option(help="Direction of improvement for columns that are not ratings.")
    ] = Direction.LOWER_IS_BETTER,
    mcid: Annotated[
        float | None,
        typer.Option(help="Minimal important difference in the outcome's units.", min=0.0),
    ] = None,
    include_titration: Annotated[
        bool, typer.Option("--include-titration", help="Count titration days as treatment.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="Processes for a multi-patient file (default: all cores).", min=1),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Is it working? Effect, non-overlap, probability of a meaningful improvement, responder
    class, randomization test (blinded trials) and caveats for each outcome."""
    try:
        if mcid is not None and mcid <= 0:
            raise LowdoseError("--mcid must be greater than 0.", field="mcid")
        header, rows = read_csv(file)
        specs = choose_outcomes(header, outcome or [], better, mcid)
        context = (header, specs, design, read_trial(trial), AnalysisOptions(include_titration))
        if "patient" in header:
            groups = group_by_patient(header, rows)
            count = workers or os.cpu_count() or 1
            entries = run_batch(groups, context, workers=count, progress=not as_json)
            if as_json:
                emit_json(entries)
            else:
                _print_batch(entries)
            return
        results = analyse_rows(header, rows, *context[1:])
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json([result.as_dict() for result in results])
        return
    for result in results:
        _print_result(result)


def register(app: typer.Typer) -> None:
    app.command()(analyze)
