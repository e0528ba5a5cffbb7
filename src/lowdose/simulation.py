"""A simulated demo clinic: patients on an LDN course and their daily check-ins, with ground truth.

:func:`simulate_clinic` is pure: a seed, a clinic size, a history length and "today" in, value
objects and NumPy columns out. It touches no database, file, clock or environment, so the same
arguments always give the same clinic, and 5,000 patients × 365 days take a few seconds.

The numbers below are simulation parameters chosen to look like a real diary. They are **not**
clinical estimates and nothing in lowdose may quote them as such; only the titration schedules
come from published protocols (clinical-facts.md §1.2, cited in :data:`TITRATION_SCHEDULES`).

How a rating is generated
-------------------------
Every patient ``p`` has a calendar of consecutive days from ``baseline_start`` to their last
check-in; a missed day simply has no row, the processes below run through it. For rating ``k`` on
day ``t`` (days counted as ``date.toordinal()``), with ``worse_k = +1`` when lower is better
(pain, fatigue, brain fog, orthostatic) and ``-1`` when higher is better (sleep quality, mood)::

    level = m[p,k]                                             # baseline_level
          + worse_k * E[p,k] * exp(-(t - baseline_start) / tau[p])   # drift, not drug
          + true_effect[p,k] * ramp[p](t)                      # the drug
          + sigma[p] * (sqrt(w) * u[p,t] + sqrt(1 - w) * v[p,k,t])    # day-to-day noise
    ramp[p](t) = clip((t - ldn_start) / (full_effect_on - ldn_start), 0, 1)
    rating = clip(rint(level), 0, 10), or NaN when the patient skipped that rating

* **Drift** (``E`` = ``baseline_excess`` ≥ 0, ``tau`` = ``drift_days``): people start a course when
  they feel worst, so every rating starts ``E`` points worse than the patient's usual level and
  relaxes back with time constant ``tau`` days, during baseline and after, drug or no drug. A
  naive "maintenance minus baseline" therefore overstates the drug effect.
* **Drug effect**: ``true_effect`` (rating points, signed as "treatment minus comparison": negative
  for pain, positive for mood) ramps linearly from 0 at ``ldn_start`` to full at
  ``full_effect_on`` (2–6 weeks after the planned end of titration) and then stays. Zero for
  non-responders. Missed doses, side effects and the dose itself do not change ratings.
* **Noise**: ``u`` (shared by the six ratings: a bad day is bad all over) and ``v`` (per rating)
  are independent AR(1) series, ``x[t] = phi * x[t-1] + sqrt(1 - phi²) * z[t]``, started in their
  stationary state (unit variance) at ``baseline_start``; ``phi`` = ``ar_phi``, ``sigma`` =
  ``noise_sd`` and ``w`` = :data:`SHARED_NOISE_WEIGHT`.

Every per-patient parameter is kept in :attr:`SimulatedPatient.model` so an analysis can be
checked against it: the expected maintenance-minus-baseline difference is ``true_effect`` plus the
drift term averaged over the rows compared.

Side effects (vivid dreams, insomnia, headache, nausea, early flare) occur on LDN days with a
probability that decays over the first weeks (time constant 10 days) and briefly rises again after
each dose increase; a quarter of patients never get these. Bloating, irritability and "other" are
rare background events on any LDN day.
"""

from __future__ import annotations

import datetime
import enum
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from lowdose.course import CourseDates, dose_on
from lowdose.errors import LowdoseError
from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME, Severity, SideEffect

__all__ = [
    "CONDITION_CODES",
    "CheckinColumns",
    "RatingModel",
    "ResponseClass",
    "SimulatedCheckin",
    "SimulatedClinic",
    "SimulatedPatient",
    "SimulationError",
    "TitrationSchedule",
    "simulate_clinic",
]

MIN_PATIENTS = 2
SHORTEST_DIARY_DAYS = 42  # six weeks
MIN_DAYS = 14
SHARED_NOISE_WEIGHT = 0.4
TIMEZONE = "UTC"
OPIOID_PATIENT = 1
OPIOID_MEDICATION = "Tramadol 50 mg"

CONDITION_CODES: tuple[str, ...] = ("pots", "fibromyalgia", "me_cfs", "long_covid", "hashimotos")
_PRIMARY_CONDITION_P = (0.33, 0.33, 0.27, 0.07, 0.0)
_SECOND_CONDITION_P = 0.25

#: Ratings a condition mainly affects: higher baseline burden and larger effects in responders.
_CONDITION_RATINGS: dict[str, tuple[str, ...]] = {
    "pots": ("orthostatic", "fatigue", "brain_fog"),
    "fibromyalgia": ("pain", "fatigue", "sleep_quality"),
    "me_cfs": ("fatigue", "brain_fog", "pain"),
    "long_covid": ("fatigue", "brain_fog", "orthostatic"),
    "hashimotos": ("fatigue", "mood"),
}  # fmt: skip
_AGE_MEAN_SD = {"pots": (30, 8), "fibromyalgia": (47, 10), "me_cfs": (40, 11),
                "long_covid": (44, 11), "hashimotos": (45, 12)}  # fmt: skip


