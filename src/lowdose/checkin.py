"""Validating a daily check-in before anything is stored.

The web form and the API both call :func:`validate_checkin`, so a check-in is refused for the
same reasons, with the same words, wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lowdose.errors import LowdoseError
from lowdose.ratings import RATING_MAX, RATING_MIN, RATINGS_BY_NAME, Severity, SideEffect

NOTE_MAX_CHARS = 2000


class CheckinError(LowdoseError):
    """A check-in that cannot be stored as given."""


@dataclass(frozen=True)
class ReportedSideEffect:
    effect: SideEffect
    severity: Severity


@dataclass(frozen=True)
class Checkin:
    """One day's entry, validated: ratings are whole numbers 0–10 (absent ones were skipped)."""

    date: dt.date
    late: bool
    dose_taken: bool | None
    dose_time: dt.time | None
    ratings: Mapping[str, int]
    side_effects: tuple[ReportedSideEffect, ...] = ()
    note: str = ""
    problems: tuple[str, ...] = field(default=())


def validate_checkin(
    *,
    date: dt.date,
    today: dt.date,
    dose_taken: bool | None,
    dose_time: dt.time | None = None,
    ratings: Mapping[str, Any],
    side_effects: Sequence[tuple[str, str]] = (),
    note: str = "",
    born: dt.date | None = None,
) -> Checkin:
    """Check a day's entry against the patient's local ``today`` (and date of birth, ``born``).

    A past date is accepted and marked late; a future date, or one before the patient was born,
    is refused. Ratings must be whole
    numbers from 0 to 10 for known rating names; ``None`` means skipped. Side effects are
    ``(name, severity)`` pairs, each effect at most once.
    """
    if date > today:
        raise CheckinError(
            f"{date:%-d %B %Y} is in the future; check-ins are for today or earlier.", field="date"
        )
    if born is not None and date < born:
        raise CheckinError(
            f"{date:%-d %B %Y} is before the date of birth on record ({born:%-d %B %Y}).",
            field="date",
        )
    if dose_time is not None and not dose_taken:
        raise CheckinError(
            "A dose time was given but the dose is not marked as taken.", field="dose_time"
        )
    if len(note) > NOTE_MAX_CHARS:
        raise CheckinError(f"The note is longer than {NOTE_MAX_CHARS} characters.", field="note")
    return Checkin(
        date=date,
        late=date < today,
        dose_taken=dose_taken,
        dose_time=dose_time,
        ratings=_validate_ratings(ratings),
        side_effects=_validate_side_effects(side_effects),
        note=note.strip(),
    )


def _validate_ratings(ratings: Mapping[str, Any]) -> dict[str, int]:
    clean: dict[str, int] = {}
    for name, value in ratings.items():
        if name not in RATINGS_BY_NAME:
            known = ", ".join(RATINGS_BY_NAME)
            raise CheckinError(
                f"'{name}' is not a daily rating (known: {known}).", field=f"ratings.{name}"
            )
        if value is None or value == "":
            continue
        label = RATINGS_BY_NAME[name].label
        if isinstance(value, bool) or not isinstance(value, int | str | float):
            raise CheckinError(
                f"{label} must be a whole number from 0 to 10.", field=f"ratings.{name}"
            )
        try:
            number = float(value)
        except ValueError:
            raise CheckinError(
                f"{label} must be a whole number from 0 to 10, not '{value}'.",
                field=f"ratings.{name}",
            ) from None
        if not math.isfinite(number) or number != int(number):
            raise CheckinError(
                f"{label} must be a whole number from 0 to 10, not '{value}'.",
                field=f"ratings.{name}",
            )
        if not RATING_MIN <= number <= RATING_MAX:
            raise CheckinError(
                f"{label} must be between 0 and 10, not {value}.", field=f"ratings.{name}"
            )
        clean[name] = int(number)
    return clean


def _validate_side_effects(pairs: Sequence[tuple[str, str]]) -> tuple[ReportedSideEffect, ...]:
    seen: set[SideEffect] = set()
    reported = []
    for name, severity_name in pairs:
        try:
            effect = SideEffect(name)
        except ValueError:
            known = ", ".join(e.value for e in SideEffect)
            raise CheckinError(
                f"'{name}' is not a side effect lowdose knows (known: {known}).",
                field="side_effects",
            ) from None
        try:
            severity = Severity.from_name(severity_name)
        except (KeyError, AttributeError):
            raise CheckinError(
                f"Severity of {effect.label.lower()} must be mild, moderate or severe.",
                field="side_effects",
            ) from None
        if effect in seen:
            raise CheckinError(f"{effect.label} is listed twice.", field="side_effects")
        seen.add(effect)
        reported.append(ReportedSideEffect(effect, severity))
    return tuple(reported)
