"""The daily check-in vocabulary: the 0–10 ratings and the side effects a patient can report.

These names are shared by the diary, the demo clinic, the side-effect guidance and the analysis,
so they are defined once here. Each rating knows which direction is better.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

RATING_MIN = 0
RATING_MAX = 10


class Direction(enum.Enum):
    """Which way a rating improves."""

    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


@dataclass(frozen=True)
class Rating:
    """A daily 0–10 self-rating."""

    name: str
    label: str
    question: str
    low_anchor: str
    high_anchor: str
    direction: Direction

    @property
    def lower_is_better(self) -> bool:
        return self.direction is Direction.LOWER_IS_BETTER


DAILY_RATINGS: tuple[Rating, ...] = (
    Rating(
        "pain",
        "Pain",
        "How bad was your pain today?",
        "no pain",
        "worst imaginable",
        Direction.LOWER_IS_BETTER,
    ),
    Rating(
        "fatigue",
        "Fatigue",
        "How tired or drained were you today?",
        "none",
        "worst imaginable",
        Direction.LOWER_IS_BETTER,
    ),
    Rating(
        "brain_fog",
        "Brain fog",
        "How hard was it to think clearly today?",
        "clear",
        "worst imaginable",
        Direction.LOWER_IS_BETTER,
    ),
    Rating(
        "sleep_quality",
        "Sleep quality",
        "How well did you sleep last night?",
        "very badly",
        "very well",
        Direction.HIGHER_IS_BETTER,
    ),
    Rating(
        "mood",
        "Mood",
        "How was your mood today?",
        "very low",
        "very good",
        Direction.HIGHER_IS_BETTER,
    ),
    Rating(
        "orthostatic",
        "Symptoms on standing",
        "How bad were your symptoms when upright (dizziness, racing heart)?",
        "none",
        "worst imaginable",
        Direction.LOWER_IS_BETTER,
    ),
)

RATINGS_BY_NAME: dict[str, Rating] = {rating.name: rating for rating in DAILY_RATINGS}
RATING_NAMES: tuple[str, ...] = tuple(RATINGS_BY_NAME)


class SideEffect(enum.Enum):
    """Side effects a patient can tick in the daily check-in."""

    VIVID_DREAMS = "vivid_dreams"
    INSOMNIA = "insomnia"
    HEADACHE = "headache"
    NAUSEA = "nausea"
    BLOATING_CONSTIPATION = "bloating_constipation"
    IRRITABILITY = "irritability"
    FLARE = "flare"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SIDE_EFFECT_LABELS[self]


_SIDE_EFFECT_LABELS = {
    SideEffect.VIVID_DREAMS: "Vivid dreams",
    SideEffect.INSOMNIA: "Trouble sleeping",
    SideEffect.HEADACHE: "Headache",
    SideEffect.NAUSEA: "Nausea",
    SideEffect.BLOATING_CONSTIPATION: "Bloating or constipation",
    SideEffect.IRRITABILITY: "Irritability",
    SideEffect.FLARE: "Symptom flare",
    SideEffect.OTHER: "Something else",
}


class Severity(enum.IntEnum):
    """How bad a side effect was; ordered so that ``SEVERE > MILD``."""

    MILD = 1
    MODERATE = 2
    SEVERE = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def from_name(cls, name: str) -> Severity:
        """``"moderate"`` → ``Severity.MODERATE``; raises ``KeyError`` for unknown names."""
        return cls[name.strip().upper()]
