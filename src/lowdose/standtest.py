"""The 10-minute active stand / NASA lean test: readings in, measurement findings out.

Protocol (Bateman Horne Center NASA lean test instructions): rest lying down, record heart rate
and blood pressure, then stand (leaning on a wall) and record them every minute for 10 minutes,
noting symptoms. From the readings this module computes the supine baseline, the largest
heart-rate rise and its minute, whether the rise is sustained, orthostatic hypotension, and
whether the age-dependent POTS heart-rate criterion is met. It also says when a test is too short
or incomplete to judge.

"Meets the POTS heart-rate criterion" is a measurement finding, never a diagnosis: POTS also
needs symptoms for months, no orthostatic hypotension and no other cause of tachycardia
(Sheldon 2015; Vernino 2021; Raj 2020).
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lowdose.errors import LowdoseError

# --- clinical thresholds -------------------------------------------------------------------------
# Sheldon RS et al. 2015 HRS expert consensus statement. Heart Rhythm 2015;12(6):e41-e63.
# doi:10.1016/j.hrthm.2015.03.029 — and Vernino S et al. Auton Neurosci 2021;235:102828;
# Raj SR et al. Can J Cardiol 2020;36(3):357-372: a sustained heart-rate rise of at least 30 bpm
# in adults, at least 40 bpm at ages 12-19, within 10 minutes of standing; undefined under 12.

#: Adult POTS heart-rate criterion, bpm rise over the supine baseline.
POTS_HR_RISE_ADULT_BPM = 30
#: POTS heart-rate criterion at ages 12-19, bpm.
POTS_HR_RISE_ADOLESCENT_BPM = 40
#: Youngest age (years) for which the adolescent threshold applies; POTS is undefined below it.
POTS_MIN_AGE_YEARS = 12
#: Oldest age (years) for which the adolescent threshold applies.
POTS_ADOLESCENT_MAX_AGE_YEARS = 19
#: The criterion looks at the first 10 minutes of standing.
STANDING_WINDOW_MIN = 10

# Orthostatic hypotension: a fall of at least 20 mmHg systolic or 10 mmHg diastolic within
# 3 minutes of standing (Australian POTS Registry methods; consensus statements above).
OH_SBP_FALL_MMHG = 20
OH_DBP_FALL_MMHG = 10
OH_WINDOW_MIN = 3

# Product defaults, not clinical claims. "Sustained" is not given a number in the consensus
# statements; lowdose calls a rise sustained when it is reached at this many consecutive standing
# readings, so that a single spike (a cough, a moved finger probe) does not count.
SUSTAINED_MIN_CONSECUTIVE_READINGS = 2
# The NASA lean test instructions repeat supine readings until two consecutive ones agree.
MIN_SUPINE_READINGS = 2

# Plausibility bounds for what a home monitor can report; outside them the value is refused as a
# typing or device error. Product defaults, not clinical thresholds.
HR_RANGE_BPM = (20, 250)
SBP_RANGE_MMHG = (50, 300)
DBP_RANGE_MMHG = (20, 200)
MAX_TEST_MINUTE = 60


class StandTestError(LowdoseError):
    """Readings that cannot be a stand test (impossible values, minutes out of order, ...)."""


class Position(enum.Enum):
    SUPINE = "supine"
    STANDING = "standing"


@dataclass(frozen=True)
class Reading:
    """One minute's measurement. ``minute`` counts from the start of the test (supine first).

    Heart rate in beats per minute, blood pressure in mmHg; any of them may be ``None`` when it
    was not recorded that minute.
    """

    minute: int
    position: Position
    hr: int | None
    sbp: int | None = None
    dbp: int | None = None
    symptoms: str = ""


@dataclass(frozen=True)
class StandTestResult:
    """Findings of one stand test. ``None`` means "cannot be judged from these readings"."""

    age_years: int
    baseline_hr: Decimal | None
    baseline_sbp: Decimal | None
    baseline_dbp: Decimal | None
    max_delta_hr: Decimal | None
    max_delta_minute: int | None  # the test's own minute, as entered
    max_delta_standing_minute: int | None  # minutes after standing up
    hr_threshold_bpm: int | None
    sustained: bool | None
    orthostatic_hypotension: bool | None
    pots_hr_criterion_met: bool | None
    complete: bool
    notes: tuple[str, ...]


def _check_range(value: int | None, bounds: tuple[int, int], what: str, minute: int) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise StandTestError(
            f"Minute {minute}: {what} {value} is not possible; expected {bounds[0]}–{bounds[1]}.",
            field=what.split()[0].lower(),
        )


def validate_readings(readings: Sequence[Reading]) -> None:
    """Refuse impossible values and orders; raises :class:`StandTestError` naming the minute."""
    if not readings:
        raise StandTestError("A stand test needs at least one reading.", field="readings")
    seen: set[int] = set()
    standing_started = False
    for r in readings:
        if not 0 <= r.minute <= MAX_TEST_MINUTE:
            raise StandTestError(
                f"Minute {r.minute} is outside 0–{MAX_TEST_MINUTE}.", field="minute"
            )
        if r.minute in seen:
            raise StandTestError(f"Minute {r.minute} appears twice.", field="minute")
        if seen and r.minute < max(seen):
            raise StandTestError(f"Minute {r.minute} comes after a later minute.", field="minute")
        seen.add(r.minute)
        if r.position is Position.SUPINE and standing_started:
            raise StandTestError(
                f"Minute {r.minute} is supine after standing; supine minutes come first.",
                field="position",
            )
        standing_started = standing_started or r.position is Position.STANDING
        _check_values(r)


def _check_values(r: Reading) -> None:
    _check_range(r.hr, HR_RANGE_BPM, "HR (bpm)", r.minute)
    _check_range(r.sbp, SBP_RANGE_MMHG, "SBP (mmHg)", r.minute)
    _check_range(r.dbp, DBP_RANGE_MMHG, "DBP (mmHg)", r.minute)
    if (r.sbp is None) != (r.dbp is None):
        raise StandTestError(
            f"Minute {r.minute}: give both systolic and diastolic pressure, or neither.",
            field="sbp",
        )
    if r.sbp is not None and r.dbp is not None and r.sbp <= r.dbp:
        raise StandTestError(
            f"Minute {r.minute}: systolic {r.sbp} must be higher than diastolic {r.dbp}.",
            field="sbp",
        )


def pots_hr_threshold(age_years: int) -> int | None:
    """The heart-rate rise (bpm) of the POTS criterion at this age; ``None`` under 12.

    >>> pots_hr_threshold(19), pots_hr_threshold(20), pots_hr_threshold(11)
    (40, 30, None)
    """
    if age_years < 0 or age_years > 130:
        raise StandTestError(f"Age {age_years} is not possible.", field="age")
    if age_years < POTS_MIN_AGE_YEARS:
        return None
    if age_years <= POTS_ADOLESCENT_MAX_AGE_YEARS:
        return POTS_HR_RISE_ADOLESCENT_BPM
    return POTS_HR_RISE_ADULT_BPM


def _mean(values: Iterable[int]) -> Decimal | None:
    items = list(values)
    if not items:
        return None
    return (Decimal(sum(items)) / len(items)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class _Standing:
    minute: int  # the test's minute
    after: int  # minutes after standing up
    reading: Reading


def _standing(readings: Sequence[Reading]) -> list[_Standing]:
    supine = [r.minute for r in readings if r.position is Position.SUPINE]
    stood_at = max(supine) if supine else None
    if stood_at is None:
        return []
    return [
        _Standing(r.minute, r.minute - stood_at, r)
        for r in readings
        if r.position is Position.STANDING
    ]


def analyse_stand_test(readings: Sequence[Reading], age_years: int) -> StandTestResult:
    """Compute the stand-test findings.

    Standing minutes are counted from the last supine reading (the moment of standing up), so a
    test with supine minutes 0–4 and standing minutes 5–14 covers standing minutes 1–10. A
    negative finding (criterion not met, no orthostatic hypotension) is only given when the
    readings that could have shown it are all there.

    >>> rs = [Reading(m, Position.SUPINE, 70, 120, 80) for m in (0, 1)]
    >>> rs += [Reading(m, Position.STANDING, 104, 118, 82) for m in range(2, 12)]
    >>> result = analyse_stand_test(rs, age_years=30)
    >>> result.max_delta_hr, result.pots_hr_criterion_met, result.complete
    (Decimal('34.0'), True, True)
    """
    validate_readings(readings)
    threshold = pots_hr_threshold(age_years)
    notes: list[str] = []
    supine = [r for r in readings if r.position is Position.SUPINE]
    standing = [s for s in _standing(readings) if s.after <= STANDING_WINDOW_MIN]
    base_hr = _mean(r.hr for r in supine if r.hr is not None)
    base_sbp = _mean(r.sbp for r in supine if r.sbp is not None)
    base_dbp = _mean(r.dbp for r in supine if r.dbp is not None)
    complete = _completeness(readings, supine, standing, notes)
    rises = (
        [(s, r.hr - base_hr) for s in standing if (r := s.reading).hr is not None]
        if (base_hr is not None)
        else []
    )
    peak = max(rises, key=lambda pair: pair[1], default=None)
    sustained = _sustained(rises, threshold, complete, notes)
    oh = _orthostatic_hypotension(standing, base_sbp, base_dbp, notes)
    criterion = _criterion(threshold, sustained, notes)
    return StandTestResult(
        age_years=age_years,
        baseline_hr=base_hr,
        baseline_sbp=base_sbp,
        baseline_dbp=base_dbp,
        max_delta_hr=peak[1] if peak else None,
        max_delta_minute=peak[0].minute if peak else None,
        max_delta_standing_minute=peak[0].after if peak else None,
        hr_threshold_bpm=threshold,
        sustained=sustained,
        orthostatic_hypotension=oh,
        pots_hr_criterion_met=criterion,
        complete=complete,
        notes=tuple(notes),
    )


def _completeness(
    readings: Sequence[Reading],
    supine: Sequence[Reading],
    standing: Sequence[_Standing],
    notes: list[str],
) -> bool:
    complete = True
    supine_hr = [r for r in supine if r.hr is not None]
    if len(supine_hr) < MIN_SUPINE_READINGS:
        complete = False
        notes.append(
            f"Only {len(supine_hr)} supine heart-rate reading(s); the protocol needs at least "
            f"{MIN_SUPINE_READINGS} to set a resting baseline."
        )
    have = {s.after for s in standing if s.reading.hr is not None}
    gaps = [m for m in range(1, STANDING_WINDOW_MIN + 1) if m not in have]
    if not standing or not have:
        notes.append("No standing heart-rate readings: too short to judge.")
        return False
    if max(have) < STANDING_WINDOW_MIN:
        complete = False
        notes.append(
            f"Standing lasted {max(have)} of {STANDING_WINDOW_MIN} minutes: too short to rule "
            "the heart-rate criterion out."
        )
    elif gaps:
        complete = False
        listed = ", ".join(str(m) for m in gaps)
        notes.append(f"No heart rate at standing minute(s) {listed}: incomplete.")
    if any(s.after > STANDING_WINDOW_MIN for s in _standing(readings)):
        notes.append(f"Readings after standing minute {STANDING_WINDOW_MIN} were not used.")
    return complete


def _sustained(
    rises: Sequence[tuple[_Standing, Decimal]],
    threshold: int | None,
    complete: bool,
    notes: list[str],
) -> bool | None:
    """Whether the rise reached ``threshold`` at consecutive standing readings."""
    if threshold is None or not rises:
        return None
    # consecutive = adjacent recorded readings, so a 1-3-5-7-10 minute protocol can still count
    run = best = 0
    for _, rise in rises:
        run = run + 1 if rise >= threshold else 0
        best = max(best, run)
    if best >= SUSTAINED_MIN_CONSECUTIVE_READINGS:
        return True
    if any(rise >= threshold for _, rise in rises):
        notes.append(
            f"The rise reached {threshold} bpm at a single reading only: not counted as sustained."
        )
    return False if complete else None


def _orthostatic_hypotension(
    standing: Sequence[_Standing],
    base_sbp: Decimal | None,
    base_dbp: Decimal | None,
    notes: list[str],
) -> bool | None:
    early = [s.reading for s in standing if s.after <= OH_WINDOW_MIN and s.reading.sbp is not None]
    if base_sbp is None or base_dbp is None or not early:
        notes.append("Blood pressure is missing lying down or in the first 3 minutes standing.")
        return None
    for r in early:
        assert r.sbp is not None
        assert r.dbp is not None
        if base_sbp - r.sbp >= OH_SBP_FALL_MMHG or base_dbp - r.dbp >= OH_DBP_FALL_MMHG:
            return True
    covered = {s.after for s in standing if s.reading.sbp is not None}
    if not all(m in covered for m in range(1, OH_WINDOW_MIN + 1)):
        notes.append("Blood pressure was not taken at every one of standing minutes 1–3.")
        return None
    return False


def _criterion(threshold: int | None, sustained: bool | None, notes: list[str]) -> bool | None:
    if threshold is None:
        notes.append(
            f"The POTS heart-rate criterion is not defined under age {POTS_MIN_AGE_YEARS}."
        )
        return None
    return sustained


# --- CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS = ("minute", "position", "hr", "sbp", "dbp")


def _int_cell(row: dict[str, str], column: str, line: int) -> int | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise StandTestError(
            f"Line {line}: {column} '{text}' is not a whole number.", field=column
        ) from None


def read_readings_csv(text: str) -> list[Reading]:
    """Read readings from CSV text with columns minute, position, hr, sbp, dbp (symptoms optional).

    >>> read_readings_csv("minute,position,hr,sbp,dbp\\n0,supine,64,118,76\\n")[0].hr
    64
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise StandTestError(f"The CSV lacks column(s): {', '.join(missing)}.", field="csv")
    reader.fieldnames = header
    readings = []
    for line, row in enumerate(reader, start=2):
        position_text = (row.get("position") or "").strip().lower()
        try:
            position = Position(position_text)
        except ValueError:
            raise StandTestError(
                f"Line {line}: position '{position_text}' must be supine or standing.",
                field="position",
            ) from None
        minute = _int_cell(row, "minute", line)
        if minute is None:
            raise StandTestError(f"Line {line}: the minute is empty.", field="minute")
        readings.append(
            Reading(
                minute=minute,
                position=position,
                hr=_int_cell(row, "hr", line),
                sbp=_int_cell(row, "sbp", line),
                dbp=_int_cell(row, "dbp", line),
                symptoms=(row.get("symptoms") or "").strip(),
            )
        )
    return readings