class SimulationError(LowdoseError, ValueError):
    """Arguments for which no sensible demo clinic exists."""


class ResponseClass(enum.StrEnum):
    """A simulated patient's true response to LDN (a hidden trait, not a verdict)."""

    RESPONDER = "responder"
    PARTIAL = "partial"
    NON_RESPONDER = "non_responder"


_RESPONSE_P = (0.35, 0.30, 0.35)  # responder, partial, non-responder
#: Improvement in rating points at full effect: (low, high) for the condition's own ratings, then
#: for the others. Sign is applied per rating direction.
_EFFECT_RANGES = {
    ResponseClass.RESPONDER: ((1.8, 3.2), (0.4, 1.4)),
    ResponseClass.PARTIAL: ((0.7, 1.5), (0.0, 0.6)),
    ResponseClass.NON_RESPONDER: ((0.0, 0.0), (0.0, 0.0)),
}
_STOP_P_NON_RESPONDER = 0.4


@dataclass(frozen=True)
class TitrationSchedule:
    """A published escalation: the doses in order, one step every ``interval_days``."""

    name: str
    doses_mg: tuple[Decimal, ...]
    interval_days: tuple[int, int]  # inclusive range one patient's interval is drawn from
    source: str


def _schedule(name: str, doses: str, interval: tuple[int, int], source: str) -> TitrationSchedule:
    return TitrationSchedule(name, tuple(Decimal(mg) for mg in doses.split()), interval, source)


#: Titration schedules from the published protocols and guides in clinical-facts.md §1.2.
_TRUST = "LDN Research Trust pharmacist (S. Dickson)"
TITRATION_SCHEDULES: tuple[TitrationSchedule, ...] = (
    _schedule("weekly_1mg", "1 2 3 4 4.5", (7, 7), _TRUST),
    _schedule("chemosensitive_3mg", "0.5 1 1.5 2 2.5 3", (14, 14), _TRUST + ", chemosensitive"),
    _schedule("chemosensitive_4_5mg", "0.5 1 1.5 2 2.5 3 3.5 4 4.5", (14, 14), _TRUST + ", idem"),
    _schedule("weekly_half_mg", "0.5 1 1.5 2 2.5 3", (7, 7), "LDN Research Trust pharmacist"),
    _schedule("pots_trial", "1.5 3 4.5", (14, 14), "NCT05363514 (POTS, Calgary)"),
    _schedule("post_covid_trial", "1 2 3 4.5", (7, 7), "Post-COVID fatigue RCT H21-02254"),
    _schedule("clinic_1_5mg", "1.5 3 4.5", (7, 14), "Clinic pages (not authoritative)"),
)
_SCHEDULE_INDEX = {s.name: i for i, s in enumerate(TITRATION_SCHEDULES)}
#: Schedule weights by primary condition; chemosensitive ME/CFS and long-COVID patients go slower.
_SCHEDULE_P: dict[str, dict[str, float]] = {
    "pots": {"pots_trial": .35, "weekly_1mg": .25, "clinic_1_5mg": .25, "weekly_half_mg": .15},
    "fibromyalgia": {"weekly_1mg": .4, "clinic_1_5mg": .3, "weekly_half_mg": .2, "pots_trial": .1},
    "me_cfs": {"chemosensitive_3mg": .3, "chemosensitive_4_5mg": .2, "weekly_half_mg": .3,
               "weekly_1mg": .2},
    "long_covid": {"post_covid_trial": .4, "chemosensitive_3mg": .3, "weekly_half_mg": .3},
}  # fmt: skip

_FEMALE_NAMES = (
    "Anna", "Emma", "Olivia", "Sofia", "Maria", "Hannah", "Laura", "Chloe", "Grace", "Amira",
    "Priya", "Mei", "Yuki", "Fatima", "Leila", "Ingrid", "Aoife", "Siobhan", "Camille", "Lucia",
    "Elena", "Zoe", "Nadia", "Rachel", "Sarah", "Jessica", "Megan", "Kate", "Ruth", "Naomi",
    "Isabel", "Freya", "Maya", "Ana", "Keisha", "Tamara", "Helen", "Claire", "Lena", "Rosa",
)  # fmt: skip
_MALE_NAMES = (
    "James", "David", "Daniel", "Lucas", "Omar", "Ravi", "Kenji", "Tomas", "Liam", "Noah",
    "Samuel", "Ahmed", "Marco", "Pablo", "Erik", "Owen", "Felix", "Andre", "Jonah", "Malik",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Jones", "Garcia", "Martin", "Nguyen", "Patel", "Kim", "Okafor", "Mensah", "Rossi",
    "Muller", "Novak", "Kowalski", "Hansen", "Larsen", "Murphy", "O'Brien", "Walsh", "Cohen",
    "Haddad", "Silva", "Santos", "Tanaka", "Sato", "Chen", "Wang", "Singh", "Khan", "Ali",
    "Brown", "Taylor", "Wilson", "Evans", "Clarke", "Lopez", "Moreau", "Dubois", "Bianchi",
    "Jensen", "Fischer", "Weber", "Ivanova", "Popescu", "Adeyemi", "Baker", "Reid", "Fraser",
    "Campbell", "MacLeod", "Hughes",
)  # fmt: skip

