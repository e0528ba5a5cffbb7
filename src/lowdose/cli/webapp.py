"""Commands that run the web application: ``serve``, ``demo`` and ``manage``.

They import :mod:`lowdose.web` only when run, so the pure commands start fast without Django.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    dev: Annotated[bool, typer.Option("--dev", help="Django's development server.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (production).", min=1)] = 3,
) -> None:
    """Start the web application (gunicorn; Django's development server with --dev)."""
    from lowdose.web import runner

    try:
        runner.serve(host=host, port=port, dev=dev, workers=workers)
    except LowdoseError as error:
        fail(error)


def demo(
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same clinic.")
    ] = 1,
    patients: Annotated[int, typer.Option(help="Number of simulated patients.", min=2)] = 36,
    days: Annotated[int, typer.Option(help="Days of history (at most) per patient.", min=14)] = 140,
    keep_existing: Annotated[
        bool, typer.Option("--keep-existing", help="Keep a demo clinic that is already there.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Fill the database with a realistic demo clinic (migrating first when needed).

    An existing demo clinic is replaced, unless --keep-existing is given. Clinician alerts and
    evaluations are computed for clinics of up to 500 patients; for larger ones run
    `lowdose manage raise_alerts` and `lowdose manage refresh_estimates`.
    """
    from lowdose.web import runner

    try:
        runner.setup_django()
        runner.migrate(quiet=True)
        from lowdose.web import demo as demo_module

        result = demo_module.existing_demo_clinic() if keep_existing else None
        if result is None:
            result = demo_module.create_demo_clinic(
                seed=seed, n_patients=patients, n_days=days, progress=not as_json
            )
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(result)
        return
    typer.echo(
        f"Demo clinic '{result['clinic']}': {result['patients']} patients, "
        f"{result['checkins']} check-ins, {result['questionnaires']} questionnaires and "
        f"{result['stand_tests']} stand tests in {result['seconds']} s."
    )
    typer.echo("Log in with:")
    for user in result["users"]:
        typer.echo(f"  {user['role']:<11} {user['username']:<22} password: {user['password']}")


def manage(
    ctx: typer.Context,
) -> None:
    """Run a Django management command, e.g. ``lowdose manage check --deploy``."""
    from lowdose.web import runner

    runner.manage(list(ctx.args))


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)
    app.command(
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(manage)
