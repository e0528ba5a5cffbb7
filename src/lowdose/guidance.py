"""Side-effect guidance for the patient and alerts for the clinician, from sourced rules.

The rules live in ``lowdose/data/guidance_rules.yaml``, each with its sources. For a reported side
effect, :func:`advise` gives guidance in plain words, an :class:`Urgency` and a suggested
:class:`PlanChange` for the prescriber. Suggestions are never applied: changing the plan is the
prescriber's decision. :func:`clinician_alerts` scans a patient's recent diary.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from lowdose.errors import LowdoseError
from lowdose.ratings import Severity, SideEffect

RULES_FILE = "data/guidance_rules.yaml"


class GuidanceError(LowdoseError):
    """A side-effect report that cannot be judged (negative days, an increase before the start)."""


class Urgency(enum.Enum):
    """How soon the prescriber should hear about it, least urgent first."""

    SELF_CARE = "self_care"
    NEXT_CONTACT = "next_contact"  # tell your prescriber at the next contact
    CONTACT_NOW = "contact_now"  # contact your prescriber now

    @property
    def label(self) -> str:
        return _URGENCY_LABELS[self]


_URGENCY_LABELS = {
    Urgency.SELF_CARE: "Self-care",
    Urgency.NEXT_CONTACT: "Tell your prescriber at your next contact",
    Urgency.CONTACT_NOW: "Contact your prescriber now",
}


class PlanChange(enum.Enum):
    """A change to suggest to the prescriber; never applied by lowdose."""

    NONE = "none"
    MOVE_DOSE_TO_MORNING = "move_dose_to_morning"
    SLOW_TITRATION = "slow_titration"
    HALVE_AND_RETITRATE = "halve_and_retitrate"
    BACK_TO_PREVIOUS_STEP = "back_to_previous_step"
    HOLD = "hold"


class DoseTime(enum.Enum):
    """When in the day the dose is taken."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    BEDTIME = "bedtime"


def dose_time_from_clock(clock: dt.time) -> DoseTime:
    """Name the part of the day for a clock time (product default boundaries: 04, 12, 17, 21 h).

    >>> dose_time_from_clock(dt.time(22, 30))
    <DoseTime.BEDTIME: 'bedtime'>
    """
    hour = clock.hour
    if 4 <= hour < 12:
        return DoseTime.MORNING
    if 12 <= hour < 17:
        return DoseTime.AFTERNOON
    if 17 <= hour < 21:
        return DoseTime.EVENING
    return DoseTime.BEDTIME


@dataclass(frozen=True)
class Source:
    """Where a rule comes from; ``status`` is VERIFIED, PARTIAL or PRODUCT_DEFAULT."""

    id: str
    status: str
    citation: str


@dataclass(frozen=True)
class SideEffectReport:
    """A side effect as reported in a check-in, with the context the rules need.

    ``days_since_last_increase`` is ``None`` while the patient is still on the starting dose.
    """

    side_effect: SideEffect
    severity: Severity
    days_since_start: int
    days_since_last_increase: int | None
    dose_time: DoseTime

    def __post_init__(self) -> None:
        if self.days_since_start < 0:
            raise GuidanceError("Days since the course started cannot be negative.", field="days")
        last = self.days_since_last_increase
        if last is not None and not 0 <= last <= self.days_since_start:
            raise GuidanceError(
                "The last dose increase must fall between the course start and today.",
                field="days_since_last_increase",
            )

    @property
    def days_on_dose(self) -> int:
        """Days on the current dose."""
        if self.days_since_last_increase is None:
            return self.days_since_start
        return self.days_since_last_increase


@dataclass(frozen=True)
class Guidance:
    """What to tell the patient, how urgent it is, and what to suggest to the prescriber."""

    rule_id: str
    patient_text: str
    urgency: Urgency
    plan_change: PlanChange
    clinician_text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class _Rule:
    id: str
    side_effects: frozenset[SideEffect]
    severities: frozenset[Severity]
    dose_times: frozenset[DoseTime] | None
    at_most: int | None
    over: int | None
    guidance: Guidance

    def matches(self, report: SideEffectReport) -> bool:
        days = report.days_on_dose
        return (
            report.side_effect in self.side_effects
            and report.severity in self.severities
            and (self.dose_times is None or report.dose_time in self.dose_times)
            and (self.at_most is None or days <= self.at_most)
            and (self.over is None or days > self.over)
        )


@dataclass(frozen=True)
class RuleBook:
    """The parsed rules file: sources, settings (with their values) and ordered rules."""

    sources: Mapping[str, Source]
    settings: Mapping[str, int]
    alerts: Mapping[str, Mapping[str, Any]]
    rules: tuple[_Rule, ...]


def _days(value: Any, settings: Mapping[str, int]) -> int | None:
    if value is None:
        return None
    return settings[value] if isinstance(value, str) else int(value)


def _parse_rule(raw: Mapping[str, Any], book_sources: Mapping[str, Source], settings) -> _Rule:
    times = raw.get("dose_times")
    return _Rule(
        id=raw["id"],
        side_effects=frozenset(SideEffect(s) for s in raw["side_effects"]),
        severities=frozenset(Severity.from_name(s) for s in raw["severities"]),
        dose_times=frozenset(DoseTime(t) for t in times) if times else None,
        at_most=_days(raw.get("days_on_dose_at_most"), settings),
        over=_days(raw.get("days_on_dose_over"), settings),
        guidance=Guidance(
            rule_id=raw["id"],
            patient_text=" ".join(raw["patient"].split()),
            urgency=Urgency(raw["urgency"]),
            plan_change=PlanChange(raw["plan_change"]),
            clinician_text=" ".join(raw["clinician"].split()),
            sources=tuple(book_sources[s] for s in raw["sources"]),
        ),
    )


