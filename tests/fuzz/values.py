"""Hypothesis strategies for what people and programs type into forms, and the fuzz settings.

Every field gets a mix of near-valid values (the right shape, at or past the edges) and
arbitrary ones: wrong types, huge and negative numbers, NaN and infinities, decimals with many
digits, unicode, empty strings, far-past and far-future dates.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per test; LOWDOSE_FUZZ_SCALE multiplies them for a longer run (default 1, for CI).
SCALE = int(os.environ.get("LOWDOSE_FUZZ_SCALE", "1"))
#: LOWDOSE_FUZZ_RANDOM=1 draws new cases on each run (to explore); by default every run, and CI,
#: sends the same cases.
RANDOM = os.environ.get("LOWDOSE_FUZZ_RANDOM") == "1"


def fuzz_settings(examples: int) -> settings:
    """Reproducible unless RANDOM: the same cases on every run (no example database).

    Function-scoped fixtures are shared by a test's cases on purpose: each case runs in a
    savepoint that is rolled back, so every case meets the same world."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )


#: Text a browser can send: any code point but lone surrogates (which UTF-8 cannot carry).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)

NUMBERS = [
    "0", "-1", "1e309", "-0", "NaN", "nan", "inf", "-Infinity", "1" * 40, "0.000000000000001",
    "3.14159265358979323846264338327950288", "1,5", "١٢", "0x10", "1_000", " 7 ", "2**64",
    str(2**63), str(-(2**63) - 1), "9" * 400,
]  # fmt: skip
DATES = [
    "0001-01-01", "9999-12-31", "10000-01-01", "1900-02-29", "2024-02-30", "2024-13-01",
    "31/12/2024", "12/31/2024", "2024-1-1", "today", "-2024-01-01", "20240101",
]  # fmt: skip

#: Arbitrary values for any field: the shapes above, numbers of every size, and any text.
arbitrary = st.one_of(
    st.sampled_from(["", " ", "\x00", "null", "None", "true", "[]", "{}", *NUMBERS, *DATES]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    text,
    st.just("x" * 5000),
)


def near_dates(today: dt.date, span: int = 400) -> st.SearchStrategy[str]:
    """ISO dates around today, the calendar's ends, and days far from today."""
    days = st.integers(-span, span).map(lambda n: (today + dt.timedelta(days=n)).isoformat())
    far = st.sampled_from([dt.date.min, dt.date.max, dt.date(1900, 1, 1), dt.date(2200, 1, 1)])
    return st.one_of(days, far.map(dt.date.isoformat))


def near_numbers(low: int, high: int) -> st.SearchStrategy[str]:
    """Whole and decimal numbers around a field's range, and just outside it."""
    return st.one_of(
        st.integers(low - 2, high + 2).map(str),
        st.decimals(low - 1, high + 1, places=3).map(str),
    )


@dataclass(frozen=True)
class Field:
    """A form field's values: near-valid ones, and wild ones (near-valid, arbitrary, several)."""

    near: st.SearchStrategy

    @property
    def wild(self) -> st.SearchStrategy:
        one = st.one_of(self.near, arbitrary)
        return st.one_of(one, one, st.lists(one, min_size=2, max_size=3))


def field(*near: st.SearchStrategy | list[str]) -> Field:
    """A field whose near-valid values are drawn from the lists and strategies given."""
    return Field(st.one_of(*(st.sampled_from(n) if isinstance(n, list) else n for n in near)))


def form(fields: dict[str, Field], **fixed: str) -> st.SearchStrategy[dict]:
    """A POST body: half the time every field near-valid; else each field wild or missing, with
    extra fields sometimes. ``fixed`` fields are always sent as given."""
    tidy = st.fixed_dictionaries({**{k: f.near for k, f in fields.items()}, **fixed})
    extra = st.dictionaries(st.sampled_from(["id", "patient", "pk", "course", "created_by"]),
                            arbitrary, max_size=2)  # fmt: skip
    body = st.fixed_dictionaries(dict(fixed), optional={k: f.wild for k, f in fields.items()})
    wild = st.builds(lambda b, e: {**e, **b}, body, extra)
    return st.one_of(tidy, wild)
