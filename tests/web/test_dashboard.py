"""The clinician's dashboard: her clinic's patients, sortable and filterable, in few queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from lowdose.web.accounts.models import User
from lowdose.web.courses.models import Course, DoseChange, Patient, PatientCondition
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes.models import Alert
from tests.builders import start_form, write_diary


@pytest.fixture
def nora(client, people):
    client.force_login(people.nora)
    return client


def _names(response):
    return [p.user.first_name for p in response.context["patients"]]


def test_the_clinician_lands_on_her_dashboard(client, people):
    client.force_login(people.nora)
    assert client.get("/").url == "/dashboard/"


def test_it_shows_only_her_clinics_patients_with_their_columns(nora, people, today):
    response = nora.get("/dashboard/")
    assert _names(response) == ["Anna", "Ben"]
    anna = response.context["patients"][0]
    assert anna.phase == "maintenance"
    assert anna.dose_mg == Decimal("4.5")
    assert anna.days_on == 61
    assert anna.doses_taken == 7  # the fixture's week of check-ins, all with the dose taken
    assert anna.last_checkin == today - dt.timedelta(days=1)
    assert anna.condition_list == ["POTS"]
    page = response.content.decode()
    assert "Sara" not in page
    assert "7 of 14" in page


@pytest.mark.parametrize("name", ["anna", "sam_patient", "phil", "rita", "ada"])
def test_nobody_else_sees_the_dashboard(client, people, name):
    person = {
        "anna": people.anna.user,
        "sam_patient": people.sara.user,
        "phil": people.phil,
        "rita": people.rita,
        "ada": people.ada,
    }[name]
    client.force_login(person)
    assert client.get("/dashboard/").status_code == 404


def test_another_clinics_clinician_sees_his_own_patients(client, people):
    client.force_login(people.sam)
    assert _names(client.get("/dashboard/")) == ["Sara"]


def test_filter_to_patients_with_open_alerts(nora, people, today):
    Alert.objects.create(
        patient=people.ben, kind="missed_doses", day=today, detail="3 days", source="test"
    )
    response = nora.get("/dashboard/?alerts=1")
    assert _names(response) == ["Ben"]
    assert response.context["patients"][0].open_alerts == 1
    Alert.objects.update(acknowledged_at=timezone.now(), acknowledged_by=people.nora)
    assert _names(nora.get("/dashboard/?alerts=1")) == []


def test_filter_by_condition_phase_and_name(nora, people):
    assert _names(nora.get("/dashboard/?condition=pots")) == ["Anna"]
    assert _names(nora.get("/dashboard/?phase=maintenance")) == ["Anna"]
    assert _names(nora.get("/dashboard/?q=bak")) == ["Ben"]
    assert _names(nora.get("/dashboard/?phase=nonsense")) == ["Anna", "Ben"]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("name", "Anna"),
        ("name&dir=desc", "Ben"),
        ("last&dir=desc", "Anna"),
        ("last", "Anna"),
        ("dose&dir=desc", "Anna"),
        ("adherence&dir=desc", "Anna"),
        ("alerts", "Anna"),
    ],
)
def test_sorting(nora, people, sort, first):
    assert _names(nora.get(f"/dashboard/?sort={sort}"))[0] == first


def test_htmx_requests_get_only_the_table(nora, people):
    response = nora.get("/dashboard/?sort=name", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<table")
    assert "<html" not in body


def _add_patients(clinic, prescriber, count, today, prefix):
    for i in range(count):
        user = User.objects.create(
            username=f"{prefix}-{i}",
            role="patient",
            clinic=clinic,
            first_name=f"P{i}",
            last_name="Bulk",
        )
        patient = Patient.objects.create(
            user=user,
            clinic=clinic,
            record_number=f"{prefix}-{i}",
            date_of_birth=dt.date(1980, 1, 1),
        )
        PatientCondition.objects.create(patient=patient, condition="fibromyalgia")
        course = Course.objects.create(
            patient=patient,
            prescriber=prescriber,
            baseline_start=today - dt.timedelta(days=40),
            start_date=today - dt.timedelta(days=20),
        )
        DoseChange.objects.create(
            course=course, effective_on=course.start_date, dose_mg=Decimal("1.5")
        )
        CheckIn.objects.create(patient=patient, course=course, date=today, dose_taken=True)
        Alert.objects.create(
            patient=patient, kind="missed_doses", day=today, detail="x", source="test"
        )


def test_the_number_of_queries_does_not_grow_with_the_clinic(nora, people, today):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert nora.get("/dashboard/?sort=alerts&dir=desc").status_code == 200
        return len(captured)

    _add_patients(people.north, people.nora, 5, today, "small")
    small = count_queries()
    _add_patients(people.north, people.nora, 60, today, "large")
    large = count_queries()
    assert small == large


def test_the_main_outcome_estimate_is_shown_and_follows_new_check_ins(nora, people, today):
    write_diary(people, today, "fatigue", 7, 3)
    anna = nora.get("/dashboard/").context["patients"][0]
    assert anna.estimate.outcome == "fatigue"  # the default main outcome for POTS
    assert anna.estimate.status == "ok"
    assert anna.estimate.estimate < -3
    before = anna.estimate.estimate
    CheckIn.objects.filter(patient=people.anna, date=today).update(fatigue=10)
    CheckIn.objects.filter(patient=people.anna, date=today).first().save()
    after = nora.get("/dashboard/").context["patients"][0].estimate.estimate
    assert after != before


def test_sort_and_filter_by_the_main_outcome(nora, people, today):
    write_diary(people, today, "fatigue", 7, 3)
    nora.get("/dashboard/")  # the page computes and caches the main outcomes it shows
    by_effect = nora.get("/dashboard/?sort=effect")
    assert _names(by_effect) == ["Anna", "Ben"]  # Ben has no estimate: last
    # patients without an estimate come last whichever way the column is sorted
    assert _names(nora.get("/dashboard/?sort=effect&dir=desc")) == ["Anna", "Ben"]
    anna = by_effect.context["patients"][0]
    assert anna.main_responder in ("moderate", "substantial")
    assert _names(nora.get(f"/dashboard/?responder={anna.main_responder}")) == ["Anna"]
    assert _names(nora.get("/dashboard/?responder=not_estimated")) == ["Ben"]
    assert _names(nora.get("/dashboard/?responder=none")) == []


def test_the_nightly_refresh_fills_the_cache_for_every_patient(people, today):
    from django.core.management import call_command

    from lowdose.web.evaluation.models import Estimate

    write_diary(people, today, "fatigue", 7, 3)
    call_command("refresh_estimates", stdout=io.StringIO())
    main = Estimate.objects.get(patient=people.anna, is_main=True)
    assert main.outcome == "fatigue"
    assert main.status == "ok"
    assert Estimate.objects.filter(patient=people.anna, is_main=False).count() == 5


def test_every_column_has_its_header(nora, people):
    import re

    page = nora.get("/dashboard/").content.decode()
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    first_row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", page, re.S).group(1)
    headers = header.count("<th ")
    cells = first_row.count("<td") + first_row.count("<th ")
    assert headers == cells == 9
    assert "Main outcome" in header


# The dashboard finds each patient's current course through Patient.latest_course, a pointer kept
# by Course.save() and deletes; these tests fail if the pointer goes stale.


def _row(client, name: str):
    rows = client.get("/dashboard/").context["patients"]
    return next(p for p in rows if p.user.first_name == name)


def test_a_new_course_after_a_stopped_one_shows_at_once(nora, people, today):
    people.course.stopped_on = today - dt.timedelta(days=10)
    people.course.save()
    anna = _row(nora, "Anna")
    assert (anna.phase, anna.days_on) == ("stopped", None)
    assert _names(nora.get("/dashboard/?phase=stopped")) == ["Anna"]

    response = nora.post(f"/patients/{people.anna.pk}/start/", start_form(today))
    assert response.status_code == 302
    anna = _row(nora, "Anna")
    new = Course.objects.exclude(pk=people.course.pk).get(patient=people.anna)
    assert anna.course_id == new.pk
    assert (anna.phase, anna.dose_mg, anna.days_on) == ("titration", Decimal(1), 1)
    assert _names(nora.get("/dashboard/?phase=titration")) == ["Anna"]
    assert _names(nora.get("/dashboard/?phase=stopped")) == []


def test_a_dose_change_shows_from_its_day(nora, people, today):
    nora.post(
        f"/patients/{people.anna.pk}/dose/", {"effective_on": today.isoformat(), "dose": "3 mg"}
    )
    DoseChange.objects.create(
        course=people.course, effective_on=today + dt.timedelta(days=1), dose_mg=Decimal(2)
    )
    assert _row(nora, "Anna").dose_mg == Decimal(3)  # tomorrow's change is not today's dose


def test_changed_course_dates_change_the_phase(nora, people, today):
    Course.objects.filter(pk=people.course.pk).update(maintenance_start=None)
    assert _row(nora, "Anna").phase == "titration"
    Course.objects.filter(pk=people.course.pk).update(stopped_on=today)
    assert _row(nora, "Anna").phase == "stopped"


def test_deleting_the_latest_course_brings_back_the_one_before(nora, people, today):
    later = Course.objects.create(
        patient=people.anna,
        prescriber=people.nora,
        baseline_start=today,
        start_date=today + dt.timedelta(days=14),
    )
    anna = _row(nora, "Anna")
    assert (anna.course_id, anna.phase, anna.dose_mg) == (later.pk, "baseline", None)
    later.delete()
    anna = _row(nora, "Anna")
    assert (anna.course_id, anna.phase, anna.dose_mg) == (
        people.course.pk,
        "maintenance",
        Decimal("4.5"),
    )


def test_a_course_moved_to_another_patient_leaves_the_first_without(nora, people, today):
    people.course.patient = people.ben
    people.course.save()
    assert (_row(nora, "Anna").phase, _row(nora, "Ben").phase) == (None, "maintenance")


def test_of_two_courses_the_later_start_is_current_whatever_the_order_written(nora, people, today):
    earlier = Course.objects.create(
        patient=people.anna,
        prescriber=people.nora,
        baseline_start=today - dt.timedelta(days=400),
        start_date=today - dt.timedelta(days=380),
        stopped_on=today - dt.timedelta(days=200),
    )
    assert _row(nora, "Anna").course_id == people.course.pk == people.anna.current_course().pk
    earlier.start_date, earlier.stopped_on = today - dt.timedelta(days=5), None  # in the admin
    earlier.save()
    assert _row(nora, "Anna").course_id == earlier.pk == people.anna.current_course().pk


def test_the_last_check_in_follows_new_moved_and_deleted_check_ins(client, people, today):
    yesterday = today - dt.timedelta(days=1)
    client.force_login(people.nora)
    assert _row(client, "Anna").last_checkin == yesterday
    client.force_login(people.anna.user)
    client.post("/me/checkin/", {"date": today.isoformat(), "dose_taken": "yes", "pain": "3"})
    assert CheckIn.objects.filter(patient=people.anna, date=today).exists()
    nora = client
    nora.force_login(people.nora)
    assert _row(nora, "Anna").last_checkin == today
    assert _names(nora.get("/dashboard/?sort=last&dir=desc"))[0] == "Anna"
    moved = CheckIn.objects.get(patient=people.anna, date=today)
    moved.date = today - dt.timedelta(days=30)  # corrected in the admin
    moved.save()
    assert _row(nora, "Anna").last_checkin == yesterday
    CheckIn.objects.filter(patient=people.anna, date__gte=today - dt.timedelta(days=3)).delete()
    assert _row(nora, "Anna").last_checkin == today - dt.timedelta(days=4)
    CheckIn.objects.filter(patient=people.anna).delete()
    assert _row(nora, "Anna").last_checkin is None


def test_a_check_in_moved_to_another_patient_leaves_both_dates_right(people, today):
    # an administrator corrects a check-in entered under the wrong patient
    latest = CheckIn.objects.filter(patient=people.anna).latest("date")
    before = CheckIn.objects.filter(patient=people.anna).exclude(pk=latest.pk).latest("date").date
    ben = Patient.objects.get(user__first_name="Ben")
    assert not CheckIn.objects.filter(patient=ben).exists()
    moved = CheckIn.objects.get(pk=latest.pk)
    moved.patient = ben
    moved.save()
    people.anna.refresh_from_db()
    ben.refresh_from_db()
    assert people.anna.last_checkin_on == before
    assert ben.last_checkin_on == latest.date


def _course(patient, prescriber, today, start: int, maintenance=None, stop=None, doses=()):
    """A course starting ``start`` days from today (negative: in the past), with dose steps as
    (days from today, mg)."""

    def day(offset: int | None) -> dt.date | None:
        return today + dt.timedelta(days=offset) if offset is not None else None

    course = Course.objects.create(
        patient=patient,
        prescriber=prescriber,
        baseline_start=day(start - 14),
        start_date=day(start),
        maintenance_start=day(maintenance),
        stopped_on=day(stop),
    )
    for offset, mg in doses:
        DoseChange.objects.create(course=course, effective_on=day(offset), dose_mg=Decimal(mg))
    return course


def test_every_phase_filter_and_dose_agree_with_the_course_model(nora, people, today):
    """The SQL columns against the Python rule (Course.phase_on, Course.dose_on) on one patient
    per phase, with courses written in an order that differs from their start dates."""
    patients = {p.user.first_name: p for p in Patient.objects.filter(clinic=people.north)}
    for name in ("Baseline", "Titration", "Stopped", "Restarted"):
        user = User.objects.create(
            username=name.lower(), role="patient", clinic=people.north, first_name=name
        )
        patients[name] = Patient.objects.create(
            user=user,
            clinic=people.north,
            record_number=name,
            date_of_birth=dt.date(1980, 1, 1),
        )
    by = people.nora
    _course(patients["Baseline"], by, today, 7, doses=[(7, "1.5")])
    _course(patients["Titration"], by, today, -10, maintenance=30, doses=[(-10, "1"), (0, "2")])
    _course(patients["Stopped"], by, today, -100, maintenance=-70, stop=-3, doses=[(-100, "3")])
    _course(patients["Restarted"], by, today, -2, doses=[(-2, "0.5")])
    _course(patients["Restarted"], by, today, -300, stop=-200, doses=[(-300, "4.5")])

    rows = {p.user.first_name: p for p in nora.get("/dashboard/").context["patients"]}
    for name, patient in patients.items():
        course = patient.current_course()
        phase = course.phase_on(today) if course else None
        dose = course.dose_on(today) if course else None
        assert rows[name].phase == (phase.value if phase else None), name
        shown = rows[name].dose_mg if rows[name].days_on else None  # as the table shows it
        assert shown == dose, name
        last = CheckIn.objects.filter(patient=patient).order_by("date").last()
        assert rows[name].last_checkin == (last.date if last else None), name
    for phase in ("baseline", "titration", "maintenance", "stopped"):
        expected = sorted(n for n in patients if rows[n].phase == phase)
        assert sorted(_names(nora.get(f"/dashboard/?phase={phase}"))) == expected
    assert rows["Restarted"].phase == "titration"
    assert rows["Ben"].phase is None


def test_the_migration_points_existing_patients_at_their_latest_course(people, today):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lowdose.web.courses.migrations.0003_patient_latest_course")
    _course(people.anna, people.nora, today, -300, stop=-200)  # older, written later
    Patient.objects.update(latest_course=None)  # as the added column starts
    migration.point_at_latest_courses(apps, None)
    pointers = dict(Patient.objects.values_list("user__first_name", "latest_course"))
    assert pointers == {
        "Anna": people.course.pk,
        "Ben": None,
        "Sara": people.sara.current_course().pk,
    }


def test_the_migration_dates_existing_patients_latest_check_in(people, today):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "lowdose.web.courses.migrations.0004_patient_last_checkin_on"
    )
    Patient.objects.update(last_checkin_on=None)  # as the added column starts
    migration.date_latest_checkins(apps, None)
    dates = dict(Patient.objects.values_list("user__first_name", "last_checkin_on"))
    assert dates == {"Anna": today - dt.timedelta(days=1), "Ben": None, "Sara": None}
