"""Helpers for the outcomes pages: COMPASS-31 answers and stand-test form data."""

from __future__ import annotations

import pytest

# COMPASS-31 with every "No" that skips follow-ups: q01=2 skips q02-q04, q05=2 skips q06-q07,
# q16=2 skips q17-q19, q20=2 skips q21-q23, q27=1 skips q28, q29=1 skips q30.
COMPASS_NO_SYMPTOMS = {
    "q01": "2", "q05": "2", "q08": "3", "q09": "2", "q10": "2", "q11": "1", "q12": "3",
    "q13": "1", "q14": "1", "q15": "1", "q16": "2", "q20": "2", "q24": "1", "q25": "1",
    "q26": "1", "q27": "1", "q29": "1", "q31": "1",
}  # fmt: skip


@pytest.fixture
def compass_no_symptoms(today):
    return {"date": today.isoformat(), **COMPASS_NO_SYMPTOMS}


def stand_test_data(day, supine_hr=70, standing_hr=104, bp=("120", "80")) -> dict:
    """Form data: 3 lying-down minutes (test minutes 0-2), then standing minutes 1-10 (3-12)."""
    data = {"date": day.isoformat(), "symptoms": "Dizzy after 5 minutes"}
    for minute in range(13):
        hr = supine_hr if minute < 3 else standing_hr
        data.update({f"hr_{minute}": str(hr), f"sbp_{minute}": bp[0], f"dbp_{minute}": bp[1]})
    return data
