"""Side-effect guidance after a check-in, and clinician alerts raised, shown and acknowledged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lowdose.web.accounts.models import AuditEvent
from lowdose.web.courses.models import DoseChange
from lowdose.web.diary.models import CheckIn
from lowdose.web.outcomes.alerts import guidance_for, increases, refresh_alerts
from lowdose.web.outcomes.models import Alert


def _checkin(day, **overrides):
    data = {"date": day.isoformat(), "dose_taken": "yes", "pain": "3", "dose_time": "22:00"}
    data.update(overrides)
    return data


@pytest.fixture
def anna(client, people):
    client.force_login(people.anna.user)
    return people.anna


def test_guidance_follows_a_check_in_with_a_side_effect(client, anna, today):
    response = client.post("/me/checkin/", _checkin(today, se_vivid_dreams="mild"), follow=True)
    page = response.content.decode()
    assert "About the side effects you noted" in page
    # Anna's last increase was 32 days ago; a mild sleep effect with a bedtime dose
    assert "Tell your prescriber at your next contact" in page
    assert "taking their dose in the morning helps" in page
    assert "Where this comes from" in page
    # shown once: the next visit to the home page has no guidance
    assert "About the side effects you noted" not in client.get("/me/").content.decode()


def test_no_guidance_without_a_side_effect(client, anna, today):
    response = client.post("/me/checkin/", _checkin(today), follow=True)
    assert "About the side effects you noted" not in response.content.decode()


def test_a_severe_side_effect_says_contact_now_and_alerts_the_clinician(
    client, anna, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/checkin/", _checkin(today, se_headache="severe"), follow=True)
    assert "Contact your prescriber now" in response.content.decode()
    alert = Alert.objects.get(patient=anna)
    assert (alert.kind, alert.day, alert.is_open) == ("severe_side_effect", today, True)
    assert "headache" in alert.detail
    assert alert.source


def test_the_guidance_page_of_a_check_in(client, anna, today):
    client.post("/me/checkin/", _checkin(today, se_nausea="moderate"))
    row = CheckIn.objects.get(patient=anna, date=today)
    page = client.get(f"/me/checkins/{row.pk}/guidance/")
    assert page.status_code == 200
    assert "Nausea" in page.content.decode()
    assert AuditEvent.objects.filter(object_type="diary.checkin", action="view").exists()


def test_guidance_is_computed_from_the_course(people, today):
    row = CheckIn.objects.create(
        patient=people.anna,
        course=people.course,
        date=today,
        side_effects=[{"name": "flare", "severity": "mild"}],
    )
    # increases: 1.5 -> 3 mg on day 14 and 3 -> 4.5 mg on day 28 of the course
    assert increases(people.course) == [
        people.course.start_date + dt.timedelta(14),
        people.course.start_date + dt.timedelta(28),
    ]
    found = guidance_for(row)
    assert found.items[0][2].rule_id == "flare_late"  # 32 days on the dose, beyond 14
    assert found.assumed_dose_time is True


def test_a_baseline_check_in_gets_no_ldn_guidance(people, today):
    row = CheckIn.objects.create(
        patient=people.anna,
        course=people.course,
        date=people.course.baseline_start,
        side_effects=[{"name": "headache", "severity": "mild"}],
    )
    assert guidance_for(row).before_ldn is True


@pytest.mark.parametrize("who", ["sara", "ben"])
def test_another_patients_guidance_is_404(client, people, today, who):
    row = CheckIn.objects.create(
        patient=people.anna, course=people.course, date=today, side_effects=[]
    )
    client.force_login(getattr(people, who).user)
    assert client.get(f"/me/checkins/{row.pk}/guidance/").status_code == 404


def test_missed_doses_three_days_in_a_row_raise_one_alert(people, today):
    for back in (1, 2, 3):
        CheckIn.objects.filter(patient=people.anna, date=today - dt.timedelta(back)).update(
            dose_taken=False
        )
    raised = refresh_alerts(people.anna, today)
    assert [a.kind for a in raised] == ["missed_doses"]
    assert "3 days in a row" in raised[0].detail
    # recomputing raises nothing new
    assert refresh_alerts(people.anna, today) == []
    # a fourth day moves the open alert instead of adding one
    CheckIn.objects.create(patient=people.anna, date=today, dose_taken=False)
    refresh_alerts(people.anna, today)
    alert = Alert.objects.get(kind="missed_doses")
    assert (alert.day, "4 days in a row" in alert.detail) == (today, True)


def test_two_missed_days_raise_nothing(people, today):
    for back in (1, 2):
        CheckIn.objects.filter(patient=people.anna, date=today - dt.timedelta(back)).update(
            dose_taken=False
        )
    assert refresh_alerts(people.anna, today) == []


def test_a_late_flare_raises_an_alert_and_an_early_one_does_not(people, today):
    DoseChange.objects.create(course=people.course, effective_on=today, dose_mg=Decimal("4.5"))
    CheckIn.objects.filter(patient=people.anna, date=today - dt.timedelta(1)).update(
        side_effects=[{"name": "flare", "severity": "moderate"}]
    )
    raised = refresh_alerts(people.anna, today)
    # the flare yesterday is 31 days after the increase on day 28 of the course: late
    assert [a.kind for a in raised] == ["late_flare"]


def test_an_overdue_questionnaire_raises_an_alert(people, today):
    people.course.start_date = today - dt.timedelta(days=70)
    people.course.baseline_start = people.course.start_date - dt.timedelta(days=14)
    people.course.maintenance_start = None
    people.course.save()
    raised = refresh_alerts(people.anna, today)
    # week 8 of COMPASS-31, the fatigue scale and PGIC, all due the same day: one alert each
    assert [a.kind for a in raised] == ["questionnaire_overdue"] * 3
    assert sum("COMPASS-31" in a.detail for a in raised) == 1


def test_the_clinician_sees_and_acknowledges_an_alert(client, people, today):
    CheckIn.objects.filter(patient=people.anna, date=today - dt.timedelta(1)).update(
        side_effects=[{"name": "nausea", "severity": "severe"}]
    )
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert "Severe side effect reported: nausea." in page
    alert = Alert.objects.get()
    url = f"/patients/{people.anna.pk}/alerts/{alert.pk}/acknowledge/"
    response = client.post(url, follow=True)
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.is_open) == (people.nora, False)
    assert "Recently acknowledged" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="outcomes.alert", action="update").count() == 1
    # acknowledging again changes nothing and records nothing
    first = alert.acknowledged_at
    client.post(url)
    alert.refresh_from_db()
    assert alert.acknowledged_at == first
    assert AuditEvent.objects.filter(object_type="outcomes.alert", action="update").count() == 1


@pytest.mark.parametrize("who", ["sam", "phil", "rita", "ada"])
def test_others_cannot_acknowledge_annas_alerts(client, people, today, who):
    alert = Alert.objects.create(
        patient=people.anna, kind="missed_doses", day=today, detail="x", source="y"
    )
    client.force_login(getattr(people, who))
    url = f"/patients/{people.anna.pk}/alerts/{alert.pk}/acknowledge/"
    assert client.post(url).status_code == 404
    alert.refresh_from_db()
    assert alert.is_open


def test_an_alert_of_another_patient_is_404_through_her_own_page(client, people, today):
    saras = Alert.objects.create(
        patient=people.sara, kind="missed_doses", day=today, detail="x", source="y"
    )
    client.force_login(people.nora)
    url = f"/patients/{people.anna.pk}/alerts/{saras.pk}/acknowledge/"
    assert client.post(url).status_code == 404
    saras.refresh_from_db()
    assert saras.is_open


def test_acknowledging_needs_a_post(client, people, today):
    alert = Alert.objects.create(
        patient=people.anna, kind="missed_doses", day=today, detail="x", source="y"
    )
    client.force_login(people.nora)
    assert (
        client.get(f"/patients/{people.anna.pk}/alerts/{alert.pk}/acknowledge/").status_code == 405
    )


def test_open_alerts_of_a_clinic_are_counted_in_one_query(people, today):
    for patient in (people.anna, people.ben):
        for back in range(3):
            Alert.objects.create(
                patient=patient,
                kind="missed_doses",
                day=today - dt.timedelta(back),
                detail="x",
                source="y",
            )
    Alert.objects.filter(patient=people.ben).update(acknowledged_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        counts = Alert.objects.open_counts(people.north)
    assert len(queries) == 1
    assert counts == {people.anna.pk: 3}


def test_the_daily_command_raises_time_driven_alerts(people, today):
    from io import StringIO

    from django.core.management import call_command

    people.course.start_date = today - dt.timedelta(days=70)
    people.course.baseline_start = people.course.start_date - dt.timedelta(days=14)
    people.course.maintenance_start = None
    people.course.save()
    out = StringIO()
    call_command("raise_alerts", stdout=out)
    # Anna's three week-8 questionnaires are overdue; Sara (no condition recorded: PGIC only)
    # started 46 days ago, so her week-4 PGIC, due 18 days ago, is overdue too
    assert out.getvalue().strip() == "4 new alert(s) for 2 patient(s)."
    call_command("raise_alerts", stdout=StringIO())
    assert Alert.objects.count() == 4


def test_an_overdue_alert_goes_once_the_questionnaire_is_filled(people, today):
    from lowdose.web.outcomes.models import QuestionnaireResponse

    people.course.start_date = today - dt.timedelta(days=70)
    people.course.baseline_start = people.course.start_date - dt.timedelta(days=14)
    people.course.maintenance_start = None
    people.course.save()
    refresh_alerts(people.anna, today)
    QuestionnaireResponse.objects.create(
        patient=people.anna, instrument="pgic", definition_version="1", date=today,
        answers={"change": 2},
    )  # fmt: skip
    refresh_alerts(people.anna, today)
    details = sorted(Alert.objects.values_list("detail", flat=True))
    assert len(details) == 2
    assert not any("PGIC" in d for d in details)


def test_the_clinician_sees_the_suggested_plan_change(client, people, today):
    CheckIn.objects.filter(patient=people.anna, date=today - dt.timedelta(1)).update(
        side_effects=[{"name": "insomnia", "severity": "moderate"}], dose_time=dt.time(22, 30)
    )
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert "Side effects: suggestions" in page
    assert "Moving the dose to the morning is commonly suggested" in page
    assert "nothing is changed unless you change the dose" in page


def test_a_patient_list_annotates_open_alerts_in_its_one_query(people, today):
    from lowdose.web.courses.models import Patient
    from lowdose.web.outcomes.models import open_alert_count

    for back in range(2):
        Alert.objects.create(
            patient=people.anna, kind="missed_doses", day=today - dt.timedelta(back), detail="x",
            source="y",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        rows = dict(
            Patient.objects.filter(clinic=people.north)
            .annotate(n=open_alert_count())
            .values_list("record_number", "n")
        )
    assert len(queries) == 1
    assert rows == {"N-1": 2, "N-2": 0}
