"""The ratings chart of one patient, from the database to SVG."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse

from lowdose.charts import ChartEvent, PhaseSpan, render_ratings_chart
from lowdose.course import Phase
from lowdose.ratings import RATING_NAMES, RATINGS_BY_NAME, Severity
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn

SVG_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def ratings_chart_svg(patient: Patient, *, since: dt.date | None = None) -> str:
    """The patient's course on one time axis: ratings, side effects, dose, phases, changes."""
    rows = CheckIn.objects.filter(patient=patient).order_by("date")
    if since is not None:
        rows = rows.filter(date__gte=since)
    rows = list(rows.values_list("date", "side_effects", *RATING_NAMES))
    days = [row[0] for row in rows]
    ratings = {name: [row[i + 2] for row in rows] for i, name in enumerate(RATING_NAMES)}
    side_effects = [
        (row[0], item["name"], Severity.from_name(item["severity"]).value)
        for row in rows
        for item in row[1]
    ]
    course = patient.current_course()
    return render_ratings_chart(
        days,
        ratings,
        course.dose_steps() if course else [],
        title=f"Daily ratings, side effects and LDN dose of {patient}",
        phases=_phase_spans(course) if course else (),
        side_effects=side_effects,
        events=_medication_events(patient, days),
    )


def _phase_spans(course) -> list[PhaseSpan]:
    """The course's phases as shaded spans (the chart clips them to the days it shows)."""
    one_day = dt.timedelta(days=1)
    bounds = [
        (course.baseline_start, Phase.BASELINE),
        (course.start_date, Phase.TITRATION),
        (course.maintenance_start, Phase.MAINTENANCE),
        (course.stopped_on, Phase.STOPPED),
    ]
    bounds = [(day, phase) for day, phase in bounds if day is not None]
    spans = []
    for index, (start, phase) in enumerate(bounds):
        end = bounds[index + 1][0] - one_day if index + 1 < len(bounds) else None
        if end is None or end >= start:
            spans.append(PhaseSpan(start, end, phase.label))
    return spans


def _medication_events(patient: Patient, days: list[dt.date]) -> list[ChartEvent]:
    """Medications started or stopped within the charted days: they may explain a change."""
    if not days:
        return []
    events = []
    for medication in patient.medications.all():
        for day, verb in ((medication.started_on, "started"), (medication.stopped_on, "stopped")):
            if day is not None and days[0] <= day <= days[-1]:
                events.append(ChartEvent(day, f"{medication.name} {verb}"))
    return sorted(events, key=lambda event: event.day)


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store, private"
    # matplotlib styles its SVG inline; the chart has no scripts and loads nothing.
    response["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
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
