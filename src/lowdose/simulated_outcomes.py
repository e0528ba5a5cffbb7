"""Questionnaire answers and stand tests for the simulated demo patients, following their ratings.

Pure like :mod:`lowdose.simulation`: a simulated clinic, the questionnaires each course asks for
and a seed in; answers and readings out, the same ones for the same arguments. Nothing here
scores or analyses: whoever stores the results runs them through
:func:`lowdose.instruments.score_instrument` and :func:`lowdose.standtest.analyse_stand_test`, as
a filled-in form is.

Every number below is a simulation parameter chosen to look plausible in a demo. None is a
clinical estimate and nothing in lowdose may quote one as such.

How an answer is chosen
-----------------------
An item is driven by a *burden* between 0 (best) and 1 (worst): the mean, over the daily ratings
the item is about (:data:`_DRIVES`), of the patient's expected rating on the day it is filled in
(:meth:`~lowdose.simulation.SimulatedPatient.expected_rating`: the usual level, the fading drift
and the drug's true effect, without the day-to-day noise), read on a 0-10 scale where 10 is the
worst. Items about change ("how has it changed", the PGIC) are driven by the improvement of the
mean burden of all six ratings since the first dose instead. Then::

    latent = offset + scale * driver + trait[patient, questionnaire] + sitting + item noise

and the answer is the option whose points rank at ``latent``'s place among the item's distinct
points (on a 0-10 item a latent of 0.62 gives 6; options worth the same points are picked at
random). Items that a previous answer makes not apply are left unanswered, as on the form. A
responder's questionnaires therefore improve as their true effect ramps up; a non-responder's move
only by what is left of the drift on the day of the baseline questionnaire, and by noise.

When
----
All questionnaires of a timepoint are filled in at one sitting: the baseline one in the week
before the first dose, each later one a few days around its due date, now and then a week or more
late. A patient skips an earlier sitting now and then (:data:`SKIP_EARLIER_P`) and the latest
sitting that has come due more often (:data:`SKIP_LATEST_P`); nobody fills anything in after
their last check-in, so a diary that has lapsed leaves its questionnaire overdue too.

Stand tests
-----------
Patients with POTS do the 10-minute stand test (three lying-down minutes, then standing minutes
1-10, the rows of the web form) in the week before the first dose and around weeks
:data:`STAND_TEST_WEEKS` when their diary reaches them. The heart rate rises towards a personal
peak rise with a time constant of 1-3 minutes; a responder's peak rise falls by
:data:`HR_RISE_BPM_PER_POINT` bpm per point of their true effect on the "symptoms on standing"
rating, as far as that effect has ramped up.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lowdose.instruments import ItemKind, QuestionnaireSchedule, load_instrument
from lowdose.instruments.schedule import due_timepoints
from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME
from lowdose.simulation import SimulatedClinic, SimulatedPatient
from lowdose.standtest import Position, Reading

__all__ = [
    "BASELINE_DAYS_BEFORE",
    "HR_RISE_BPM_PER_POINT",
    "SKIP_EARLIER_P",
    "SKIP_LATEST_P",
    "STAND_TEST_STANDING_MINUTES",
    "STAND_TEST_SUPINE_MINUTES",
    "STAND_TEST_WEEKS",
    "SimulatedResponse",
    "SimulatedStandTest",
    "simulate_questionnaires",
    "simulate_stand_tests",
]

Answer = int | list[int]

#: Chance that a patient skips the latest sitting that has come due (so it is due or overdue).
SKIP_LATEST_P = 0.15
#: Chance that a patient skips any earlier sitting (it shows as missed).
SKIP_EARLIER_P = 0.04
#: Days from the due date a sitting happens on, and how likely each is: mostly within the week the
#: schedule allows, now and then late enough to have been overdue for a while.
_FILL_OFFSETS = (-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 9, 12, 16)
_FILL_WEIGHTS = (2, 3, 4, 9, 9, 7, 5, 4, 3, 2, 2, 1, 1)
_FILL_CUMULATIVE = tuple(itertools.accumulate(w / sum(_FILL_WEIGHTS) for w in _FILL_WEIGHTS))[:-1]
#: The baseline sitting (and stand test) happens this many days before the first dose, at most.
BASELINE_DAYS_BEFORE = 7
_TRAIT_SD = 0.06  # a patient's lasting tendency to answer one questionnaire high or low
_SITTING_SD = 0.04  # the day's mood, shared by the items of one sitting
_ITEM_SD = 0.10
_CHANGE = "change"  # the driver of items about change since the first dose

# Stand-test parameters (bpm, mmHg).
#: Weeks after the first dose at which a POTS patient repeats the stand test (0: baseline).
STAND_TEST_WEEKS = (0, 8, 26, 52)
#: Lying-down minutes before standing (the web form's rows), then standing minutes.
STAND_TEST_SUPINE_MINUTES = 3
STAND_TEST_STANDING_MINUTES = 10
#: How far a responder's peak heart-rate rise falls per rating point of true effect on standing.
HR_RISE_BPM_PER_POINT = 3.0
_SKIP_STAND_TEST_P = 0.1
_STANDING_SYMPTOMS = (
    "light-headed",
    "heart pounding",
    "legs heavy",
    "hot and clammy",
    "vision going grey",
    "short of breath",
    "queasy",
)


@dataclass(frozen=True)
class SimulatedResponse:
    """One filled questionnaire: ``answers`` as a form submits them (skipped items absent)."""

    patient: int  # index into SimulatedClinic.patients
    instrument: str
    date: datetime.date
    answers: dict[str, Answer]


@dataclass(frozen=True)
class SimulatedStandTest:
    """One stand test's readings as a patient enters them."""

    patient: int
    date: datetime.date
    readings: tuple[Reading, ...]
    symptoms: str