#: Medication pools, "name: strength, strength". No opioid and no opioid antagonist in any of them.
_MEDICATIONS: dict[str, tuple[str, ...]] = {
    "pots": ("Propranolol: 10 mg, 20 mg", "Fludrocortisone: 0.1 mg", "Ivabradine: 2.5 mg, 5 mg",
             "Midodrine: 2.5 mg, 5 mg, 10 mg", "Pyridostigmine: 30 mg, 60 mg",
             "Metoprolol succinate: 25 mg"),
    "fibromyalgia": ("Duloxetine: 30 mg, 60 mg", "Pregabalin: 75 mg, 150 mg", "Gabapentin: 300 mg",
                     "Amitriptyline: 10 mg, 25 mg", "Cyclobenzaprine: 5 mg, 10 mg",
                     "Milnacipran: 50 mg"),
    "me_cfs": ("Melatonin: 3 mg", "Aripiprazole: 1 mg", "Famotidine: 20 mg", "Trazodone: 50 mg",
               "Coenzyme Q10: 100 mg"),
    "long_covid": ("Famotidine: 20 mg", "Cetirizine: 10 mg", "Montelukast: 10 mg",
                   "Ivabradine: 5 mg"),
    "hashimotos": ("Levothyroxine: 25 mcg, 50 mcg, 75 mcg, 100 mcg",),
    "general": ("Sertraline: 50 mg", "Omeprazole: 20 mg", "Vitamin D3: 25 mcg", "Ibuprofen: 400 mg",
                "Magnesium glycinate: 200 mg", "Paracetamol: 500 mg", "Loratadine: 10 mg",
                "Ferrous sulfate: 200 mg"),
}  # fmt: skip

#: Side effects: (code, base daily probability, fades early?). Early ones follow the start and
#: dose increases; the others are rare background events on LDN days.
_SIDE_EFFECTS: tuple[tuple[SideEffect, float, bool], ...] = (
    (SideEffect.VIVID_DREAMS, 0.30, True),
    (SideEffect.INSOMNIA, 0.18, True),
    (SideEffect.HEADACHE, 0.12, True),
    (SideEffect.NAUSEA, 0.10, True),
    (SideEffect.FLARE, 0.05, True),
    (SideEffect.BLOATING_CONSTIPATION, 0.008, False),
    (SideEffect.IRRITABILITY, 0.006, False),
    (SideEffect.OTHER, 0.004, False),
)
_FADE_DAYS = 10.0  # decay of side effects after the first dose
_STEP_FADE_DAYS = 5.0  # decay after a dose increase
_STEP_BUMP = 0.6


@dataclass(frozen=True)
class RatingModel:
    """The hidden parameters of one patient's ratings (see the module docstring)."""

    baseline_level: dict[str, float]
    baseline_excess: dict[str, float]
    drift_days: float
    ar_phi: float
    noise_sd: float
    full_effect_on: datetime.date
    shared_noise_weight: float = SHARED_NOISE_WEIGHT


