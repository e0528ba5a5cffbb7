"""Entry point of the ``lowdose`` command.

Each module in :data:`COMMAND_MODULES` exposes ``register(app)``, which adds its commands to the
root Typer application. Commands are thin: they parse options, call one core function and print.
"""

from __future__ import annotations

import importlib

import typer

#: Modules that add commands to ``lowdose``; each defines ``register(app: typer.Typer) -> None``.
COMMAND_MODULES: tuple[str, ...] = (
    "lowdose.cli.webapp",
    "lowdose.cli.score",
    "lowdose.cli.standtest",
    "lowdose.cli.analyze",
    "lowdose.cli.trial",
    "lowdose.cli.screen",
    "lowdose.cli.plan",
    "lowdose.cli.compound",
    "lowdose.cli.backup",
    "lowdose.cli.documents",
    "lowdose.cli.reports",
)

app = typer.Typer(
    name="lowdose",
    help="Plan, track and evaluate a course of low-dose naltrexone (LDN). Decision support only.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Run the ``lowdose`` command."""
    app()
