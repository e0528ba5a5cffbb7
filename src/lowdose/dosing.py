"""The titration planner: from a plan to a day-by-day schedule, with revisions replayed on top.

A :class:`PlanSpec` says how to climb (start dose, step, interval, target, ceiling); the
*ladder* is the doses it passes through, ending exactly at the target. A :class:`Revision` (step
back, hold, change interval, resume) is a value with who, when and why, so the web layer can store
revisions and replay them: the current schedule is always ``current_schedule(spec, revisions)``.

Invariants, for any valid plan and revisions: every day from the first to the last has exactly one
dose; no dose is above the target or the ceiling; the last step is the target unless a revision
holds the climb below it.

>>> import datetime as dt
>>> spec = make_plan_spec(start="1", step="1", every=7, target="4.5", start_date="2026-01-05")
>>> [(s.first_day.isoformat(), s.dose.text) for s in plan_titration(spec).steps]
[('2026-01-05', '1'), ('2026-01-12', '2'), ('2026-01-19', '3'), ('2026-01-26', '4'), \
('2026-02-02', '4.5')]
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowdose.dose import Dose, DoseError, check_low_dose, parse_dose
from lowdose.errors import LowdoseError

__all__ = [
    "DEFAULT_CEILING_MG",
    "MOST_STUDIED_DOSE_MG",
    "DoseForm",
    "DoseTime",
    "PlanError",
    "PlanSpec",
    "Revision",
    "RevisionKind",
    "Schedule",
    "ScheduledDose",
    "Step",
    "apply_revision",
    "change_interval",
    "current_schedule",
    "hold",
    "make_plan_spec",
    "parse_date",
    "plan_titration",
    "resume",
    "slip_warning",
    "step_back",
    "steps_from_plan_json",
]

#: Default ceiling. The FINAL fibromyalgia trial titrated to 6 mg (Bruun et al., Lancet Rheumatol
#: 2024); the ME/CFS dose-finding trial's highest arm is 6.0 mg (NCT07285473); Bruun-Plesner 2020
#: explored 0.75-6 mg (Pain Med 2020;21(10):2253-2261).
DEFAULT_CEILING_MG = Decimal("6")
_DEFAULT_CEILING = Dose(DEFAULT_CEILING_MG)

#: Doses above this get a warning: 4.5 mg/day is the most-studied LDN dose (Younger J et al.
#: Arthritis Rheum 2013;65(2):529-538; Toljan & Vrooman, Med Sci 2018;6(4):82).
MOST_STUDIED_DOSE_MG = Decimal("4.5")

#: A dose exactly this many times (or this fraction of) the previous one is probably a slip of
#: the decimal point or of mg/mcg (a product safety check: no LDN regimen steps tenfold).
SLIP_FACTOR = Decimal(10)

#: A schedule longer than this is refused as a bug guard (ten years), not a clinical limit.
MAX_SCHEDULE_DAYS = 3653

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ONE_DAY = dt.timedelta(days=1)


class PlanError(LowdoseError):
    """A titration plan or revision that cannot be right."""


class DoseForm(enum.Enum):
    """How the pharmacy dispenses the doses."""

    CAPSULE = "capsule"
    LIQUID = "liquid"


class DoseTime(enum.Enum):
    """When in the day the dose is taken (trials mostly dose at night; morning for poor sleep)."""

    MORNING = "morning"
    BEDTIME = "bedtime"


@dataclass(frozen=True)
class PlanSpec:
    """A titration plan. Construct it with :func:`make_plan_spec` to read text input.

    ``maintenance_days`` is how long the schedule shows the target dose (default: one interval);
    the course continues at the target after that until it is revised.
    """

    start: Dose
    step: Dose
    interval_days: int
    target: Dose
    start_date: dt.date
    ceiling: Dose = _DEFAULT_CEILING
    form: DoseForm = DoseForm.CAPSULE
    time: DoseTime = DoseTime.BEDTIME
    maintenance_days: int | None = None
    allow_above_ceiling: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "step", "target", "ceiling"):
            _check_positive_low(getattr(self, name), name)
        if self.interval_days < 1:
            raise PlanError("The interval must be at least 1 day.", field="every")
        if self.maintenance_days is not None and self.maintenance_days < 1:
            raise PlanError("Maintenance must last at least 1 day.", field="maintenance_days")
        if self.step > self.target:
            raise PlanError(
                f"The step ({self.step}) is larger than the target ({self.target}).", field="step"
            )
        if self.start > self.target:
            raise PlanError(
                f"The start dose ({self.start}) is above the target ({self.target}).",
                field="start",
            )
        if self.target > self.ceiling and not self.allow_above_ceiling:
            raise PlanError(
                f"The target ({self.target}) is above the ceiling ({self.ceiling}); raise the "
                "ceiling or allow it explicitly.",
                field="target",
            )

    @property
    def ladder(self) -> tuple[Dose, ...]:
        """The doses the plan climbs through: start, start + step, ..., then exactly the target."""
        doses = []
        mg = self.start.mg
        while mg < self.target.mg:
            doses.append(Dose(mg))
            mg += self.step.mg
        return (*doses, self.target)

    @property
    def maintenance(self) -> int:
        """Days the schedule shows at the target (``maintenance_days`` or one interval)."""
        return self.maintenance_days or self.interval_days


def _check_positive_low(dose: Dose, name: str) -> None:
    if dose.mg <= 0:
        raise PlanError(f"The {name} dose must be more than 0 mg.", field=name)
    try:
        check_low_dose(dose)
    except DoseError as error:
        raise DoseError(error.message, field=name) from error


@dataclass(frozen=True)
class Step:
    """One titration step: the same dose every day from ``first_day`` to ``last_day``."""

    first_day: dt.date
    last_day: dt.date
    dose: Dose

    @property
    def days(self) -> int:
        """Number of days in the step, both ends included."""
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class ScheduledDose:
    """The dose for one day of the schedule."""

    day: dt.date
    dose: Dose


class RevisionKind(enum.Enum):
    """What a revision does to the schedule from its effective day."""

    STEP_BACK = "step_back"
    HOLD = "hold"
    CHANGE_INTERVAL = "change_interval"
    RESUME = "resume"


@dataclass(frozen=True)
class Revision:
    """A change to a running plan, kept with who made it, when and why.

    * ``STEP_BACK``: go down to ``dose`` (default: the previous dose on the ladder) and climb
      again after a full interval;
    * ``HOLD``: stay at the current dose for ``days`` days (``None``: until a ``RESUME``);
    * ``CHANGE_INTERVAL``: climb every ``days`` days from now on;
    * ``RESUME``: end a hold; the next step comes once the current dose has had a full interval.
    """

    kind: RevisionKind
    effective: dt.date
    by: str
    at: dt.datetime
    reason: str
    dose: Dose | None = None
    days: int | None = None

    def __post_init__(self) -> None:
        if not self.by.strip():
            raise PlanError("A revision must say who made it.", field="by")
        if not self.reason.strip():
            raise PlanError("A revision must say why it was made.", field="reason")
        if self.kind is RevisionKind.CHANGE_INTERVAL and (self.days is None or self.days < 1):
            raise PlanError("The new interval must be at least 1 day.", field="days")
        if self.kind is RevisionKind.HOLD and self.days is not None and self.days < 1:
            raise PlanError("A hold must last at least 1 day.", field="days")
        if self.dose is not None and self.kind is not RevisionKind.STEP_BACK:
            raise PlanError("Only a step back takes a dose.", field="dose")
        if self.dose is not None and self.dose.mg <= 0:
            raise PlanError("A step back needs a dose above 0 mg.", field="dose")

    def describe(self) -> str:
        """One line for the plan's history: what, from when, who, when and why.

        >>> hold(dt.date(2026, 1, 13), days=7, by="dr.lee", at=dt.datetime(2026, 1, 12, 9, 30),
        ...      reason="vivid dreams").describe()
        'From 2026-01-13: hold the dose for 7 days (dr.lee, 2026-01-12 09:30): vivid dreams'
        """
        if self.kind is RevisionKind.STEP_BACK:
            what = f"step back to {self.dose}" if self.dose else "step back to the previous dose"
        elif self.kind is RevisionKind.HOLD:
            what = f"hold the dose for {self.days} days" if self.days else "hold until resumed"
        elif self.kind is RevisionKind.CHANGE_INTERVAL:
            what = f"step up every {self.days} days"
        else:
            what = "resume the titration"
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"From {self.effective.isoformat()}: {what} ({self.by}, {when}): {self.reason}"


def step_back(
    effective: dt.date, *, by: str, at: dt.datetime, reason: str, to: Dose | None = None
) -> Revision:
    """A step back to ``to`` (default: the previous dose on the ladder) from ``effective``."""
    return Revision(RevisionKind.STEP_BACK, effective, by, at, reason, dose=to)


def hold(
    effective: dt.date, *, by: str, at: dt.datetime, reason: str, days: int | None = None
) -> Revision:
    """Pause the climb for ``days`` days from ``effective`` (``None``: until resumed)."""
    return Revision(RevisionKind.HOLD, effective, by, at, reason, days=days)


def change_interval(
    effective: dt.date, days: int, *, by: str, at: dt.datetime, reason: str
) -> Revision:
    """Climb every ``days`` days from ``effective`` on."""
    return Revision(RevisionKind.CHANGE_INTERVAL, effective, by, at, reason, days=days)


def resume(effective: dt.date, *, by: str, at: dt.datetime, reason: str) -> Revision:
    """End a hold from ``effective``."""
    return Revision(RevisionKind.RESUME, effective, by, at, reason)


@dataclass(frozen=True)
class Schedule:
    """The current schedule: its steps, the revisions it includes and its warnings.

    After ``last_day`` the course continues at the last step's dose until it is revised.
    """

    spec: PlanSpec
    steps: tuple[Step, ...]
    revisions: tuple[Revision, ...]
    warnings: tuple[str, ...]

    @property
    def first_day(self) -> dt.date:
        return self.steps[0].first_day

    @property
    def last_day(self) -> dt.date:
        return self.steps[-1].last_day

    @property
    def days(self) -> tuple[ScheduledDose, ...]:
        """Every day of the schedule with its dose, in order."""
        return tuple(
            ScheduledDose(step.first_day + n * _ONE_DAY, step.dose)
            for step in self.steps
            for n in range(step.days)
        )

    def dose_on(self, day: dt.date) -> Dose | None:
        """The dose for ``day``: ``None`` before the start, the last dose after the end."""
        if day < self.first_day:
            return None
        for step in self.steps:
            if step.first_day <= day <= step.last_day:
                return step.dose
        return self.steps[-1].dose

    def as_dict(self) -> dict[str, Any]:
        """The shape of ``lowdose plan --json``: steps with decimal-string doses, warnings."""
        return {
            "steps": [
                {"from": s.first_day, "to": s.last_day, "dose_mg": s.dose.mg} for s in self.steps
            ],
            "warnings": list(self.warnings),
            "form": self.spec.form.value,
            "time": self.spec.time.value,
            "target_mg": self.spec.target.mg,
            "ceiling_mg": self.spec.ceiling.mg,
        }


# ------------------------------------------------------------------------------ input parsing


def parse_date(text: str | dt.date, *, field: str = "start_date") -> dt.date:
    """Read a date written as YYYY-MM-DD; anything else is refused with the field named.

    >>> parse_date("2026-01-05")
    datetime.date(2026, 1, 5)
    """
    if isinstance(text, dt.date):
        return text
    raw = text.strip()
    if not _ISO_DATE_RE.match(raw):
        raise PlanError(f"'{raw}' is not a date written as YYYY-MM-DD.", field=field)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as error:
        raise PlanError(f"'{raw}' is not a real date.", field=field) from error


def _dose_field(value: str | Decimal | Dose, field: str) -> Dose:
    if isinstance(value, Dose):
        return value
    try:
        return parse_dose(value)
    except DoseError as error:
        raise DoseError(error.message, field=field) from error


def _enum_field(enum_type: type[enum.Enum], value: str | enum.Enum, field: str) -> Any:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(str(value).strip().lower())
    except ValueError as error:
        choices = ", ".join(str(member.value) for member in enum_type)
        raise PlanError(f"'{value}' is not one of: {choices}.", field=field) from error


def make_plan_spec(
    *,
    start: str | Decimal | Dose,
    step: str | Decimal | Dose,
    every: int,
    target: str | Decimal | Dose,
    start_date: str | dt.date,
    ceiling: str | Decimal | Dose | None = None,
    form: str | DoseForm = DoseForm.CAPSULE,
    time: str | DoseTime = DoseTime.BEDTIME,
    maintenance_days: int | None = None,
    allow_above_ceiling: bool = False,
) -> PlanSpec:
    """Build a :class:`PlanSpec` from what a person typed; errors name the field at fault.

    Doses accept "1.5", "1.5 mg", "1.5mg" or "1500 mcg" (bare numbers are mg).

    >>> make_plan_spec(start="500 mcg", step="0.5", every=14, target="4.5",
    ...                start_date="2026-01-05").start.text
    '0.5'
    """
    return PlanSpec(
        start=_dose_field(start, "start"),
        step=_dose_field(step, "step"),
        interval_days=every,
        target=_dose_field(target, "target"),
        start_date=parse_date(start_date),
        ceiling=_dose_field(ceiling, "ceiling")
        if ceiling is not None
        else Dose(DEFAULT_CEILING_MG),
        form=_enum_field(DoseForm, form, "form"),
        time=_enum_field(DoseTime, time, "time"),
        maintenance_days=maintenance_days,
        allow_above_ceiling=allow_above_ceiling,
    )


# ------------------------------------------------------------------------------------ warnings


def slip_warning(previous: Dose, new: Dose) -> str | None:
    """A warning when ``new`` is exactly 10x or 1/10 of ``previous`` (a probable slip).

    >>> slip_warning(Dose(Decimal("0.45")), Dose(Decimal("4.5")))
    '4.5 mg is exactly 10 times 0.45 mg: check for a slipped decimal point or mg/mcg mix-up.'
    """
    if previous.mg == 0 or new.mg == 0:
        return None
    if new.mg == previous.mg * SLIP_FACTOR:
        ratio = "10 times"
    elif new.mg * SLIP_FACTOR == previous.mg:
        ratio = "one tenth of"
    else:
        return None
    return (
        f"{new} is exactly {ratio} {previous}: check for a slipped decimal point or mg/mcg mix-up."
    )


def _warnings(spec: PlanSpec, steps: Sequence[Step]) -> tuple[str, ...]:
    warnings: list[str] = []
    highest = max(step.dose for step in steps)
    if highest.mg > MOST_STUDIED_DOSE_MG:
        warnings.append(
            f"{highest} is above 4.5 mg, the most-studied LDN dose (Younger 2013); "
            "check that a higher dose is intended."
        )
    if spec.target > spec.ceiling:
        warnings.append(
            f"The target ({spec.target}) is above the ceiling ({spec.ceiling}), explicitly allowed."
        )
    for before, after in itertools.pairwise(steps):
        slip = slip_warning(before.dose, after.dose)
        if slip:
            warnings.append(f"{after.first_day.isoformat()}: {slip}")
    return tuple(dict.fromkeys(warnings))


# ------------------------------------------------------------------------------------ planning


def plan_titration(spec: PlanSpec) -> Schedule:
    """The schedule of a plan before any revision.

    >>> spec = make_plan_spec(start="1.5", step="1.5", every=14, target="4.5",
    ...                       start_date="2026-01-05")
    >>> [(s.dose.text, s.days) for s in plan_titration(spec).steps]
    [('1.5', 14), ('3', 14), ('4.5', 14)]
    """
    return current_schedule(spec, ())


@dataclass
class _State:
    """The replay state: mutable only inside :func:`current_schedule`."""

    dose: Dose
    interval: int
    days_at_dose: int = 0
    held_until: dt.date | None = None


def current_schedule(spec: PlanSpec, revisions: Iterable[Revision]) -> Schedule:
    """Replay ``revisions`` (ordered by effective day, then by when they were made) on the plan.

    Raises :class:`PlanError` for a revision dated before the plan starts, or a step back with
    nowhere lower to go.
    """
    ordered = tuple(sorted(revisions, key=lambda r: (r.effective, r.at)))
    for revision in ordered:
        if revision.effective < spec.start_date:
            raise PlanError(
                f"A revision on {revision.effective.isoformat()} is before the plan starts "
                f"({spec.start_date.isoformat()}).",
                field="effective",
            )
    ladder = spec.ladder
    state = _State(ladder[0], spec.interval_days)
    days: list[ScheduledDose] = []
    warnings: list[str] = []
    pending = list(ordered)
    day = spec.start_date
    while True:
        while pending and pending[0].effective == day:
            warnings.extend(_apply(pending.pop(0), state, ladder))
        _climb_if_due(state, ladder, day)
        days.append(ScheduledDose(day, state.dose))
        state.days_at_dose += 1
        if not pending and _settled(state, spec):
            break
        if len(days) >= MAX_SCHEDULE_DAYS:
            raise PlanError("The schedule would run for more than ten years.", field="revisions")
        day += _ONE_DAY
    steps = _group(days)
    return Schedule(
        spec, steps, ordered, tuple(dict.fromkeys((*_warnings(spec, steps), *warnings)))
    )


def _apply(revision: Revision, state: _State, ladder: Sequence[Dose]) -> list[str]:
    """Apply one revision to the replay state; return any warning it raises."""
    if revision.kind is RevisionKind.HOLD:
        state.held_until = (
            revision.effective + (revision.days - 1) * _ONE_DAY
            if revision.days is not None
            else dt.date.max
        )
    elif revision.kind is RevisionKind.RESUME:
        state.held_until = None
    elif revision.kind is RevisionKind.CHANGE_INTERVAL:
        assert revision.days is not None  # checked when the revision was made
        state.interval = revision.days
    else:
        return _step_back(revision, state, ladder)
    return []


def _step_back(revision: Revision, state: _State, ladder: Sequence[Dose]) -> list[str]:
    lower = [dose for dose in ladder if dose < state.dose]
    to = revision.dose or (lower[-1] if lower else None)
    if to is None:
        raise PlanError(
            f"On {revision.effective.isoformat()} the dose ({state.dose}) is already the first "
            "step: give the lower dose to step back to.",
            field="dose",
        )
    if to >= state.dose:
        raise PlanError(
            f"A step back must go below the current dose ({state.dose}), not to {to}.",
            field="dose",
        )
    slip = slip_warning(state.dose, to)
    state.dose, state.days_at_dose = to, 0
    return [f"{revision.effective.isoformat()}: {slip}"] if slip else []


def _climb_if_due(state: _State, ladder: Sequence[Dose], day: dt.date) -> None:
    held = state.held_until is not None and day <= state.held_until
    if held or state.days_at_dose < state.interval:
        return
    higher = [dose for dose in ladder if dose > state.dose]
    if higher:
        state.dose, state.days_at_dose = higher[0], 0


def _settled(state: _State, spec: PlanSpec) -> bool:
    """True once the schedule has shown its resting dose long enough to stop."""
    at_target = state.dose == spec.target
    held_open = state.held_until == dt.date.max  # held until a resume that has not come
    return (at_target or held_open) and state.days_at_dose >= spec.maintenance


def _group(days: Sequence[ScheduledDose]) -> tuple[Step, ...]:
    steps: list[Step] = []
    for entry in days:
        if steps and steps[-1].dose == entry.dose:
            steps[-1] = Step(steps[-1].first_day, entry.day, entry.dose)
        else:
            steps.append(Step(entry.day, entry.day, entry.dose))
    return tuple(steps)


def apply_revision(spec: PlanSpec, revisions: Sequence[Revision], new: Revision) -> Schedule:
    """The schedule with ``new`` added to ``revisions``; raises if ``new`` cannot apply.

    The web layer calls this before storing a revision, so nothing invalid is ever saved.
    """
    return current_schedule(spec, (*revisions, new))


# ------------------------------------------------------------------------ plan files (JSON)


def steps_from_plan_json(data: Mapping[str, Any]) -> tuple[Step, ...]:
    """Read the steps back from the JSON written by ``lowdose plan --json``.

    >>> steps_from_plan_json({"steps": [{"from": "2026-01-05", "to": "2026-01-18",
    ...                                  "dose_mg": "1.5"}]})[0].days
    14
    """
    rows = data.get("steps") if isinstance(data, Mapping) else None
    if not isinstance(rows, list) or not rows:
        raise PlanError("The plan file has no steps.", field="plan")
    steps = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping) or not {"from", "to", "dose_mg"} <= set(row):
            raise PlanError(f"Step {number} needs from, to and dose_mg.", field="plan")
        first = parse_date(str(row["from"]), field="plan")
        last = parse_date(str(row["to"]), field="plan")
        if last < first:
            raise PlanError(f"Step {number} ends before it starts.", field="plan")
        dose = _dose_field(str(row["dose_mg"]), "plan")
        _check_positive_low(dose, "plan")
        steps.append(Step(first, last, dose))
    return tuple(steps)
