"""The stand-test chart of one patient, from the database to SVG, and its table of numbers."""

from __future__ import annotations

from lowdose.standtest import pots_hr_threshold
from lowdose.standtest_chart import render_stand_test_chart
from lowdose.web.courses.models import Patient
from lowdose.web.outcomes.models import StandTest


def stand_test_chart_svg(patient: Patient) -> str:
    tests = list(StandTest.objects.filter(patient=patient).order_by("date", "pk"))
    today = patient.local_today()
    return render_stand_test_chart(
        [t.date for t in tests],
        [t.max_delta_hr for t in tests],
        [t.complete for t in tests],
        threshold_bpm=pots_hr_threshold(patient.age_on(today)),
        title=f"Largest standing heart-rate rise of {patient} per stand test",
    )


def stand_test_rows(tests: list[StandTest]) -> list[dict]:
    """One row per test for the table that carries the chart's numbers."""
    return [
        {
            "test": t,
            "threshold": t.result.get("hr_threshold_bpm"),
            "baseline": t.baseline_hr,
            "rise": t.max_delta_hr,
            "minute": t.max_delta_standing_minute,
        }
        for t in tests
    ]