@dataclass(frozen=True)
class SimulatedPatient:
    """One demo patient with their course and the ground truth of their response.

    ``dose_steps`` is the course's schedule, each step dated, up to the last check-in (the first
    step is always present, even when ``ldn_start`` is still in the future). The current dose on a
    day is the last step dated on or before it; no step means LDN has not started yet.
    """

    index: int
    first_name: str
    last_name: str
    username: str
    sex: str
    date_of_birth: datetime.date
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    baseline_start: datetime.date
    ldn_start: datetime.date
    maintenance_start: datetime.date | None
    stopped_on: datetime.date | None
    dose_steps: tuple[tuple[datetime.date, Decimal], ...]
    true_effect: dict[str, float]
    response: ResponseClass
    timezone: str
    schedule: str
    model: RatingModel

    def dose_on(self, day: datetime.date) -> Decimal | None:
        """The scheduled dose in mg on ``day``; ``None`` before LDN and after stopping."""
        if self.stopped_on is not None and day >= self.stopped_on:
            return None
        return dose_on(self.dose_steps, day)

    def phase_on(self, day: datetime.date) -> str:
        """``"baseline"``, ``"titration"``, ``"maintenance"`` or ``"stopped"`` on ``day``
        (the course's rule, :meth:`lowdose.course.CourseDates.phase_on`; days before the diary
        began count as baseline)."""
        dates = CourseDates(
            self.baseline_start, self.ldn_start, self.maintenance_start, self.stopped_on
        )
        return dates.phase_on(max(day, self.baseline_start)).value

    def expected_rating(self, name: str, day: datetime.date) -> float:
        """The level of rating ``name`` on ``day`` without the day-to-day noise (unrounded,
        unclipped): ``m + worse * E * exp(-elapsed / tau) + true_effect * ramp`` of the module
        docstring, the drift counted from ``baseline_start`` (days before it count as day 0).

        >>> day = datetime.date(2026, 1, 1)
        >>> p = simulate_clinic(seed=1, n_patients=2, n_days=120, today=day).patients[0]
        >>> later = p.ldn_start + datetime.timedelta(days=3650)  # the drift gone, the full effect
        >>> change = p.expected_rating("pain", later) - p.model.baseline_level["pain"]
        >>> round(change, 6) == p.true_effect["pain"]
        True
        """
        model = self.model
        worse = 1.0 if RATINGS_BY_NAME[name].lower_is_better else -1.0
        elapsed = max((day - self.baseline_start).days, 0)
        drift = worse * model.baseline_excess[name] * math.exp(-elapsed / model.drift_days)
        return model.baseline_level[name] + drift + self.true_effect[name] * self.ramp_on(day)

    def ramp_on(self, day: datetime.date) -> float:
        """The share of the true effect present on ``day``: 0 up to ``ldn_start``, rising
        linearly to 1 on ``model.full_effect_on`` and staying there."""
        ramp_days = (self.model.full_effect_on - self.ldn_start).days
        return min(max((day - self.ldn_start).days / ramp_days, 0.0), 1.0)


@dataclass(frozen=True)
class SimulatedCheckin:
    """One check-in as plain Python values (for small clinics and tests)."""

    patient: int
    date: datetime.date
    dose_taken: bool
    late: bool
    ratings: dict[str, int]  # skipped ratings are absent
    side_effects: tuple[tuple[SideEffect, Severity], ...]


@dataclass(frozen=True, eq=False)
class CheckinColumns:
    """All check-ins as parallel NumPy columns, one element per row, sorted by patient then day.

    ``ratings[:, j]`` is ``RATING_NAMES[j]`` (NaN = skipped). Side effects are three parallel
    columns; ``side_effect_row`` indexes the check-in rows and is sorted.
    """

    patient: np.ndarray  # int32
    day: np.ndarray  # int32, date.toordinal()
    dose_taken: np.ndarray  # bool
    ratings: np.ndarray  # float32, shape (n, 6)
    late: np.ndarray  # bool
    side_effect_row: np.ndarray  # int32
    side_effect_code: np.ndarray  # <U…, SideEffect values
    side_effect_severity: np.ndarray  # int8, Severity values

    def __len__(self) -> int:
        return int(self.patient.shape[0])

    def rows_of(self, patient: int) -> slice:
        """The slice of rows that belong to ``patient``."""
        lo, hi = np.searchsorted(self.patient, [patient, patient + 1])
        return slice(int(lo), int(hi))

    def last_days(self) -> np.ndarray:
        """Each patient's last check-in (a day ordinal), indexed by patient: every simulated
        patient checks in on the last day of their diary, so every patient has one."""
        ends = np.flatnonzero(np.diff(self.patient, append=np.iinfo(np.int32).max))
        return self.day[ends]

    def iso_dates(self) -> np.ndarray:
        """Each row's date as an ISO string ("2026-11-21"), vectorised for bulk inserts."""
        epoch = datetime.date(1970, 1, 1).toordinal()
        return (self.day.astype(np.int64) - epoch).astype("datetime64[D]").astype(str)

    def iter_rows(self, rows: slice | None = None) -> Iterator[SimulatedCheckin]:
        """Yield rows as :class:`SimulatedCheckin` (slow; meant for small clinics)."""
        rows = rows or slice(0, len(self))
        lo, hi = np.searchsorted(self.side_effect_row, [rows.start, rows.stop])
        effects: dict[int, list[tuple[SideEffect, Severity]]] = {}
        for i in range(lo, hi):
            effects.setdefault(int(self.side_effect_row[i]), []).append(
                (
                    SideEffect(str(self.side_effect_code[i])),
                    Severity(int(self.side_effect_severity[i])),
                )
            )
        for i in range(rows.start, rows.stop):
            values = self.ratings[i]
            yield SimulatedCheckin(
                patient=int(self.patient[i]),
                date=datetime.date.fromordinal(int(self.day[i])),
                dose_taken=bool(self.dose_taken[i]),
                late=bool(self.late[i]),
                ratings={n: int(v) for n, v in zip(RATING_NAMES, values, strict=True) if v == v},
                side_effects=tuple(effects.get(i, ())),
            )


