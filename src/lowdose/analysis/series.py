"""One patient's daily series: dates, the phase of each day and the outcome values.

A series is validated once, when it is made; everything downstream can rely on strictly
increasing dates, known phases and finite values (missing values are NaN internally).
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from lowdose.analysis.errors import DateOrderError, UnknownPhaseError, ValueRangeError


class Phase(enum.Enum):
    """What a day was: an open-label course phase, or a period of a blinded trial."""

    BASELINE = "baseline"
    TITRATION = "titration"
    MAINTENANCE = "maintenance"
    STOPPED = "stopped"
    LDN = "ldn"
    PLACEBO = "placebo"
    WASHOUT = "washout"

    @classmethod
    def parse(cls, text: str, *, where: str = "") -> Phase:
        """``"Baseline "`` → ``Phase.BASELINE``; unknown names raise :class:`UnknownPhaseError`."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            known = ", ".join(p.value for p in cls)
            raise UnknownPhaseError(
                f"Unknown phase '{text}'{where}; use one of: {known}.", field="phase"
            ) from None


TRIAL_PHASES = frozenset({Phase.LDN, Phase.PLACEBO, Phase.WASHOUT})
_PHASE_CODE = {phase: code for code, phase in enumerate(Phase)}
_PHASE_BY_NAME = {phase.value: phase for phase in Phase}


@dataclass(frozen=True, eq=False)
class DailySeries:
    """A validated daily series for one patient.

    ``days`` are day numbers counted from the first date (so gaps show as jumps), ``values``
    maps each outcome name to a float array with NaN where the day's value is missing.
    ``medication_changes`` are dates on which another medication was started, stopped or changed.
    """

    dates: tuple[dt.date, ...]
    days: np.ndarray
    phases: tuple[Phase, ...]
    values: Mapping[str, np.ndarray]
    medication_changes: tuple[dt.date, ...] = ()
    phase_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(self.values)

    def phase_mask(self, *phases: Phase) -> np.ndarray:
        """Boolean array: which rows are in any of ``phases``."""
        return np.isin(self.phase_codes, [_PHASE_CODE[p] for p in phases])


def make_series(
    dates: Sequence[dt.date],
    phases: Sequence[Phase | str],
    values: Mapping[str, Sequence[float | None]],
    medication_changes: Iterable[dt.date] = (),
) -> DailySeries:
    """Validate and build a :class:`DailySeries`.

    ``dates`` must be strictly increasing (days may be skipped); ``phases`` are
    :class:`Phase` members or their names; each outcome in ``values`` has one entry per date,
    ``None`` or NaN for a missing day.

    >>> s = make_series([dt.date(2025, 1, 1), dt.date(2025, 1, 3)], ["baseline", "baseline"],
    ...                 {"pain": [6, None]})
    >>> s.days.tolist(), int(np.isnan(s.values["pain"]).sum())
    ([0, 2], 1)
    """
    ordinals = np.fromiter((d.toordinal() for d in dates), np.int64, len(dates))
    if len(ordinals) > 1 and np.diff(ordinals).min() <= 0:
        _check_dates(dates)
    parsed = tuple(_phase(p, dates[i] if i < len(dates) else None) for i, p in enumerate(phases))
    if len(parsed) != len(dates):
        raise ValueRangeError("Each date needs exactly one phase.", field="phase")
    arrays = {name: _to_array(name, column, len(dates)) for name, column in values.items()}
    codes = np.fromiter((_PHASE_CODE[p] for p in parsed), np.int8, len(parsed))
    days = ordinals - ordinals[0] if len(ordinals) else ordinals
    changes = tuple(sorted(set(medication_changes)))
    return DailySeries(tuple(dates), days, parsed, arrays, changes, codes)


def _phase(value: Phase | str, date: dt.date | None) -> Phase:
    if isinstance(value, Phase):
        return value
    found = _PHASE_BY_NAME.get(value)
    return found if found is not None else Phase.parse(str(value), where=f" on {date}")