@dataclass(frozen=True)
class _Drive:
    """What moves an item: the mean burden of ``ratings`` (or the change since the first dose
    when ``ratings`` is :data:`_CHANGE`), times ``scale``, plus ``offset``."""

    ratings: tuple[str, ...] | str
    scale: float = 1.0
    offset: float = 0.0


_STANDING = _Drive(("orthostatic",))
_AUTONOMIC = _Drive(("orthostatic", "fatigue", "brain_fog"), scale=0.7)
_COURSE = _Drive(_CHANGE, scale=-1.5, offset=0.375)  # "about the same" when nothing changed
_PAIN_SITE = _Drive(("pain",), scale=0.8)
#: Per questionnaire: the drive of each item, "*" for the items not named.
_DRIVES: dict[str, dict[str, _Drive]] = {
    "compass31": {"*": _AUTONOMIC, "q01": _STANDING, "q02": _STANDING, "q03": _STANDING,
                  **dict.fromkeys(("q04", "q07", "q11", "q19", "q23", "q31"), _COURSE)},
    "fiqr": {"*": _Drive(("pain", "fatigue")), "o1": _Drive(RATING_NAMES),
             "o2": _Drive(RATING_NAMES), "s1": _Drive(("pain",)), "s2": _Drive(("fatigue",)),
             "s3": _Drive(("pain",)), "s4": _Drive(("sleep_quality",)), "s5": _Drive(("mood",)),
             "s6": _Drive(("brain_fog",)), "s7": _Drive(("mood",)), "s8": _Drive(("pain",)),
             "s9": _Drive(("orthostatic",)), "s10": _Drive(("brain_fog",))},
    "acr2016": {"*": _PAIN_SITE, "fatigue": _Drive(("fatigue",)),
                "unrefreshed": _Drive(("sleep_quality",)), "cognitive": _Drive(("brain_fog",)),
                "headaches": _Drive(("pain", "fatigue"), scale=0.8),
                "lower_abdominal": _Drive(("pain",), scale=0.7), "depression": _Drive(("mood",)),
                "three_months": _Drive((), offset=0.9)},
    "fss": {"*": _Drive(("fatigue",), offset=0.08)},
    "fatigue_vas": {"*": _Drive(("fatigue",))},
    "pgic": {"*": _Drive(_CHANGE, scale=-1.5, offset=0.5)},  # "no change" when nothing changed
}  # fmt: skip


