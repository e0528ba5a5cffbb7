"""The ratings chart of one patient, from the database to SVG."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse

from lowdose.charts import render_ratings_chart
from lowdose.course import Phase
from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn


def ratings_chart_svg(patient: Patient, *, since: dt.date | None = None) -> str:
    rows = CheckIn.objects.filter(patient=patient).order_by("date")
    if since is not None:
        rows = rows.filter(date__gte=since)
    rows = list(rows.values_list("date", *RATING_NAMES))
    days = [row[0] for row in rows]
    ratings = {name: [row[i + 1] for row in rows] for i, name in enumerate(RATING_NAMES)}
    course = patient.current_course()
    steps, phase_starts = [], []
    if course is not None:
        steps = course.dose_steps()
        phase_starts = [(course.start_date, "LDN start")]
        if course.maintenance_start:
            phase_starts.append((course.maintenance_start, Phase.MAINTENANCE.label))
        if course.stopped_on:
            phase_starts.append((course.stopped_on, Phase.STOPPED.label))
        if days:
            phase_starts = [(d, label) for d, label in phase_starts if days[0] <= d <= days[-1]]
    return render_ratings_chart(
        days,
        ratings,
        steps,
        title=f"Daily ratings and LDN dose of {patient}",
        phase_starts=phase_starts,
    )


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store, private"
    return response


def history_context(rows) -> dict:
    """Rows for the check-in history table (the chart's text alternative)."""
    table = [
        {
            "date": r.date,
            "late": r.late,
            "dose_taken": r.dose_taken,
            "rating_values": [getattr(r, name) for name in RATING_NAMES],
            "side_effects": r.side_effects,
        }
        for r in rows
    ]
    return {"recent_rows": table, "rating_labels": [RATINGS_BY_NAME[n].label for n in RATING_NAMES]}
