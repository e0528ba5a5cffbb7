"""An LDN course over time: its phases and the conditions it is prescribed for.

A course has a baseline (diary kept, no LDN yet), a titration (dose rising step by step), a
maintenance phase (the target dose reached) and may be stopped. The phase of any day follows
from four dates, so it is computed, never stored per day.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lowdose.errors import LowdoseError


class Phase(enum.Enum):
    """The part of a course a day belongs to (see GLOSSARY.md)."""

    BASELINE = "baseline"
    TITRATION = "titration"
    MAINTENANCE = "maintenance"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Condition(enum.Enum):
    """Conditions LDN is prescribed for off-label; the coded list of the patient profile."""

    POTS = "pots"
    FIBROMYALGIA = "fibromyalgia"
    ME_CFS = "me_cfs"
    LONG_COVID = "long_covid"
    MULTIPLE_SCLEROSIS = "multiple_sclerosis"
    CROHNS = "crohns"
    ULCERATIVE_COLITIS = "ulcerative_colitis"
    HASHIMOTOS = "hashimotos"
    RHEUMATOID_ARTHRITIS = "rheumatoid_arthritis"
    LUPUS = "lupus"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CONDITION_LABELS[self]


CONDITION_LABELS: dict[Condition, str] = {
    Condition.POTS: "POTS",
    Condition.FIBROMYALGIA: "Fibromyalgia",
    Condition.ME_CFS: "ME/CFS",
    Condition.LONG_COVID: "Long COVID",
    Condition.MULTIPLE_SCLEROSIS: "Multiple sclerosis",
    Condition.CROHNS: "Crohn's disease",
    Condition.ULCERATIVE_COLITIS: "Ulcerative colitis",
    Condition.HASHIMOTOS: "Hashimoto's thyroiditis",
    Condition.RHEUMATOID_ARTHRITIS: "Rheumatoid arthritis",
    Condition.LUPUS: "Lupus",
    Condition.OTHER: "Other",
}


class CourseDatesError(LowdoseError):
    """Course dates that contradict each other."""


@dataclass(frozen=True)
class CourseDates:
    """The dates that divide a course into phases.

    ``start`` is the day of the first LDN dose; the baseline runs from ``baseline_start`` to the day
    before. ``maintenance_start`` is the first day at the target dose; ``stopped_on`` the first day
    without LDN.
    """

    baseline_start: dt.date
    start: dt.date
    maintenance_start: dt.date | None = None
    stopped_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.baseline_start > self.start:
            raise CourseDatesError(
                "The baseline must begin on or before the first dose.", field="baseline_start"
            )
        if self.maintenance_start is not None and self.maintenance_start < self.start:
            raise CourseDatesError(
                "Maintenance cannot begin before the first dose.", field="maintenance_start"
            )
        if self.stopped_on is not None and self.stopped_on <= self.start:
            raise CourseDatesError(
                "A course must be stopped after its first dose.", field="stopped_on"
            )

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase of ``day``, or ``None`` before the baseline began.

        >>> dates = CourseDates(dt.date(2026, 1, 1), dt.date(2026, 1, 15), dt.date(2026, 2, 12))
        >>> dates.phase_on(dt.date(2026, 1, 14)), dates.phase_on(dt.date(2026, 2, 12))
        (<Phase.BASELINE: 'baseline'>, <Phase.MAINTENANCE: 'maintenance'>)
        """
        if day < self.baseline_start:
            return None
        if self.stopped_on is not None and day >= self.stopped_on:
            return Phase.STOPPED
        if day < self.start:
            return Phase.BASELINE
        if self.maintenance_start is not None and day >= self.maintenance_start:
            return Phase.MAINTENANCE
        return Phase.TITRATION


def dose_on(steps: Sequence[tuple[dt.date, Decimal]], day: dt.date) -> Decimal | None:
    """The dose in effect on ``day`` from ``(effective date, mg)`` steps sorted by date.

    ``None`` before the first step.

    >>> dose_on([(dt.date(2026, 1, 1), Decimal("1.5")), (dt.date(2026, 1, 15), Decimal("3"))],
    ...         dt.date(2026, 1, 20))
    Decimal('3')
    """
    current: Decimal | None = None
    for effective, mg in steps:
        if effective > day:
            break
        current = mg
    return current