@dataclass(frozen=True)
class _ItemPlan:
    """An item ready to answer: its drive and its options grouped by points, lowest first."""

    id: str
    multi: bool
    skip_if: tuple[str, tuple[int, ...]] | None
    drive: int  # index into _Plan.drives
    levels: tuple[tuple[int, ...], ...]  # option values, grouped by their points


@dataclass(frozen=True)
class _Plan:
    """A questionnaire ready to answer: its items and the distinct drives they use."""

    items: tuple[_ItemPlan, ...]
    drives: tuple[_Drive, ...]


@functools.cache
def _plan_of(instrument_id: str) -> _Plan:
    instrument = load_instrument(instrument_id)
    table = _DRIVES[instrument.id]
    chosen = [table.get(item.id, table["*"]) for item in instrument.items]
    drives = tuple(dict.fromkeys(chosen))
    items = []
    for item, drive in zip(instrument.items, chosen, strict=True):
        points = sorted({o.points for o in item.options})
        items.append(
            _ItemPlan(
                id=item.id,
                multi=item.kind is ItemKind.MULTI,
                skip_if=(item.skip_if.item, item.skip_if.values) if item.skip_if else None,
                drive=drives.index(drive),
                levels=tuple(tuple(o.value for o in item.options if o.points == p) for p in points),
            )
        )
    return _Plan(tuple(items), drives)


def simulate_questionnaires(
    clinic: SimulatedClinic,
    plans: Sequence[Mapping[str, QuestionnaireSchedule]],
    *,
    seed: int,
) -> list[SimulatedResponse]:
    """The questionnaires each patient filled in, by patient, then date, then plan order.

    ``plans[i]`` maps the id of each questionnaire patient ``i``'s course asks for to its schedule
    (weeks from the first dose). Deterministic for the same clinic, plans and ``seed``; answers
    only use options of the definition and leave out the items that do not apply.
    """
    rng = np.random.default_rng([seed, 1])
    last_days = clinic.checkins.last_days()
    found: list[SimulatedResponse] = []
    for patient, plan in zip(clinic.patients, plans, strict=True):
        last = datetime.date.fromordinal(int(last_days[patient.index]))
        traits = {iid: rng.normal(0, _TRAIT_SD) for iid in plan}
        at_start = _burden_mean(_burdens(patient, patient.ldn_start))
        for day, instrument_ids in _sittings(rng, patient, plan, last):
            burden = _burdens(patient, day)
            change = at_start - _burden_mean(burden)
            for iid in instrument_ids:
                shift = traits[iid] + rng.normal(0, _SITTING_SD)
                answers = _answer(rng, _plan_of(iid), burden, change, shift)
                found.append(SimulatedResponse(patient.index, iid, day, answers))
    return found


def _sittings(
    rng: np.random.Generator,
    patient: SimulatedPatient,
    plan: Mapping[str, QuestionnaireSchedule],
    last: datetime.date,
) -> list[tuple[datetime.date, list[str]]]:
    """(date, questionnaires) of each sitting that happened by ``last``."""
    due: dict[int, tuple[datetime.date, list[str]]] = {}
    for iid, schedule in plan.items():
        until = max(last, patient.ldn_start) + datetime.timedelta(days=schedule.opens_days_before)
        for point in due_timepoints(patient.ldn_start, until, schedule):
            due.setdefault(point.week, (point.due, []))[1].append(iid)
    latest = max((w for w, (day, _) in due.items() if day <= last), default=None)
    sittings = []
    for week, (day, instrument_ids) in sorted(due.items()):
        skip = rng.random() < (SKIP_LATEST_P if week == latest else SKIP_EARLIER_P)
        filled = _sitting_day(rng, patient, week, day)
        if not skip and filled <= last:
            sittings.append((filled, instrument_ids))
    return sittings


