"""The dashboard's rows, computed in the database: one query for a page, whatever the clinic size.

Every column a clinician can sort or filter by is an SQL expression on the patient row (the
current course, joined through ``Patient.latest_course``; the last check-in, kept in
``Patient.last_checkin_on``; dose in effect, doses taken in the last 14 days, open alerts), so
sorting and paging happen in the database and the number of queries does not grow with the
number of patients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lowdose.course import Phase
from lowdose.web.courses.models import DoseChange, Patient, PatientCondition
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation.models import Estimate
from lowdose.web.outcomes.models import Alert

#: The window adherence is measured over (days, ending today).
ADHERENCE_DAYS = 14

#: Sort keys offered to the clinician → the ordering they apply (ties broken by name).
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("user__last_name", "user__first_name"),
    "phase": ("phase_order",),
    "dose": ("dose_mg",),
    "days": ("-course_start",),
    "adherence": ("doses_taken",),
    "last": ("last_checkin",),
    "alerts": ("open_alerts",),
    # the main outcome's improvement, largest first (percent, so outcomes of any direction compare)
    "effect": ("-main_improvement",),
}

#: Responder classes a clinician can filter by, plus patients without an estimate yet.
RESPONDER_FILTERS = ("substantial", "moderate", "none", "inconclusive", "not_estimated")
_PHASE_ORDER = {Phase.BASELINE: 1, Phase.TITRATION: 2, Phase.MAINTENANCE: 3, Phase.STOPPED: 4}


@dataclass(frozen=True)
class Filters:
    """What the clinician asked for; every field optional."""

    query: str = ""
    condition: str = ""
    phase: str = ""
    alerts_only: bool = False
    responder: str = ""
    sort: str = "name"
    descending: bool = False


def dashboard_rows(clinic_id: int, today: dt.date, filters: Filters) -> QuerySet[Patient]:
    """The clinic's patients with every dashboard column annotated, filtered and sorted."""
    rows = _annotated(Patient.objects.filter(clinic_id=clinic_id), today)
    if filters.sort == "effect" or filters.responder:
        rows = _with_main_outcome(rows)  # only when asked for: the page shows it from the cache
    rows = _filtered(rows, filters)
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.descending:
        order = tuple(key[1:] if key.startswith("-") else f"-{key}" for key in order)
    return rows.order_by(*(_nulls_last(key) for key in order), "user__last_name", "pk")


def _nulls_last(key: str):
    return F(key[1:]).desc(nulls_last=True) if key.startswith("-") else F(key).asc(nulls_last=True)


def _annotated(patients: QuerySet[Patient], today: dt.date) -> QuerySet[Patient]:
    window_start = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    doses = (
        CheckIn.objects.filter(
            patient=OuterRef("pk"), date__gte=window_start, date__lte=today, dose_taken=True
        )
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    alerts = (
        Alert.objects.open()
        .filter(patient=OuterRef("pk"))
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The current course and the latest check-in are kept on the patient row (latest_course,
    # last_checkin_on), not looked up per patient: a phase filter or a sort by day of course or
    # by last check-in reads every patient of the clinic.
    rows = patients.select_related("user").annotate(
        course_id=F("latest_course_id"),
        course_start=F("latest_course__start_date"),
        maintenance_start=F("latest_course__maintenance_start"),
        stopped_on=F("latest_course__stopped_on"),
        last_checkin=F("last_checkin_on"),
        doses_taken=Coalesce(Subquery(doses, output_field=IntegerField()), Value(0)),
        open_alerts=Coalesce(Subquery(alerts, output_field=IntegerField()), Value(0)),
    )
    return rows.annotate(
        phase=_phase_expression(today),
        phase_order=_phase_order_expression(today),
        dose_mg=Subquery(
            DoseChange.objects.filter(
                course_id=OuterRef("latest_course_id"), effective_on__lte=today
            )
            .order_by("-effective_on")
            .values("dose_mg")[:1]
        ),
    )


def _main_estimates() -> QuerySet[Estimate]:
    """The patient's cached estimate of the main outcome, when there is one."""
    return Estimate.objects.filter(patient=OuterRef("pk"), is_main=True, status="ok")


def _with_main_outcome(rows: QuerySet[Patient]) -> QuerySet[Patient]:
    """The cached improvement and responder class of each course's main outcome."""
    main = _main_estimates()
    return rows.annotate(
        main_improvement=Subquery(main.values("percent_improvement")[:1]),
        main_responder=Subquery(main.values("responder")[:1]),
    )


def _phase_conditions(today: dt.date) -> list[tuple[Q, Phase]]:
    """The same rule as :meth:`lowdose.course.CourseDates.phase_on`, as SQL conditions."""
    return [
        (Q(course_start__isnull=True), None),
        (Q(stopped_on__lte=today), Phase.STOPPED),
        (Q(course_start__gt=today), Phase.BASELINE),
        (Q(maintenance_start__lte=today), Phase.MAINTENANCE),
        (Q(course_start__lte=today), Phase.TITRATION),
    ]


def _phase_expression(today: dt.date) -> Case:
    whens = [When(q, then=Value(p.value if p else None)) for q, p in _phase_conditions(today)]
    return Case(*whens, default=Value(None), output_field=CharField())


def _phase_order_expression(today: dt.date) -> Case:
    whens = [When(q, then=Value(_PHASE_ORDER[p] if p else 9)) for q, p in _phase_conditions(today)]
    return Case(*whens, default=Value(9), output_field=IntegerField())


def _filtered(rows: QuerySet[Patient], filters: Filters) -> QuerySet[Patient]:
    if filters.query:
        rows = rows.filter(
            Q(user__first_name__icontains=filters.query)
            | Q(user__last_name__icontains=filters.query)
            | Q(record_number__iexact=filters.query)
        )
    if filters.condition:
        rows = rows.filter(
            Exists(
                PatientCondition.objects.filter(patient=OuterRef("pk"), condition=filters.condition)
            )
        )
    if filters.phase:
        rows = rows.filter(phase=filters.phase)
    if filters.alerts_only:  # a semi-join, rather than counting every patient's alerts
        rows = rows.filter(Exists(Alert.objects.open().filter(patient=OuterRef("pk"))))
    # semi-joins over the main estimates, rather than looking each patient's up
    if filters.responder == "not_estimated":
        rows = rows.filter(~Exists(_main_estimates()))
    elif filters.responder:
        rows = rows.filter(Exists(_main_estimates().filter(responder=filters.responder)))
    return rows


def conditions_of(patient_ids: list[int]) -> dict[int, list[str]]:
    """Condition labels per patient, for one page of rows, in one query."""
    labels = dict(PatientCondition._meta.get_field("condition").choices)
    found: dict[int, list[str]] = {pk: [] for pk in patient_ids}
    for patient_id, code in (
        PatientCondition.objects.filter(patient_id__in=patient_ids)
        .values_list("patient_id", "condition")
        .order_by("condition")
    ):
        found[patient_id].append(labels[code])
    return found


def alert_kinds_of(patient_ids: list[int]) -> dict[int, list[str]]:
    """The kinds of open alerts per patient, for one page of rows, in one query."""
    labels = dict(Alert._meta.get_field("kind").choices)
    found: dict[int, list[str]] = {pk: [] for pk in patient_ids}
    rows = Alert.objects.open().filter(patient_id__in=patient_ids).values_list("patient_id", "kind")
    for patient_id, kind in rows.distinct().order_by("kind"):
        found[patient_id].append(labels.get(kind, kind))
    return found
