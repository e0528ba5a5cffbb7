"""What the analysis knows about an outcome: direction, range and clinical thresholds.

Directions and ranges of the daily ratings come from :mod:`lowdose.ratings`; the thresholds
(IMMPACT responder percentages, the minimal important difference, published placebo responses,
course lengths) come from ``data/outcomes.yaml`` with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from lowdose.ratings import RATING_MAX, RATING_MIN, RATINGS_BY_NAME, Direction


@dataclass(frozen=True)
class Thresholds:
    """Clinical thresholds, each as published (percentages are of the comparison mean)."""

    moderate_percent: float
    substantial_percent: float
    responder_source: str
    minimal_important_percent: float
    minimal_important_source: str
    placebo_responses: tuple[tuple[str, str, str], ...]  # (outcome, text, source)
    min_maintenance_days: int
    min_baseline_days: int
    course_source: str


@dataclass(frozen=True)
class OutcomeSpec:
    """One outcome to analyse.

    ``mcid`` is an absolute minimal important difference in the outcome's units, or ``None`` to use
    the published percentage of the comparison mean. ``value_range`` is checked when known.
    ``basis`` says whether the thresholds were studied for this outcome (``direct``) or borrowed
    from pain (``by_analogy``).
    """

    name: str
    label: str
    direction: Direction
    value_range: tuple[float, float] | None = None
    mcid: float | None = None
    basis: str = "by_analogy"

    @property
    def lower_is_better(self) -> bool:
        return self.direction is Direction.LOWER_IS_BETTER


@cache
def load_thresholds() -> Thresholds:
    """Read ``data/outcomes.yaml`` once."""
    text = resources.files("lowdose").joinpath("data/outcomes.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return Thresholds(
        moderate_percent=float(raw["responder"]["moderate_percent"]),
        substantial_percent=float(raw["responder"]["substantial_percent"]),
        responder_source=raw["responder"]["source"],
        minimal_important_percent=float(raw["minimal_important"]["percent"]),
        minimal_important_source=raw["minimal_important"]["source"],
        placebo_responses=tuple(
            (p["outcome"], p["text"], p["source"]) for p in raw["placebo_response"]
        ),
        min_maintenance_days=int(raw["course_length"]["min_maintenance_days"]),
        min_baseline_days=int(raw["course_length"]["min_baseline_days"]),
        course_source=raw["course_length"]["source"],
    )


@cache
def _bases() -> dict[str, str]:
    text = resources.files("lowdose").joinpath("data/outcomes.yaml").read_text(encoding="utf-8")
    return {k: v["basis"] for k, v in yaml.safe_load(text)["outcomes"].items()}


def outcome_spec(
    name: str, *, better: Direction | None = None, mcid: float | None = None
) -> OutcomeSpec:
    """The spec for ``name``: a daily rating knows its direction and 0–10 range; any other
    outcome takes ``better`` (default lower is better) and has no range check.

    >>> outcome_spec("mood").lower_is_better
    False
    >>> outcome_spec("steps", better=Direction.HIGHER_IS_BETTER).value_range is None
    True
    """
    rating = RATINGS_BY_NAME.get(name)
    if rating is None:
        return OutcomeSpec(name, name, better or Direction.LOWER_IS_BETTER, None, mcid)
    return OutcomeSpec(
        name,
        rating.label,
        rating.direction,
        (float(RATING_MIN), float(RATING_MAX)),
        mcid,
        _bases().get(name, "by_analogy"),
    )