def _sitting_day(
    rng: np.random.Generator, patient: SimulatedPatient, week: int, due: datetime.date
) -> datetime.date:
    if week == 0:  # in the last week of baseline
        before = int(rng.integers(1, BASELINE_DAYS_BEFORE + 1))
        return max(patient.ldn_start - datetime.timedelta(days=before), patient.baseline_start)
    offset = _FILL_OFFSETS[bisect.bisect(_FILL_CUMULATIVE, rng.random())]
    return due + datetime.timedelta(days=offset)


def _burdens(patient: SimulatedPatient, day: datetime.date) -> dict[str, float]:
    """Each rating's expected level on ``day`` as a burden: 0 best, 1 worst."""
    burdens = {}
    for name in RATING_NAMES:
        level = patient.expected_rating(name, day)
        worst_is_ten = level if RATINGS_BY_NAME[name].lower_is_better else 10.0 - level
        burdens[name] = min(max(worst_is_ten / 10.0, 0.0), 1.0)
    return burdens


def _burden_mean(burdens: Mapping[str, float]) -> float:
    return sum(burdens.values()) / len(burdens)


def _answer(
    rng: np.random.Generator,
    plan: _Plan,
    burden: Mapping[str, float],
    change: float,
    shift: float,
) -> dict[str, Answer]:
    base = [d.offset + d.scale * _driver(d, burden, change) + shift for d in plan.drives]
    noise = rng.normal(0, _ITEM_SD, len(plan.items)).tolist()
    picks = rng.random(len(plan.items)).tolist()
    answers: dict[str, Answer] = {}
    skipped: set[str] = set()
    for item, item_noise, pick in zip(plan.items, noise, picks, strict=True):
        if item.skip_if is not None:
            controlling, values = item.skip_if
            if controlling in skipped or answers.get(controlling) in values:
                skipped.add(item.id)
                continue
        share = min(max(base[item.drive] + item_noise, 0.0), 0.999999)
        if item.multi:  # tick one option, or all of them when the burden is high
            values = item.levels[0]
            ticked = len(values) if share >= 0.5 else 1
            first = int(pick * len(values))
            answers[item.id] = sorted(values[(first + k) % len(values)] for k in range(ticked))
            continue
        level = item.levels[int(share * len(item.levels))]
        answers[item.id] = level[int(pick * len(level))]
    return answers


def _driver(drive: _Drive, burden: Mapping[str, float], change: float) -> float:
    if drive.ratings == _CHANGE:
        return change
    if not drive.ratings:
        return 0.0
    return sum(burden[name] for name in drive.ratings) / len(drive.ratings)


def simulate_stand_tests(clinic: SimulatedClinic, *, seed: int) -> list[SimulatedStandTest]:
    """The stand tests of every patient with POTS, by patient, then date.

    Deterministic for the same clinic and ``seed``; every value is one a home monitor can show
    (within :mod:`lowdose.standtest`'s plausibility bounds) and systolic stays above diastolic.
    """
    rng = np.random.default_rng([seed, 2])
    last_days = clinic.checkins.last_days()
    found: list[SimulatedStandTest] = []
    for patient in clinic.patients:
        if "pots" not in patient.conditions:
            continue
        last = datetime.date.fromordinal(int(last_days[patient.index]))
        person = _StandingProfile.draw(rng)
        for week in STAND_TEST_WEEKS:
            if week == 0:
                day = _sitting_day(rng, patient, 0, patient.ldn_start)
            else:
                offset = int(rng.integers(-3, 6))
                day = patient.ldn_start + datetime.timedelta(weeks=week, days=offset)
            skip = week > 0 and rng.random() < _SKIP_STAND_TEST_P
            if day > last or skip:
                continue
            if patient.stopped_on is not None and day >= patient.stopped_on:
                continue
            improvement = max(-patient.true_effect["orthostatic"], 0.0) * patient.ramp_on(day)
            rise = person.peak_rise - HR_RISE_BPM_PER_POINT * improvement
            readings, symptoms = _stand_test_readings(rng, person, rise)
            found.append(SimulatedStandTest(patient.index, day, readings, symptoms))
    return found