@dataclass(frozen=True)
class SimulatedClinic:
    """The demo clinic: patients (``patients[i].index == i``) and all their check-ins."""

    patients: tuple[SimulatedPatient, ...]
    checkins: CheckinColumns


def simulate_clinic(
    *, seed: int, n_patients: int, n_days: int, today: datetime.date
) -> SimulatedClinic:
    """Simulate a clinic of ``n_patients`` with up to ``n_days`` days of history ending ``today``.

    Deterministic for a seed. Every check-in falls in ``today - n_days + 1 … today``; most
    patients have 6–20 weeks of diary, some (when ``n_days`` allows) up to the whole window. About
    30% of patients have already checked in today, most last did yesterday, a few stopped keeping
    the diary weeks ago and a few non-responders stopped LDN. A patient whose ``ldn_start`` falls
    after their last check-in is still in baseline (common when ``n_days`` < 42).

    Patient 0 is the demo's main patient: a POTS responder whose last check-in is yesterday, so
    today is still open, on maintenance when ``n_days`` ≥ 51 (4.5 mg after weekly 1 mg steps).
    Patient 1 is the only one with an opioid (:data:`OPIOID_MEDICATION`) and is still in baseline,
    ``ldn_start`` 9 days after ``today``. Raises :class:`SimulationError` (a
    :class:`~lowdose.errors.LowdoseError` naming the field) for ``n_patients < 2`` or
    ``n_days < 14``.

    >>> clinic = simulate_clinic(seed=1, n_patients=30, n_days=120, today=datetime.date(2026, 1, 1))
    >>> clinic.patients[0].response, len(clinic.checkins) > 1000
    (<ResponseClass.RESPONDER: 'responder'>, True)
    """
    if n_patients < MIN_PATIENTS:
        raise SimulationError(
            f"A demo clinic needs at least {MIN_PATIENTS} patients.", field="patients"
        )
    if n_days < MIN_DAYS:
        raise SimulationError(f"A demo clinic needs at least {MIN_DAYS} days.", field="days")
    rng = np.random.default_rng(seed)
    cohort = _draw_cohort(rng, n_patients, n_days, today.toordinal())
    patients = _build_patients(rng, cohort, today)
    checkins = _build_checkins(rng, cohort, today.toordinal())
    return SimulatedClinic(patients=patients, checkins=checkins)


@dataclass(frozen=True, eq=False)
class _Cohort:
    """Per-patient parameters as arrays (days are offsets from ``start``, a date ordinal)."""

    primary: np.ndarray
    second: np.ndarray  # -1: none
    response: np.ndarray  # index into ResponseClass
    start: np.ndarray
    length: np.ndarray  # calendar days from baseline_start to the last check-in
    ldn_off: np.ndarray
    schedule: np.ndarray
    interval: np.ndarray
    n_steps: np.ndarray
    full_off: np.ndarray
    stop_off: np.ndarray  # -1: did not stop
    level: np.ndarray  # (P, 6)
    excess: np.ndarray  # (P, 6)
    effect: np.ndarray  # (P, 6)
    tau: np.ndarray
    phi: np.ndarray
    sigma: np.ndarray
    miss: np.ndarray
    late: np.ndarray
    adherence: np.ndarray
    susceptibility: np.ndarray
    skip: np.ndarray  # (P, 6)


_WORSE = np.array([1.0 if RATINGS_BY_NAME[n].lower_is_better else -1.0 for n in RATING_NAMES])


def _code(condition: str) -> int:
    return CONDITION_CODES.index(condition)


def _draw_cohort(rng: np.random.Generator, n: int, n_days: int, today: int) -> _Cohort:
    primary, second = _draw_conditions(rng, n)
    response = rng.choice(len(ResponseClass), size=n, p=_RESPONSE_P)
    primary[0], second[0], response[0] = _code("pots"), -1, 0  # the demo patient, a responder
    primary[1], second[1] = _code("fibromyalgia"), -1  # the opioid patient
    start, length = _draw_record_windows(rng, n, n_days, today)
    timeline = _draw_timeline(rng, primary, response, start, length)
    ratings = _draw_rating_model(rng, primary, second, response)
    habits = _draw_habits(rng, primary, second)
    return _Cohort(
        primary=primary, second=second, response=response, **timeline, **ratings, **habits
    )


def _draw_conditions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    primary = rng.choice(len(CONDITION_CODES), size=n, p=_PRIMARY_CONDITION_P)
    shift = rng.integers(1, len(CONDITION_CODES), size=n)
    second = np.where(
        rng.random(n) < _SECOND_CONDITION_P, (primary + shift) % len(CONDITION_CODES), -1
    )
    return primary, second


