"""The ratings chart of one patient, from the database to SVG."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse

from lowdose.charts import ChartEvent, PhaseSpan, ScorePoint, StandRise, render_ratings_chart
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
        events=sorted(
            _medication_events(patient, days) + _plan_events(course, days),
            key=lambda event: event.day,
        ),
        scores=_scores(patient, days),
        stand_rises=_stand_rises(patient, days),
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


def _within(day: dt.date, days: list[dt.date]) -> bool:
    return bool(days) and days[0] <= day <= days[-1]


def _plan_events(course, days: list[dt.date]) -> list[ChartEvent]:
    """Revisions of the titration plan (step back, hold, …) inside the charted days."""
    from lowdose.web.safety.models import PlanRevision

    if course is None:
        return []
    revisions = PlanRevision.objects.filter(plan__course=course).order_by("effective")
    return [
        ChartEvent(r.effective, f"Plan: {r.get_kind_display().lower()}")
        for r in revisions
        if _within(r.effective, days)
    ]


def _scores(patient: Patient, days: list[dt.date]) -> list[ScorePoint]:
    """Questionnaire totals as a share of each scale's range, so that high is always worse."""
    from lowdose.instruments import load_instrument
    from lowdose.web.outcomes.models import QuestionnaireResponse

    points = []
    responses = QuestionnaireResponse.objects.filter(patient=patient, total__isnull=False)
    for response in responses.order_by("date"):
        instrument = load_instrument(response.instrument)
        if not instrument.total_range or instrument.higher_is_worse is None:
            continue  # no scale to place it on: the table beside the chart lists it
        low, high = instrument.total_range
        share = (float(response.total) - low) / (high - low) * 100
        if not _within(response.date, days):
            continue
        points.append(
            ScorePoint(
                response.date,
                instrument.short_name,  # "COMPASS-31", not its full title
                float(response.total),
                share if instrument.higher_is_worse else 100 - share,
            )
        )
    return points


def _stand_rises(patient: Patient, days: list[dt.date]) -> list[StandRise]:
    from lowdose.standtest import pots_hr_threshold
    from lowdose.web.outcomes.models import StandTest

    tests = StandTest.objects.filter(patient=patient, max_delta_hr__isnull=False).order_by("date")
    return [
        StandRise(t.date, float(t.max_delta_hr), pots_hr_threshold(t.age_years))
        for t in tests
        if _within(t.date, days)
    ]


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