@dataclass(frozen=True)
class _StandingProfile:
    """A patient's usual lying-down values and heart-rate rise on standing."""

    hr: float
    sbp: float
    dbp: float
    peak_rise: float
    rise_minutes: float

    @classmethod
    def draw(cls, rng: np.random.Generator) -> _StandingProfile:
        hr, sbp, dbp, rise = rng.normal([74, 112, 72, 38], [7, 9, 6, 8]).tolist()
        return cls(
            hr=_clip(hr, 55, 95),
            sbp=_clip(sbp, 95, 140),
            dbp=_clip(dbp, 58, 88),
            peak_rise=_clip(rise, 18, 65),
            rise_minutes=float(rng.uniform(1, 3)),
        )


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _stand_test_readings(
    rng: np.random.Generator, person: _StandingProfile, peak_rise: float
) -> tuple[tuple[Reading, ...], str]:
    """Three lying-down minutes, then ten standing ones (the test minutes of the web form)."""
    day_hr, day_sbp, day_rise = rng.normal(0, [3, 4, 4]).tolist()
    drop, fall = rng.random(2).tolist()  # now and then the pressure falls on standing up
    hr, sbp, dbp = person.hr + day_hr, person.sbp + day_sbp, person.dbp
    rise = max(peak_rise + day_rise, 5.0)
    supine = rng.normal(0, [2, 3, 2], (STAND_TEST_SUPINE_MINUTES, 3)).tolist()
    readings = [
        _reading(m, Position.SUPINE, hr + z_hr, sbp + z_sbp, dbp + z_dbp)
        for m, (z_hr, z_sbp, z_dbp) in enumerate(supine)
    ]
    standing = rng.normal(0, [3, 5, 3], (STAND_TEST_STANDING_MINUTES, 3)).tolist()
    chances = rng.random((STAND_TEST_STANDING_MINUTES, 3)).tolist()
    felt: list[str] = []
    for k, ((z_hr, z_sbp, z_dbp), (feel, which, cuff)) in enumerate(
        zip(standing, chances, strict=True), start=1
    ):
        gain = rise * (1 - math.exp(-k / person.rise_minutes))
        first_fall = 15 + 13 * fall if drop < 0.03 and k == 1 else 0.0
        symptom = ""
        if gain >= 25 and feel < 0.25:
            symptom = _STANDING_SYMPTOMS[int(which * len(_STANDING_SYMPTOMS))]
            felt.append(symptom)
        reading = _reading(
            STAND_TEST_SUPINE_MINUTES - 1 + k,
            Position.STANDING,
            hr + gain + z_hr,
            sbp - 1 - first_fall + z_sbp,
            dbp + 4 + z_dbp,
            symptom,
            keep_pressure=k <= 3 or cuff >= 0.1,  # a slow cuff skips a later minute now and then
        )
        readings.append(reading)
    words = ", ".join(dict.fromkeys(felt))
    return tuple(readings), (f"Standing: {words}." if words else "")


def _reading(
    minute: int,
    position: Position,
    hr: float,
    sbp: float,
    dbp: float,
    symptoms: str = "",
    *,
    keep_pressure: bool = True,
) -> Reading:
    beats = int(_clip(round(hr), 40, 200))
    if not keep_pressure:
        return Reading(minute, position, beats, None, None, symptoms)
    top = int(_clip(round(sbp), 80, 180))
    bottom = int(_clip(round(dbp), 45, top - 15))
    return Reading(minute, position, beats, top, bottom, symptoms)
