"""Hold windows: when to stop LDN before planned surgery or opioid use, and when to restart.

The day counts come from ``data/holds.yaml`` with their sources (expert opinion and label-derived
windows; no study addressed LDN specifically). The result is a suggestion for the clinician, who
decides.

>>> import datetime as dt
>>> window = plan_hold(dt.date(2026, 3, 10), exposure=OpioidExposure.NONE)
>>> window.last_dose_on, window.restart_on
(datetime.date(2026, 3, 6), datetime.date(2026, 3, 11))
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from lowdose.errors import LowdoseError

__all__ = ["HoldError", "HoldWindow", "OpioidExposure", "hold_rules", "plan_hold"]


class HoldError(LowdoseError):
    """Dates for a hold window that cannot be right."""


class OpioidExposure(enum.Enum):
    """What opioid, if any, is planned around the event."""

    NONE = "none"
    SHORT_ACTING = "short-acting"
    LONG_ACTING = "long-acting"


@dataclass(frozen=True)
class HoldRules:
    """The hold day counts and their sources, as read from ``data/holds.yaml``."""

    stop_before_days: int
    opioid_free_days: Mapping[OpioidExposure, tuple[int, int]]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class HoldWindow:
    """A suggested hold of LDN around one planned event.

    * ``last_dose_on``: the last day LDN is taken before the event;
    * ``first_day_off``: the first day without LDN;
    * ``restart_on``: the earliest restart: the day after the last opioid dose (or after the
      event when no opioid is planned); ``None`` while the last opioid day is not known;
    * ``cautious_restart``: the label-derived window (earliest, latest) of full opioid-free days
      before naltrexone, counted from the last opioid dose; ``None`` when no opioid is planned.
    """

    event_on: dt.date
    exposure: OpioidExposure
    last_dose_on: dt.date
    first_day_off: dt.date
    restart_on: dt.date | None
    cautious_restart: tuple[dt.date, dt.date] | None
    notes: tuple[str, ...]
    sources: tuple[str, ...]


@functools.cache
def hold_rules() -> HoldRules:
    """Load ``data/holds.yaml`` (once per process)."""
    text = resources.files("lowdose").joinpath("data/holds.yaml").read_text("utf-8")
    return _parse_rules(yaml.safe_load(text))


def _parse_rules(raw: Mapping[str, Any]) -> HoldRules:
    windows = raw["opioid_free_before_restart_days"]
    free = {
        exposure: (int(windows[exposure.value]["min"]), int(windows[exposure.value]["max"]))
        for exposure in (OpioidExposure.SHORT_ACTING, OpioidExposure.LONG_ACTING)
    }
    sources = tuple(raw["stop_before_days"]["sources"]) + tuple(windows["sources"])
    return HoldRules(int(raw["stop_before_days"]["value"]), free, sources)


def plan_hold(
    event_on: dt.date,
    *,
    exposure: OpioidExposure = OpioidExposure.SHORT_ACTING,
    last_opioid_on: dt.date | None = None,
) -> HoldWindow:
    """Suggest when to stop LDN before ``event_on`` and when to restart after it.

    ``event_on`` is the day of surgery or of the first planned opioid dose; ``last_opioid_on``
    the day of the last opioid dose, when known. The stop rule keeps ``stop_before_days`` full
    days without LDN before the event (3 days: at least 72 hours whatever the dose time).

    Raises :class:`HoldError` (field ``last_opioid_on``) when the last opioid day is before the
    event, or given although no opioid is planned; (field ``event_on``) when a window would fall
    outside the calendar (a mistyped year such as 0001 or 9999).

    >>> w = plan_hold(dt.date(2026, 3, 10), last_opioid_on=dt.date(2026, 3, 14))
    >>> w.restart_on, w.cautious_restart
    (datetime.date(2026, 3, 15), (datetime.date(2026, 3, 22), datetime.date(2026, 3, 25)))
    """
    try:
        return _window(event_on, exposure, last_opioid_on, hold_rules())
    except OverflowError:
        raise HoldError(
            "The hold window would fall outside the calendar: check the year.", field="event_on"
        ) from None


def _window(
    event_on: dt.date,
    exposure: OpioidExposure,
    last_opioid_on: dt.date | None,
    rules: HoldRules,
) -> HoldWindow:
    first_day_off = event_on - dt.timedelta(days=rules.stop_before_days)
    notes = [
        f"Stop LDN {rules.stop_before_days} days before: the last dose is on "
        f"{(first_day_off - dt.timedelta(days=1)).isoformat()}.",
        "Tell the surgeon and anaesthetist about LDN.",
    ]
    restart_on, cautious = _restart(event_on, exposure, last_opioid_on, rules, notes)
    return HoldWindow(
        event_on=event_on,
        exposure=exposure,
        last_dose_on=first_day_off - dt.timedelta(days=1),
        first_day_off=first_day_off,
        restart_on=restart_on,
        cautious_restart=cautious,
        notes=tuple(notes),
        sources=rules.sources,
    )


def _restart(
    event_on: dt.date,
    exposure: OpioidExposure,
    last_opioid_on: dt.date | None,
    rules: HoldRules,
    notes: list[str],
) -> tuple[dt.date | None, tuple[dt.date, dt.date] | None]:
    day = dt.timedelta(days=1)
    if exposure is OpioidExposure.NONE:
        if last_opioid_on is not None:
            raise HoldError(
                "A last opioid day was given, but no opioid is planned.", field="last_opioid_on"
            )
        notes.append("No opioid planned: restart the day after, once none was given.")
        return event_on + day, None
    if last_opioid_on is None:
        notes.append("Restart once completely off opioids: enter the last opioid day.")
        return None, None
    if last_opioid_on < event_on:
        raise HoldError(
            f"The last opioid day ({last_opioid_on.isoformat()}) is before the event "
            f"({event_on.isoformat()}).",
            field="last_opioid_on",
        )
    low, high = rules.opioid_free_days[exposure]
    notes.append(
        f"Restart once completely off opioids; the cautious label window asks for {low}-{high} "
        f"opioid-free days ({exposure.value} opioid) before naltrexone."
    )
    return last_opioid_on + day, (
        last_opioid_on + (low + 1) * day,
        last_opioid_on + (high + 1) * day,
    )