def _check_dates(dates: Sequence[dt.date]) -> None:
    """Name the first repeated or out-of-order date."""
    for before, after in itertools.pairwise(dates):
        if after == before:
            raise DateOrderError(f"The date {after} appears more than once.", field="date")
        if after < before:
            raise DateOrderError(
                f"Dates are out of order: {after} comes after {before}.", field="date"
            )


def _to_array(name: str, column: Sequence[float | None], n: int) -> np.ndarray:
    if len(column) != n:
        raise ValueRangeError(f"Outcome '{name}' has {len(column)} values for {n} dates.")
    try:  # fast path: numbers, None and NaN (None becomes NaN)
        fast = np.array(column, dtype=float)
    except (TypeError, ValueError):
        fast = None
    if fast is not None and fast.shape == (n,) and not np.isinf(fast).any():
        return fast
    out = np.empty(n)
    for i, v in enumerate(column):
        if v is None:
            out[i] = math.nan
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise ValueRangeError(
                f"'{v}' is not a number (outcome '{name}').", field=name
            ) from None
        if math.isinf(out[i]):
            raise ValueRangeError(f"'{v}' is not a finite number (outcome '{name}').", field=name)
    return out


def series_from_rows(
    rows: Iterable[Mapping[str, str | None]], outcome_columns: Sequence[str]
) -> DailySeries:
    """Build a series from text rows (e.g. a CSV): ``date`` (ISO), ``phase``, outcome columns.

    An empty cell is a missing value. An optional ``medication_change`` column marks, with any
    non-empty text, a day on which another medication changed. Row numbers in error messages count
    the header as row 1.
    """
    dates: list[dt.date] = []
    phases: list[Phase] = []
    cols: dict[str, list[float | None]] = {name: [] for name in outcome_columns}
    changes: list[dt.date] = []
    for number, row in enumerate(rows, start=2):
        date = _parse_date(row.get("date"), number)
        dates.append(date)
        phases.append(Phase.parse(row.get("phase") or "", where=f" in row {number}"))
        for name in outcome_columns:
            cols[name].append(_parse_value(row.get(name), name, number))
        if (row.get("medication_change") or "").strip():
            changes.append(date)
    return make_series(dates, phases, cols, changes)


def _parse_date(text: str | None, number: int) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise DateOrderError(
            f"Row {number}: '{text}' is not a date (use YYYY-MM-DD).", field="date"
        ) from None


def _parse_value(text: str | None, name: str, number: int) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueRangeError(
            f"Row {number}: '{text}' is not a number ({name}).", field=name
        ) from None
    if not math.isfinite(value):
        raise ValueRangeError(
            f"Row {number}: '{text}' is not a finite number ({name}).", field=name
        )
    return value


def series_from_columns(
    dates: Sequence[str],
    phases: Sequence[str],
    columns: Mapping[str, Sequence[str]],
    medication_change: Sequence[str] | None = None,
) -> DailySeries:
    """Like :func:`series_from_rows`, from text columns (the fast path for large CSV files).

    Clean input is converted in a few comprehensions; anything unusual (spaces, bad numbers,
    unknown phases) falls back to the row-by-row parser, which names the offending row.
    """
    try:
        parsed_dates = [dt.date.fromisoformat(t) for t in dates]
        parsed_phases = [_PHASE_BY_NAME[t] for t in phases]
        values = {name: [float(t) if t else None for t in col] for name, col in columns.items()}
        if any(v is not None and not math.isfinite(v) for col in values.values() for v in col):
            raise ValueError("not finite")
    except (ValueError, KeyError, TypeError):
        return series_from_rows(_rows(dates, phases, columns, medication_change), list(columns))
    changes = [d for d, t in zip(parsed_dates, medication_change or (), strict=False) if t.strip()]
    return make_series(parsed_dates, parsed_phases, values, changes)


def _rows(
    dates: Sequence[str],
    phases: Sequence[str],
    columns: Mapping[str, Sequence[str]],
    medication_change: Sequence[str] | None,
) -> list[dict[str, str]]:
    rows = []
    for i, (date, phase) in enumerate(zip(dates, phases, strict=True)):
        row = {"date": date, "phase": phase, **{k: col[i] for k, col in columns.items()}}
        if medication_change is not None:
            row["medication_change"] = medication_change[i]
        rows.append(row)
    return rows
