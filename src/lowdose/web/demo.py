"""The demo clinic: simulated patients, their diaries, questionnaires and stand tests,
bulk-loaded into the database.

The simulation itself is pure (:mod:`lowdose.simulation`, :mod:`lowdose.simulated_outcomes`);
this module scores the questionnaires and analyses the stand tests as the forms do, and stores
everything with bulk inserts so that 5,000 patients × 365 days load in well under two minutes.
Running it again replaces the previous demo clinic.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from lowdose.instruments import QuestionnaireSchedule, load_instrument, score_instrument
from lowdose.ratings import RATING_NAMES
from lowdose.simulated_outcomes import simulate_questionnaires, simulate_stand_tests
from lowdose.simulation import SimulatedClinic, simulate_clinic
from lowdose.standtest import analyse_stand_test
from lowdose.web.accounts.models import ApiToken, AuditEvent, Clinic, Role, User
from lowdose.web.courses.models import (
    Course,
    DoseChange,
    Medication,
    Patient,
    PatientCondition,
    SimulatedTruth,
)
from lowdose.web.diary.models import CheckIn
from lowdose.web.evaluation.refresh import refresh_estimates
from lowdose.web.outcomes import records, schedules
from lowdose.web.outcomes.alerts import refresh_alerts
from lowdose.web.outcomes.models import Alert, QuestionnairePlan, QuestionnaireResponse, StandTest

DEMO_SLUG = "demo"
DEMO_CLINIC_NAME = "Riverside LDN Clinic (demo)"
CHUNK_ROWS = 20_000
BATCH_ROWS = 2_000
DEMO_PHONE = "+44 20 7946 0000"  # a number reserved for fiction

#: Staff of the demo clinic: (role, username, first name, last name, password).
STAFF = (
    (Role.CLINICIAN, "demo.clinician", "Maya", "Okafor", "ldn-demo-clinician"),
    (Role.PHARMACIST, "demo.pharmacist", "Tom", "Lindqvist", "ldn-demo-pharmacist"),
    (Role.RESEARCHER, "demo.researcher", "Ines", "Duarte", "ldn-demo-researcher"),
    (Role.ADMIN, "demo.admin", "Sam", "Reyes", "ldn-demo-admin"),
)
PATIENT_PASSWORD = "ldn-demo-patient"
PATIENTS_WITH_LOGIN = 2
#: Alerts and evaluations are computed while loading a clinic up to this size; past it the
#: scheduled commands `lowdose manage raise_alerts` and `lowdose manage refresh_estimates` do it.
PRECOMPUTE_UP_TO = 500

#: Progress of one line of the progress bar: ``advance(rows_done)``.
Advance = Callable[[int], None]
#: Adds a line to the progress bar: ``task(label, total)`` returns its advance.
Task = Callable[[str, int], Advance]


def existing_demo_clinic() -> dict | None:
    """The log-ins and counts of the demo clinic already in the database, if there is one."""
    clinic = Clinic.objects.filter(slug=DEMO_SLUG).first()
    if clinic is None:
        return None
    patients = Patient.objects.filter(clinic=clinic).order_by("record_number")
    return {
        "clinic": clinic.name,
        "users": _log_ins([p.user.username for p in patients[:PATIENTS_WITH_LOGIN]]),
        "patients": patients.count(),
        "checkins": CheckIn.objects.filter(patient__clinic=clinic).count(),
        "questionnaires": QuestionnaireResponse.objects.filter(patient__clinic=clinic).count(),
        "stand_tests": StandTest.objects.filter(patient__clinic=clinic).count(),
        "alerts": Alert.objects.open().filter(patient__clinic=clinic).count(),
        "seconds": 0.0,
    }


def _log_ins(patient_usernames: list[str]) -> list[dict[str, str]]:
    users = [
        {"role": str(role), "username": username, "password": password}
        for role, username, _, _, password in STAFF
    ]
    users[0:0] = [
        {"role": "patient", "username": name, "password": PATIENT_PASSWORD}
        for name in patient_usernames
    ]
    return users


def create_demo_clinic(*, seed: int, n_patients: int, n_days: int, progress: bool) -> dict:
    """Replace the demo clinic with a freshly simulated one and return its log-ins and counts."""
    started = time.perf_counter()
    clinic_data = simulate_clinic(
        seed=seed, n_patients=n_patients, n_days=n_days, today=timezone.localdate()
    )
    with _progress(progress) as task, transaction.atomic():
        _delete_demo_clinic()
        clinic = Clinic.objects.create(
            name=DEMO_CLINIC_NAME,
            slug=DEMO_SLUG,
            timezone="UTC",
            phone=DEMO_PHONE,
            address="1 River Lane\nRiverside RV1 2AB",
        )
        staff = _create_staff(clinic)
        created = _create_patients(clinic, clinic_data, staff[Role.CLINICIAN], seed)
        _insert_checkins(clinic_data, created, task("Loading check-ins", len(clinic_data.checkins)))
        Patient.objects.filter(clinic=clinic).refresh_last_checkin()  # COPY skips save()
        questionnaires = _insert_questionnaires(clinic_data, created, seed, task)
        stand_tests = _insert_stand_tests(clinic_data, created, seed, task)
        patients = created[0]
        small = len(patients) <= PRECOMPUTE_UP_TO
        alerts = _raise_alerts(patients) if small else None
        if small:  # the dashboard can sort by effect from the first view
            refresh_estimates(Patient.objects.filter(clinic=clinic))
        _analyze_demo_tables()
    return {
        "clinic": DEMO_CLINIC_NAME,
        "users": _log_ins([p.username for p in clinic_data.patients[:PATIENTS_WITH_LOGIN]]),
        "patients": len(clinic_data.patients),
        "checkins": len(clinic_data.checkins),
        "questionnaires": questionnaires,
        "stand_tests": stand_tests,
        "alerts": alerts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _raise_alerts(patients: list[Patient]) -> int:
    """The clinician alerts the diaries call for (bulk inserts bypass the check-in signal)."""
    return sum(len(refresh_alerts(patient)) for patient in patients)


def _analyze_demo_tables() -> None:
    """Give the query planner statistics for every table the demo clinic has rows in.

    PostgreSQL's autovacuum gathers them some time after a bulk load, or never on a server that
    runs with it off (as CI's does), and SQLite gathers none unless asked: without them the first
    dashboard queries are planned blind.
    """
    models = {model for model, _ in _rows_hanging_off(Patient, "clinic")} | {User, Clinic}
    quote = connection.ops.quote_name
    tables = sorted(quote(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
            return
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


@contextmanager
def _progress(enabled: bool) -> Iterator[Task]:
    """A progress bar: ``task(label, total)`` adds a line and returns its ``advance(n)``."""
    if not enabled:
        yield lambda label, total: lambda n: None
        return
    from rich.progress import Progress

    with Progress(transient=False) as bar:

        def task(label: str, total: int) -> Advance:
            task_id = bar.add_task(label, total=total)
            return lambda n: bar.advance(task_id, n)

        yield task


def _delete_demo_clinic() -> None:
    """Remove a previous demo clinic and everything in it, with set-based deletes."""
    clinic = Clinic.objects.filter(slug=DEMO_SLUG).first()
    if clinic is None:
        return
    for model, path in _rows_hanging_off(Patient, "clinic"):
        queryset = model._base_manager.filter(**{path: clinic})
        queryset._raw_delete(queryset.db)
    user_ids = list(User.objects.filter(clinic=clinic).values_list("pk", flat=True))
    user_ids += list(User.objects.filter(username="demo.admin").values_list("pk", flat=True))
    for queryset in (
        AuditEvent.objects.filter(actor_id__in=user_ids),
        ApiToken.objects.filter(user_id__in=user_ids),
    ):
        queryset._raw_delete(queryset.db)
    User.objects.filter(pk__in=user_ids).delete()
    clinic.delete()


def _rows_hanging_off(model, path: str, seen: frozenset = frozenset()) -> Iterator[tuple]:
    """Every model that points (through foreign keys) at ``model``, deepest first, each with the
    lookup from it to the clinic; ``model`` itself comes last. Whatever app adds a table about
    patients, a fresh demo removes its rows without this module naming it."""
    relations = [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]
    for relation in relations:  # hidden ones too: related_name="+" still holds rows
        child = relation.related_model
        if child in seen or child is model:
            continue
        yield from _rows_hanging_off(child, f"{relation.field.name}__{path}", seen | {model})
    yield model, path


def _create_staff(clinic: Clinic) -> dict[str, User]:
    staff = {}
    for role, username, first, last, password in STAFF:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            clinic=None if role == Role.ADMIN else clinic,
        )
        user.set_password(password)
        user.save()
        staff[role] = user
    return staff


def _create_patients(clinic: Clinic, data: SimulatedClinic, prescriber: User, seed: int):
    unusable = make_password(None)
    users = []
    for sim in data.patients:
        user = User(
            username=sim.username,
            first_name=sim.first_name,
            last_name=sim.last_name,
            role=Role.PATIENT,
            clinic=clinic,
            password=unusable,
        )
        if sim.index < PATIENTS_WITH_LOGIN:
            user.set_password(PATIENT_PASSWORD)
        users.append(user)
    users = User.objects.bulk_create(users, batch_size=1000)
    patients = Patient.objects.bulk_create(
        [
            Patient(
                user=user,
                clinic=clinic,
                record_number=f"LD-{sim.index + 1:05d}",
                date_of_birth=sim.date_of_birth,
                sex=sim.sex,
                timezone=sim.timezone,
            )
            for sim, user in zip(data.patients, users, strict=True)
        ],
        batch_size=1000,
    )
    courses = Course.objects.bulk_create(
        [
            Course(
                patient=patient,
                prescriber=prescriber,
                baseline_start=sim.baseline_start,
                start_date=sim.ldn_start,
                maintenance_start=sim.maintenance_start,
                stopped_on=sim.stopped_on,
            )
            for sim, patient in zip(data.patients, patients, strict=True)
        ],
        batch_size=1000,
    )
    Patient.objects.filter(clinic=clinic).refresh_latest_course()  # bulk_create skips save()
    _create_details(data, patients, courses, prescriber, seed)
    return patients, courses, users


def _create_details(data, patients, courses, prescriber, seed: int) -> None:
    pairs = list(zip(data.patients, patients, courses, strict=True))
    PatientCondition.objects.bulk_create(
        [PatientCondition(patient=p, condition=c) for sim, p, _ in pairs for c in sim.conditions],
        batch_size=2000,
    )
    Medication.objects.bulk_create(
        [Medication(patient=p, name=name) for sim, p, _ in pairs for name in sim.medications],
        batch_size=2000,
    )
    DoseChange.objects.bulk_create(
        [
            DoseChange(
                course=course,
                effective_on=day,
                dose_mg=mg,
                created_by=prescriber,
                note="Titration step",
            )
            for sim, _, course in pairs
            for day, mg in sim.dose_steps
        ],
        batch_size=2000,
    )
    SimulatedTruth.objects.bulk_create(
        [
            SimulatedTruth(
                patient=p, response=str(sim.response), true_effect=sim.true_effect, seed=seed
            )
            for sim, p, _ in pairs
        ],
        batch_size=2000,
    )


def _questionnaire_plans(data: SimulatedClinic) -> list[dict[str, QuestionnaireSchedule]]:
    """What each course asks for: the defaults of a course without a stored plan
    (:func:`~lowdose.web.outcomes.schedules.plan_for`), by the patient's conditions."""
    default = QuestionnairePlan()  # the default weeks and repeat
    schedule_by_id: dict[str, QuestionnaireSchedule | None] = {}
    plans = []
    for sim in data.patients:
        ids = schedules.instruments_for(sim.conditions)
        for instrument_id in ids:
            if instrument_id not in schedule_by_id:
                schedule_by_id[instrument_id] = schedules.schedule_of(default, instrument_id)
        plans.append({i: s for i in ids if (s := schedule_by_id[i]) is not None})
    return plans


def _insert_questionnaires(data: SimulatedClinic, created, seed: int, task: Task) -> int:
    """Score each simulated questionnaire as the form does and store them, in batches."""
    patients, courses, users = created

    def row(sim) -> QuestionnaireResponse:
        result = score_instrument(load_instrument(sim.instrument), sim.answers)
        i = sim.patient
        # a demo patient has one course and answers within it: the one course_on() finds
        return records.new_response(
            patients[i], courses[i], sim.date, sim.answers, result, users[i]
        )

    filled = simulate_questionnaires(data, _questionnaire_plans(data), seed=seed)
    return _insert_in_batches(
        QuestionnaireResponse, filled, row, task("Scoring questionnaires", len(filled))
    )


def _insert_stand_tests(data: SimulatedClinic, created, seed: int, task: Task) -> int:
    """Analyse each simulated stand test as the form does (at the age on the day of the test)
    and store them, in batches."""
    patients, courses, users = created

    def row(sim) -> StandTest:
        i = sim.patient
        result = analyse_stand_test(sim.readings, patients[i].age_on(sim.date))
        return records.new_stand_test(
            patients[i], courses[i], sim.date, sim.readings, result, sim.symptoms, users[i]
        )

    tests = simulate_stand_tests(data, seed=seed)
    return _insert_in_batches(StandTest, tests, row, task("Analysing stand tests", len(tests)))


def _insert_in_batches(model, simulated: list, row: Callable, advance: Advance) -> int:
    """Build a row of ``model`` from each simulated record and insert them, a batch at a time."""
    for chunk in _chunks(simulated, BATCH_ROWS):
        model.objects.bulk_create([row(sim) for sim in chunk])
        advance(len(chunk))
    return len(simulated)


_CHECKIN_COLUMNS = (
    "patient_id",
    "course_id",
    "entered_by_id",
    "date",
    "dose_taken",
    *RATING_NAMES,
    "side_effects",
    "note",
    "late",
    "created_at",
    "updated_at",
)


def _insert_checkins(data: SimulatedClinic, created, advance: Advance) -> None:
    """Insert all check-ins in chunks: COPY on PostgreSQL, executemany on SQLite."""
    patients, courses, users = created
    rows = _checkin_rows(
        data, [p.pk for p in patients], [c.pk for c in courses], [u.pk for u in users]
    )
    table = CheckIn._meta.db_table
    columns = ", ".join(_CHECKIN_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for chunk in _chunks(rows):
                    for row in chunk:
                        copy.write_row(row)
                    advance(len(chunk))
        else:
            placeholders = ", ".join(["%s"] * len(_CHECKIN_COLUMNS))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            for chunk in _chunks(rows):
                cursor.executemany(sql, chunk)
                advance(len(chunk))


def _chunks(rows: list, size: int = CHUNK_ROWS) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _checkin_rows(data: SimulatedClinic, patient_ids, course_ids, user_ids) -> list[tuple]:
    columns = data.checkins
    index = columns.patient
    ops = connection.ops
    dates = {
        day: ops.adapt_datefield_value(dt.date.fromordinal(day))
        for day in np.unique(columns.day).tolist()
    }
    now = ops.adapt_datetimefield_value(timezone.now())
    side_effects = _side_effect_json(columns)
    ratings = np.where(np.isnan(columns.ratings), -1, columns.ratings).astype(np.int16)
    rating_lists = [
        [None if v < 0 else v for v in ratings[:, j].tolist()] for j in range(len(RATING_NAMES))
    ]
    pid = np.asarray(patient_ids)[index].tolist()
    cid = np.asarray(course_ids)[index].tolist()
    uid = np.asarray(user_ids)[index].tolist()
    day = [dates[d] for d in columns.day.tolist()]
    return list(
        zip(
            pid,
            cid,
            uid,
            day,
            columns.dose_taken.tolist(),
            *rating_lists,
            [side_effects.get(i, "[]") for i in range(len(columns))],
            [""] * len(columns),
            columns.late.tolist(),
            [now] * len(columns),
            [now] * len(columns),
            strict=True,
        )
    )


def _side_effect_json(columns) -> dict[int, str]:
    grouped: dict[int, list[dict[str, str]]] = {}
    severities = {1: "mild", 2: "moderate", 3: "severe"}
    for row, code, severity in zip(
        columns.side_effect_row.tolist(),
        columns.side_effect_code.tolist(),
        columns.side_effect_severity.tolist(),
        strict=True,
    ):
        grouped.setdefault(row, []).append({"name": code, "severity": severities[severity]})
    return {row: json.dumps(items) for row, items in grouped.items()}
