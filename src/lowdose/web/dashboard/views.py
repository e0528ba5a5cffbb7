"""The clinician's home: every patient of the clinic at a glance."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lowdose.course import CONDITION_LABELS, Phase
from lowdose.web.access import role_required
from lowdose.web.accounts import audit
from lowdose.web.dashboard.queries import (
    ADHERENCE_DAYS,
    RESPONDER_FILTERS,
    SORTS,
    Filters,
    alert_kinds_of,
    conditions_of,
    dashboard_rows,
)
from lowdose.web.evaluation.dashboard import main_outcome_estimates

PAGE_SIZE = 50
COLUMNS = (
    ("name", "Patient"),
    ("conditions", "Conditions"),
    ("phase", "Phase"),
    ("dose", "Dose today"),
    ("days", "Day of course"),
    ("adherence", f"Doses logged, last {ADHERENCE_DAYS} days"),
    ("last", "Last check-in"),
    ("alerts", "Open alerts"),
    ("effect", "Main outcome"),
)


def _filters(request: HttpRequest) -> Filters:
    get = request.GET
    phases = {p.value for p in Phase}
    conditions = {c.value for c in CONDITION_LABELS}
    return Filters(
        query=get.get("q", "").strip()[:100],
        condition=get.get("condition", "") if get.get("condition") in conditions else "",
        phase=get.get("phase", "") if get.get("phase") in phases else "",
        alerts_only=get.get("alerts") == "1",
        responder=get.get("responder", "") if get.get("responder") in RESPONDER_FILTERS else "",
        sort=get.get("sort", "name") if get.get("sort") in SORTS else "name",
        descending=get.get("dir") == "desc",
    )


@role_required("clinician")
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    today = timezone.localdate()
    rows = dashboard_rows(request.user.clinic_id, today, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    patients = list(page)
    ids = [p.pk for p in patients]
    conditions, alerts = conditions_of(ids), alert_kinds_of(ids)
    estimates = main_outcome_estimates(request.user, ids)
    for patient in patients:
        patient.condition_list = conditions[patient.pk]
        patient.alert_kinds = alerts[patient.pk]
        patient.estimate = estimates.get(patient.pk)
        patient.days_on = (
            (today - patient.course_start).days + 1
            if patient.phase in (Phase.TITRATION.value, Phase.MAINTENANCE.value)
            else None
        )
        patient.dose_days = min(ADHERENCE_DAYS, patient.days_on) if patient.days_on else None
    audit.record_list(request, patients)
    context = {
        "page": page,
        "patients": patients,
        "filters": filters,
        "columns": COLUMNS,
        "sortable": set(SORTS),
        "query_string": _query_string(request),
        "phases": [(p.value, p.label) for p in Phase],
        "responders": [(r, r.replace("_", " ").capitalize()) for r in RESPONDER_FILTERS],
        "conditions": [(c.value, label) for c, label in CONDITION_LABELS.items()],
    }
    template = (
        "dashboard/_table.html"
        if request.headers.get("HX-Request")
        else ("dashboard/dashboard.html")
    )
    return render(request, template, context)


def _query_string(request: HttpRequest) -> str:
    """The current filters without sort and page, to build sort and page links from."""
    params = request.GET.copy()
    for key in ("sort", "dir", "page"):
        params.pop(key, None)
    return params.urlencode()
