"""``lowdose plan``: a titration schedule from start dose, step, interval and target."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from lowdose.calendar import schedule_to_ics
from lowdose.cli.output import emit_json, fail
from lowdose.dosing import Schedule, make_plan_spec, plan_titration
from lowdose.errors import LowdoseError


def _print_schedule(schedule: Schedule) -> None:
    spec = schedule.spec
    typer.echo(f"LDN titration, {spec.form.value}s at {spec.time.value}:")
    for step in schedule.steps:
        typer.echo(
            f"  {step.first_day.isoformat()} to {step.last_day.isoformat()}  "
            f"{step.dose.text:>6} mg  ({step.days} days)"
        )
    typer.echo(f"Then {schedule.steps[-1].dose} daily until the plan is revised.")
    for warning in schedule.warnings:
        typer.echo(f"Warning: {warning}")


def plan(
    start: Annotated[str, typer.Option("--start", help="Start dose (mg, or e.g. 500 mcg).")],
    step: Annotated[str, typer.Option("--step", help="Increase per step (mg).")],
    every: Annotated[int, typer.Option("--every", help="Days between steps.")],
    target: Annotated[str, typer.Option("--target", help="Target dose (mg).")],
    ceiling: Annotated[
        str | None, typer.Option("--ceiling", help="Highest dose allowed (mg; default 6).")
    ] = None,
    start_date: Annotated[
        str | None, typer.Option("--start-date", help="First day, YYYY-MM-DD (default today).")
    ] = None,
    form: Annotated[str, typer.Option("--form", help="capsule or liquid.")] = "capsule",
    time: Annotated[str, typer.Option("--time", help="morning or bedtime.")] = "bedtime",
    maintenance_days: Annotated[
        int | None,
        typer.Option("--maintenance-days", help="Days to show at the target (default: one step)."),
    ] = None,
    allow_above_ceiling: Annotated[
        bool, typer.Option("--allow-above-ceiling", help="Allow a target above the ceiling.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write an iCalendar file.", dir_okay=False)
    ] = None,
) -> None:
    """Plan a titration: the steps, a day-by-day schedule and warnings (decision support)."""
    try:
        spec = make_plan_spec(
            start=start,
            step=step,
            every=every,
            target=target,
            ceiling=ceiling,
            start_date=start_date if start_date is not None else dt.date.today(),
            form=form,
            time=time,
            maintenance_days=maintenance_days,
            allow_above_ceiling=allow_above_ceiling,
        )
        schedule = plan_titration(spec)
        if ics is not None:
            _write_ics(schedule, ics)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(schedule.as_dict())
    else:
        _print_schedule(schedule)
        if ics is not None:
            typer.echo(f"Calendar written to {ics}.")


def _write_ics(schedule: Schedule, path: Path) -> None:
    data = schedule_to_ics(schedule, generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    try:
        path.write_bytes(data)
    except OSError as error:
        raise LowdoseError(f"Cannot write {path}: {error.strerror}.", field="ics") from None


def register(app: typer.Typer) -> None:
    app.command()(plan)