def parse_rule_book(raw: Mapping[str, Any]) -> RuleBook:
    """Build a :class:`RuleBook` from the parsed YAML mapping."""
    sources = {
        key: Source(key, str(v["status"]), " ".join(str(v["citation"]).split()))
        for key, v in raw["sources"].items()
    }
    settings = {key: int(v["value"]) for key, v in raw["settings"].items()}
    for key, v in [*raw["settings"].items(), *raw["alerts"].items()]:
        if v.get("source") not in sources:
            raise ValueError(f"{key}: unknown source {v.get('source')!r}")
    rules = tuple(_parse_rule(r, sources, settings) for r in raw["rules"])
    return RuleBook(sources, settings, raw["alerts"], rules)


@functools.cache
def load_rule_book() -> RuleBook:
    """The shipped rules (read once)."""
    text = resources.files("lowdose").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_rule_book(yaml.safe_load(text))


def advise(report: SideEffectReport, book: RuleBook | None = None) -> Guidance:
    """Guidance for one reported side effect: the first rule that matches.

    >>> report = SideEffectReport(SideEffect.VIVID_DREAMS, Severity.MILD, 10, 3, DoseTime.BEDTIME)
    >>> advise(report).plan_change.value, advise(report).urgency.value
    ('move_dose_to_morning', 'next_contact')
    """
    rules = (book or load_rule_book()).rules
    for rule in rules:
        if rule.matches(report):
            return rule.guidance
    # every side effect and severity is covered by the shipped rules; reaching here is a bug
    raise LookupError(f"no guidance rule matches {report!r}")


# --- clinician alerts ---------------------------------------------------------------------------


class AlertKind(enum.Enum):
    SEVERE_SIDE_EFFECT = "severe_side_effect"
    LATE_FLARE = "late_flare"
    MISSED_DOSES = "missed_doses"
    QUESTIONNAIRE_OVERDUE = "questionnaire_overdue"


@dataclass(frozen=True)
class DiaryDay:
    """One day of a patient's diary: whether the dose was taken (``None``: not recorded)."""

    day: dt.date
    dose_taken: bool | None
    side_effects: tuple[tuple[SideEffect, Severity], ...] = ()


@dataclass(frozen=True)
class Alert:
    """Something the clinician should look at, with the day it refers to and its source."""

    kind: AlertKind
    day: dt.date
    message: str
    source: Source


def clinician_alerts(
    diary: Sequence[DiaryDay],
    *,
    course_start: dt.date,
    dose_increases: Sequence[dt.date] = (),
    overdue_questionnaires: Sequence[tuple[str, dt.date]] = (),
    book: RuleBook | None = None,
) -> tuple[Alert, ...]:
    """Alerts from a patient's recent diary (the caller chooses how many days to pass).

    ``overdue_questionnaires`` are (instrument name, due date) pairs, e.g. from
    :func:`lowdose.instruments.schedule_status` where the state is overdue.
    """
    rules = book or load_rule_book()
    days = sorted(diary, key=lambda d: d.day)
    alerts = _side_effect_alerts(days, course_start, sorted(dose_increases), rules)
    alerts += _missed_dose_alerts(days, rules)
    source = rules.sources[rules.alerts["questionnaire_overdue"]["source"]]
    alerts += [
        Alert(AlertKind.QUESTIONNAIRE_OVERDUE, due, f"{name} was due on {due:%d %b %Y}.", source)
        for name, due in overdue_questionnaires
    ]
    return tuple(sorted(alerts, key=lambda a: (a.day, a.kind.value)))


def _side_effect_alerts(
    days: Sequence[DiaryDay],
    course_start: dt.date,
    increases: Sequence[dt.date],
    book: RuleBook,
) -> list[Alert]:
    severe_at = Severity.from_name(book.alerts["severe_side_effect"]["min_severity"])
    severe_source = book.sources[book.alerts["severe_side_effect"]["source"]]
    flare_source = book.sources[book.alerts["late_flare"]["source"]]
    window = book.settings["flare_window_days"]
    alerts = []
    for entry in days:
        changed = max([course_start, *(d for d in increases if d <= entry.day)])
        for effect, severity in entry.side_effects:
            if severity >= severe_at:
                text = f"Severe side effect reported: {effect.label.lower()}."
                alerts.append(Alert(AlertKind.SEVERE_SIDE_EFFECT, entry.day, text, severe_source))
            elif effect is SideEffect.FLARE and (entry.day - changed).days > window:
                text = (
                    f"Symptom flare {(entry.day - changed).days} days after the last dose change."
                )
                alerts.append(Alert(AlertKind.LATE_FLARE, entry.day, text, flare_source))
    return alerts


def _missed_dose_alerts(days: Sequence[DiaryDay], book: RuleBook) -> list[Alert]:
    threshold = int(book.alerts["missed_doses_in_a_row"]["value"])
    source = book.sources[book.alerts["missed_doses_in_a_row"]["source"]]
    alerts, run = [], []
    for entry in [*days, None]:
        continues = (
            entry is not None
            and entry.dose_taken is False
            and (not run or (entry.day - run[-1].day).days == 1)
        )
        if continues:
            run.append(entry)
            continue
        if len(run) >= threshold:
            text = f"Dose recorded as not taken on {len(run)} days in a row."
            alerts.append(Alert(AlertKind.MISSED_DOSES, run[-1].day, text, source))
        run = [entry] if entry is not None and entry.dose_taken is False else []
    return alerts
