"""The main outcome of a course when the clinician has not chosen one: a product default.

Where a trial of LDN in the condition named a primary outcome, its daily counterpart is used;
ME/CFS has no such trial in our sources, so fatigue, its defining complaint, is a product choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from lowdose.ratings import RATINGS_BY_NAME


@dataclass(frozen=True)
class DefaultOutcome:
    outcome: str
    reason: str


#: In this order when a patient has several conditions.
CONDITION_DEFAULTS: tuple[tuple[str, DefaultOutcome], ...] = (
    (
        "fibromyalgia",
        DefaultOutcome(
            "pain",
            "pain was the primary outcome of the fibromyalgia trials of LDN (Younger et al. "
            "Arthritis Rheum 2013; FINAL, Bruun et al. Lancet Rheumatol 2024)",
        ),
    ),
    (
        "pots",
        DefaultOutcome(
            "fatigue",
            "fatigue (Fatigue VAS) is the primary outcome of the POTS trial of LDN, NCT05363514",
        ),
    ),
    (
        "me_cfs",
        DefaultOutcome(
            "fatigue", "fatigue is the defining complaint of ME/CFS; no trial primary outcome"
        ),
    ),
)
FALLBACK = DefaultOutcome("pain", "no condition-specific default applies")


def default_outcome(conditions: set[str]) -> DefaultOutcome:
    """The product default for a patient with these condition codes."""
    for condition, default in CONDITION_DEFAULTS:
        if condition in conditions:
            return default
    return FALLBACK


def describe_default(default: DefaultOutcome) -> str:
    label = RATINGS_BY_NAME[default.outcome].label
    return f"{label} — product default: {default.reason}."