def _draw_record_windows(
    rng: np.random.Generator, n: int, n_days: int, today: int
) -> tuple[np.ndarray, np.ndarray]:
    """First day (ordinal) and number of calendar days of each diary, inside the window.

    A diary spans 30–100% of the window, and at least 6 weeks: the default 20-week window gives
    6–20 weeks of check-ins, a year's window 16–52 weeks (what the benchmarks load).
    """
    shortest = min(max(SHORTEST_DIARY_DAYS, (3 * n_days) // 10), n_days)
    span = rng.integers(shortest, n_days + 1, size=n)
    u = rng.random(n)
    end = np.where(u < 0.3, today, today - 1)  # most are active; some checked in today already
    lapsed = today - 1 - rng.integers(3, 22, size=n)  # the diary stopped a while ago
    end = np.where(u > 0.95, np.maximum(lapsed, today - n_days // 2), end)
    start = np.maximum(end - span + 1, today - n_days + 1)
    # Patient 0 has a long, rich history up to yesterday; patient 1 began 12 days ago.
    start[0], end[0] = today - min(n_days - 1, 180), today - 1
    start[1], end[1] = today - 12, today - 1
    return start, end - start + 1


def _draw_timeline(
    rng: np.random.Generator,
    primary: np.ndarray,
    response: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
) -> dict[str, np.ndarray]:
    """Course dates as day offsets from ``start``; non-responders may stop after 8–16 weeks."""
    n = primary.shape[0]
    ldn_off = rng.integers(14, 29, size=n)  # ldn_start may fall after the window: still baseline
    schedule, interval = _draw_schedules(rng, primary)
    ldn_off[0] = 21 if length[0] >= 63 else 14
    schedule[0], interval[0] = _SCHEDULE_INDEX["weekly_1mg"], 7
    ldn_off[1] = 21  # blocked by screening: still in baseline, planned start in 9 days
    n_steps = np.array([len(s.doses_mg) for s in TITRATION_SCHEDULES])[schedule]
    full_off = ldn_off + (n_steps - 1) * interval + rng.integers(14, 43, size=n)
    stop_off = ldn_off + rng.integers(56, 113, size=n)
    stops = (response == 2) & (rng.random(n) < _STOP_P_NON_RESPONDER) & (stop_off < length)
    stops[:2] = False
    return {
        "start": start,
        "length": np.where(stops, stop_off, length),  # no check-ins from the day they stop
        "ldn_off": ldn_off,
        "schedule": schedule,
        "interval": interval,
        "n_steps": n_steps,
        "full_off": full_off,
        "stop_off": np.where(stops, stop_off, -1),
    }


def _draw_schedules(rng: np.random.Generator, primary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u = rng.random(primary.shape[0])
    schedule = np.zeros(primary.shape[0], dtype=np.int64)
    for code, weights in _SCHEDULE_P.items():
        chosen = primary == CONDITION_CODES.index(code)
        names = list(weights)
        cumulative = np.cumsum([weights[name] for name in names])
        picks = np.minimum(np.searchsorted(cumulative, u[chosen], side="right"), len(names) - 1)
        schedule[chosen] = [_SCHEDULE_INDEX[names[i]] for i in picks]
    low = np.array([s.interval_days[0] for s in TITRATION_SCHEDULES])[schedule]
    high = np.array([s.interval_days[1] for s in TITRATION_SCHEDULES])[schedule]
    return schedule, rng.integers(low, high + 1)


def _condition_mask(primary: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(P, 6) True where a rating is one the patient's conditions mainly affect."""
    table = np.zeros((len(CONDITION_CODES) + 1, len(RATING_NAMES)), dtype=bool)  # last row: none
    for i, code in enumerate(CONDITION_CODES):
        table[i] = [name in _CONDITION_RATINGS[code] for name in RATING_NAMES]
    return table[primary] | table[second]


def _draw_rating_model(
    rng: np.random.Generator, primary: np.ndarray, second: np.ndarray, response: np.ndarray
) -> dict[str, np.ndarray]:
    n, k = primary.shape[0], len(RATING_NAMES)
    mask = _condition_mask(primary, second)
    badness = np.where(mask, rng.normal(6.8, 0.9, (n, k)), rng.normal(4.5, 1.3, (n, k)))
    badness = np.round(np.clip(badness, 2.0, 8.5), 2)
    ranges = np.array([_EFFECT_RANGES[r] for r in ResponseClass])[response]  # (P, 2, 2)
    low = np.where(mask, ranges[:, 0, 0:1], ranges[:, 1, 0:1])
    high = np.where(mask, ranges[:, 0, 1:2], ranges[:, 1, 1:2])
    magnitude = np.minimum(low + rng.random((n, k)) * (high - low), np.maximum(badness - 1.5, 0))
    return {
        "level": np.where(_WORSE > 0, badness, 10 - badness),
        "excess": np.round(np.clip(rng.normal(1.0, 0.5, (n, k)), 0, None), 2),
        "effect": np.round(-_WORSE * magnitude, 2) + 0.0,  # + 0.0 turns -0.0 into 0.0
        "tau": np.round(rng.uniform(10, 30, n), 1),
        "phi": np.round(rng.uniform(0.3, 0.7, n), 2),
        "sigma": np.round(rng.uniform(0.7, 1.2, n), 2),
    }


def _draw_habits(
    rng: np.random.Generator, primary: np.ndarray, second: np.ndarray
) -> dict[str, np.ndarray]:
    n = primary.shape[0]
    miss = rng.beta(2, 18, n)  # about 10% missed days
    adherence = rng.beta(18, 2, n)  # about 90% of LDN days with the dose taken
    miss[0], adherence[0] = 0.03, 0.95
    susceptibility = np.where(rng.random(n) < 0.25, 0.0, rng.lognormal(-0.18, 0.6, n))
    susceptibility[0] = 1.5  # the demo patient shows early side effects fading
    skip = rng.beta(1, 40, (n, len(RATING_NAMES)))
    orthostatic = np.isin(primary, [_code("pots"), _code("long_covid")]) | np.isin(
        second, [_code("pots"), _code("long_covid")]
    )
    skip[:, RATING_NAMES.index("orthostatic")] += np.where(orthostatic, 0.0, 0.15)
    return {
        "miss": miss,
        "late": rng.beta(1, 24, n),
        "adherence": adherence,
        "susceptibility": susceptibility,
        "skip": skip,
    }


def _build_patients(
    rng: np.random.Generator, c: _Cohort, today: datetime.date
) -> tuple[SimulatedPatient, ...]:
    n = c.primary.shape[0]
    female = rng.random(n) < 0.85
    female[:2] = True
    first_pick, last_pick = rng.integers(0, 1 << 30, size=(2, n))
    age_noise = rng.standard_normal(n)
    patients = []
    for i in range(n):
        names = _FEMALE_NAMES if female[i] else _MALE_NAMES
        first, last = (
            names[first_pick[i] % len(names)],
            _LAST_NAMES[last_pick[i] % len(_LAST_NAMES)],
        )
        conditions = tuple(CONDITION_CODES[j] for j in (c.primary[i], c.second[i]) if j >= 0)
        mean, sd = _AGE_MEAN_SD[conditions[0]]
        age_days = int(np.clip(mean + sd * age_noise[i], 18, 75) * 365.25) + 2  # 18 at least
        patients.append(
            _build_patient(
                c,
                i,
                first=first,
                last=last,
                sex="female" if female[i] else "male",
                date_of_birth=today - datetime.timedelta(days=age_days),
                conditions=conditions,
                medications=_pick_medications(rng, conditions, i),
            )
        )
    return tuple(patients)


def _build_patient(c: _Cohort, i: int, *, first: str, last: str, **profile) -> SimulatedPatient:
    start = int(c.start[i])
    day = datetime.date.fromordinal
    ldn_off, interval, last_off = int(c.ldn_off[i]), int(c.interval[i]), int(c.length[i]) - 1
    doses = TITRATION_SCHEDULES[c.schedule[i]].doses_mg
    steps = [
        (day(start + ldn_off + s * interval), mg)
        for s, mg in enumerate(doses)
        if s == 0 or ldn_off + s * interval <= last_off
    ]
    maintenance_off = ldn_off + (len(doses) - 1) * interval
    model = RatingModel(
        baseline_level=dict(zip(RATING_NAMES, c.level[i].tolist(), strict=True)),
        baseline_excess=dict(zip(RATING_NAMES, c.excess[i].tolist(), strict=True)),
        drift_days=float(c.tau[i]),
        ar_phi=float(c.phi[i]),
        noise_sd=float(c.sigma[i]),
        full_effect_on=day(start + int(c.full_off[i])),
    )
    return SimulatedPatient(
        index=i,
        first_name=first,
        last_name=last,
        username=f"{_ascii(first)}.{_ascii(last)}{i}",
        baseline_start=day(start),
        ldn_start=day(start + ldn_off),
        maintenance_start=day(start + maintenance_off) if maintenance_off <= last_off else None,
        stopped_on=day(start + int(c.stop_off[i])) if c.stop_off[i] >= 0 else None,
        dose_steps=tuple(steps),
        true_effect=dict(zip(RATING_NAMES, c.effect[i].tolist(), strict=True)),
        response=list(ResponseClass)[c.response[i]],
        timezone=TIMEZONE,
        schedule=TITRATION_SCHEDULES[c.schedule[i]].name,
        model=model,
        **profile,
    )


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _pick_medications(
    rng: np.random.Generator, conditions: tuple[str, ...], index: int
) -> tuple[str, ...]:
    chosen: dict[str, str] = {}
    for pool_name in (*conditions, "general"):
        pool = _MEDICATIONS[pool_name]
        count = 1 if pool_name == "hashimotos" else int(rng.integers(0, 3))
        for j in rng.permutation(len(pool))[:count]:
            drug, strengths = pool[j].split(": ")
            options = strengths.split(", ")
            chosen.setdefault(drug, f"{drug} {options[rng.integers(len(options))]}")
    if index == OPIOID_PATIENT:
        chosen["Tramadol"] = OPIOID_MEDICATION
    return tuple(chosen.values())


def _build_checkins(rng: np.random.Generator, c: _Cohort, today: int) -> CheckinColumns:
    lengths = c.length.astype(np.int64)
    first_row = np.cumsum(lengths) - lengths
    patient = np.repeat(np.arange(lengths.shape[0]), lengths)
    offset = np.arange(patient.shape[0]) - np.repeat(first_row, lengths)
    keep = rng.random(patient.shape[0]) >= c.miss[patient]
    keep[first_row + lengths - 1] = True  # the last day of each record is a check-in
    noise = _ar1_noise(rng, c.phi, int(lengths.max()))
    patient, offset = patient[keep], offset[keep]
    ratings = _ratings(rng, c, patient, offset, noise[offset, patient])
    del noise
    day = c.start[patient] + offset
    on_ldn = offset >= c.ldn_off[patient]
    se_row, se_code, se_severity = _side_effects(rng, c, patient, offset)
    return CheckinColumns(
        patient=patient.astype(np.int32),
        day=day.astype(np.int32),
        dose_taken=on_ldn & (rng.random(patient.shape[0]) < c.adherence[patient]),
        ratings=ratings,
        late=(rng.random(patient.shape[0]) < c.late[patient]) & (day < today),
        side_effect_row=se_row,
        side_effect_code=se_code,
        side_effect_severity=se_severity,
    )


def _ar1_noise(rng: np.random.Generator, phi: np.ndarray, n_days: int) -> np.ndarray:
    """(day, patient, 7) unit-variance AR(1) series: six per rating, then the shared one."""
    z = rng.standard_normal((n_days, phi.shape[0], len(RATING_NAMES) + 1), dtype=np.float32)
    a = phi.astype(np.float32)[:, None]
    b = np.sqrt(1 - a * a)
    for t in range(1, n_days):
        z[t] *= b
        z[t] += a * z[t - 1]
    return z


def _ratings(
    rng: np.random.Generator, c: _Cohort, patient: np.ndarray, offset: np.ndarray, noise: np.ndarray
) -> np.ndarray:
    """Rounded, clipped 0–10 ratings by the model in the module docstring; NaN where skipped."""
    w = SHARED_NOISE_WEIGHT
    drift = c.excess[patient] * np.exp(-offset / c.tau[patient])[:, None] * _WORSE
    ramp_days = c.full_off[patient] - c.ldn_off[patient]
    ramp = np.clip((offset - c.ldn_off[patient]) / ramp_days, 0.0, 1.0)[:, None]
    shaped = np.sqrt(w) * noise[:, -1:] + np.sqrt(1 - w) * noise[:, :-1]
    level = c.level[patient] + drift + c.effect[patient] * ramp + c.sigma[patient, None] * shaped
    ratings = np.clip(np.rint(level), 0, 10).astype(np.float32)
    ratings[rng.random(ratings.shape) < c.skip[patient]] = np.nan
    return ratings


def _side_effects(
    rng: np.random.Generator, c: _Cohort, patient: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Side-effect rows: early ones fade after the first dose and after each increase."""
    on_ldn = offset - c.ldn_off[patient]
    interval = c.interval[patient]
    step = np.clip(on_ldn // interval, 0, c.n_steps[patient] - 1)
    since_step = on_ldn - step * interval
    intensity = np.exp(-np.maximum(on_ldn, 0) / _FADE_DAYS) + _STEP_BUMP * (step > 0) * np.exp(
        -since_step / _STEP_FADE_DAYS
    )
    strength = np.clip(intensity / (1 + _STEP_BUMP), 0, 1)
    rows, codes, severities = [], [], []
    for effect, base, fades in _SIDE_EFFECTS:
        p = base * c.susceptibility[patient] * intensity if fades else np.full(on_ldn.shape, base)
        hit = np.flatnonzero((on_ldn >= 0) & (rng.random(on_ldn.shape[0]) < p))
        x = strength[hit] if fades else np.zeros(hit.shape[0])
        u = rng.random(hit.shape[0])
        severe, moderate = 0.03 + 0.07 * x, 0.15 + 0.2 * x
        rows.append(hit)
        codes.append(np.full(hit.shape[0], effect.value))
        severities.append(1 + (u < severe + moderate).astype(np.int8) + (u < severe))
    row = np.concatenate(rows)
    order = np.argsort(row, kind="stable")
    return (
        row[order].astype(np.int32),
        np.concatenate(codes)[order],
        np.concatenate(severities)[order].astype(np.int8),
    )
