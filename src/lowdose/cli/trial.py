"""``lowdose trial``: blinded n-of-1 trials of LDN against placebo.

``lowdose trial design`` draws the randomized schedule the pharmacist prepares packs from. Its
JSON is the trial file that ``lowdose analyze --trial`` reads for the randomization test; keep it
with the pharmacy, since it reveals the allocation.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lowdose.analysis import design_trial, trial_to_dict
from lowdose.cli.output import emit_json, fail
from lowdose.errors import LowdoseError

trial_app = typer.Typer(
    name="trial",
    help="Blinded n-of-1 trials: LDN and placebo periods in randomized pairs.",
    no_args_is_help=True,
)


@trial_app.command()
def design(
    pairs: Annotated[int, typer.Option(help="Pairs of periods (one LDN, one placebo each).")],
    block_days: Annotated[int, typer.Option(help="Days in each period.")],
    washout_days: Annotated[
        int, typer.Option(help="Days at the start of each period left out of the analysis.")
    ] = 0,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (recorded; drawn when not given).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trial file as JSON.")] = False,
) -> None:
    """Randomize the order within each pair and state the smallest p-value the design can reach."""
    try:
        trial = design_trial(pairs, block_days, washout_days, seed)
    except LowdoseError as error:
        fail(error, as_json=as_json)
    if as_json:
        emit_json(trial_to_dict(trial))
        return
    typer.echo(
        f"{trial.pairs} pairs of {trial.block_days}-day periods, {trial.washout_days} washout "
        f"days each, {trial.total_days} days in all (seed {trial.seed})."
    )
    for period in trial.periods:
        typer.echo(
            f"  period {period.number:>2} (pair {period.pair}): days {period.first_day + 1}–"
            f"{period.last_day + 1}  {period.arm.value.upper()}"
        )
    typer.echo(f"Smallest reachable p-value (one-sided): {trial.min_p_value:.4g}")
    typer.echo(trial.recommendation)


def register(app: typer.Typer) -> None:
    app.add_typer(trial_app, name="trial")
