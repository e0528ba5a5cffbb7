"""Questionnaires on the web: schedule, due list, generated forms, scores over time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lowdose.instruments import available_instruments
from lowdose.web.accounts.models import AuditEvent
from lowdose.web.outcomes.models import QuestionnairePlan, QuestionnaireResponse


@pytest.fixture
def anna(client, people):
    client.force_login(people.anna.user)
    return people.anna


def test_the_patient_home_lists_the_due_questionnaires(client, anna):
    # Anna (POTS) started LDN 60 days ago: week 8 (day 56) is due for COMPASS-31, fatigue VAS
    # and PGIC, and is within its 7-day window (due 4 days ago)
    page = client.get("/me/").content.decode()
    assert "Questionnaires and stand test" in page
    for name in ("COMPASS-31", "Fatigue visual analogue scale", "PGIC"):
        assert name in page
    assert "week 8" in page


def test_a_questionnaire_past_its_window_is_overdue(client, people, today):
    people.course.start_date = today - dt.timedelta(days=70)  # week 8 was due 14 days ago
    people.course.baseline_start = people.course.start_date - dt.timedelta(days=14)
    people.course.maintenance_start = None
    people.course.save()
    client.force_login(people.anna.user)
    assert "Overdue" in client.get("/me/").content.decode()


@pytest.mark.parametrize("instrument", [i.id for i in available_instruments()])
def test_every_instrument_has_a_form(client, anna, instrument):
    page = client.get(f"/me/questionnaires/{instrument}/")
    assert page.status_code == 200
    assert 'name="date"' in page.content.decode()


def test_an_unknown_instrument_is_404(client, anna):
    assert client.get("/me/questionnaires/sf36/").status_code == 404


def test_compass31_shows_the_skip_notes(client, anna):
    page = client.get("/me/questionnaires/compass31/").content.decode()
    assert "Skip this if you answered “No” to question 1." in page
    assert 'data-skip-item="q01"' in page
    assert "outcomes/questionnaire.js" in page


def test_compass31_with_skips_is_scored_and_stored(client, anna, compass_no_symptoms, today):
    response = client.post("/me/questionnaires/compass31/", compass_no_symptoms, follow=True)
    row = QuestionnaireResponse.objects.get(patient=anna)
    # every answer at 0 points and every follow-up skipped: total 0
    assert (row.instrument, row.date, row.total) == ("compass31", today, Decimal("0"))
    assert row.definition_version
    assert set(row.skipped) == {
        "q02", "q03", "q04", "q06", "q07", "q17", "q18", "q19", "q21", "q22", "q23", "q28", "q30",
    }  # fmt: skip
    assert row.missing == []
    page = response.content.decode()
    assert "Your score is 0 on a scale from 0 to 100" in page
    assert AuditEvent.objects.filter(action="create", patient_id=anna.pk).exists()


def test_answers_to_skipped_questions_are_ignored(client, anna, compass_no_symptoms):
    # q01 "No" skips q02-q04; an answer to q02 (even one out of range) is dropped, as on paper
    client.post("/me/questionnaires/compass31/", {**compass_no_symptoms, "q02": "9"})
    row = QuestionnaireResponse.objects.get(patient=anna)
    assert "q02" not in row.answers
    assert row.total == 0


def test_a_yes_needs_its_follow_up_questions(client, anna, compass_no_symptoms):
    page = client.post("/me/questionnaires/compass31/", {**compass_no_symptoms, "q01": "1"})
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.errors) >= {"q02", "q03", "q04"}
    assert "Please answer this question." in form.errors["q02"]
    assert not QuestionnaireResponse.objects.exists()


def test_an_answer_outside_the_options_is_named_and_nothing_saved(
    client, anna, compass_no_symptoms
):
    page = client.post("/me/questionnaires/compass31/", {**compass_no_symptoms, "q08": "9"})
    assert page.context["form"].errors["q08"] == ["Please choose one of the answers shown."]
    assert "not among the choices" in page.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_a_future_date_is_refused(client, anna, compass_no_symptoms, today):
    data = {**compass_no_symptoms, "date": (today + dt.timedelta(days=1)).isoformat()}
    page = client.post("/me/questionnaires/compass31/", data)
    assert "date" in page.context["form"].errors
    assert not QuestionnaireResponse.objects.exists()


def test_the_fatigue_scale_takes_a_number(client, anna, today):
    client.post("/me/questionnaires/fatigue_vas/", {"date": today.isoformat(), "fatigue": "62"})
    assert QuestionnaireResponse.objects.get(patient=anna).total == Decimal("62")
    page = client.post("/me/questionnaires/fatigue_vas/", {"date": today, "fatigue": "101"})
    assert "fatigue" in page.context["form"].errors
    assert QuestionnaireResponse.objects.count() == 1


def test_a_filled_questionnaire_is_no_longer_due(client, anna, compass_no_symptoms):
    client.post("/me/questionnaires/compass31/", compass_no_symptoms)
    due = client.get("/me/questionnaires/").context["waiting"]
    assert "compass31" not in [instrument.id for instrument, _ in due]


def test_the_patient_sees_only_her_own_answers(client, people, compass_no_symptoms):
    client.force_login(people.sara.user)
    client.post("/me/questionnaires/compass31/", compass_no_symptoms)
    saras = QuestionnaireResponse.objects.get()
    client.force_login(people.anna.user)
    assert client.get(f"/me/questionnaires/answers/{saras.pk}/").status_code == 404
    client.force_login(people.sara.user)
    assert client.get(f"/me/questionnaires/answers/{saras.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["nora", "phil", "rita", "ada"])
def test_staff_cannot_use_the_patient_pages(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get("/me/questionnaires/").status_code == 404
    assert client.get("/me/questionnaires/compass31/").status_code == 404


def test_the_clinician_sees_scores_over_time(client, people, compass_no_symptoms, today):
    client.force_login(people.anna.user)
    earlier = {**compass_no_symptoms, "date": (today - dt.timedelta(days=56)).isoformat()}
    client.post("/me/questionnaires/compass31/", earlier)
    client.post("/me/questionnaires/compass31/", compass_no_symptoms)
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/questionnaires/")
    table = page.context["tables"][0]
    assert table["instrument"].id == "compass31"
    assert len(table["rows"]) == 2
    assert "Orthostatic intolerance" in table["columns"]
    assert "Scores over time, oldest first" in page.content.decode()


@pytest.mark.parametrize("who", ["sam", "phil", "rita", "ada"])
def test_others_cannot_see_annas_scores(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(f"/patients/{people.anna.pk}/questionnaires/").status_code == 404
    data = {"instruments": ["fss"], "weeks": "0, 6", "repeat_every_weeks": "6"}
    url = f"/patients/{people.anna.pk}/questionnaires/schedule/"
    assert client.post(url, data).status_code == 404
    assert not QuestionnairePlan.objects.exists()


def test_the_clinician_edits_the_schedule(client, people):
    client.force_login(people.nora)
    url = f"/patients/{people.anna.pk}/questionnaires/schedule/"
    data = {"instruments": ["fss", "pgic"], "weeks": "0, 6", "repeat_every_weeks": "6"}
    response = client.post(url, data)
    assert response.status_code == 302
    plan = QuestionnairePlan.objects.get(course=people.course)
    assert (plan.instruments, plan.weeks, plan.repeat_every_weeks) == (["fss", "pgic"], [0, 6], 6)
    assert plan.updated_by == people.nora


@pytest.mark.parametrize(
    ("weeks", "repeat", "field"),
    [("4, 0", "12", "weeks"), ("zero", "12", "weeks"), ("0, 4", "0", "repeat_every_weeks")],
)
def test_a_bad_schedule_is_refused_and_changes_nothing(client, people, weeks, repeat, field):
    client.force_login(people.nora)
    url = f"/patients/{people.anna.pk}/questionnaires/schedule/"
    page = client.post(url, {"instruments": ["fss"], "weeks": weeks, "repeat_every_weeks": repeat})
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert not QuestionnairePlan.objects.exists()


def test_the_clinician_patient_page_shows_the_due_questionnaires(client, people):
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.anna.pk}/").content.decode()
    assert "Questionnaires and stand tests" in page
    assert "COMPASS-31" in page


def test_a_profile_with_gaps_keeps_its_columns_in_place(client, people, today):
    client.force_login(people.anna.user)
    data = {"date": today.isoformat(), "pain": "3", "mood": "7"}
    client.post("/me/questionnaires/daily_ratings/", data)
    client.force_login(people.nora)
    [table] = client.get(f"/patients/{people.anna.pk}/questionnaires/").context["tables"]
    assert (table["columns"][0], table["columns"][4]) == ("Pain", "Mood")
    assert table["rows"][0]["scores"] == ["3", None, None, None, "7", None]


def test_tick_all_answers_are_stored_as_a_list(client, anna, compass_no_symptoms):
    # q05 Yes opens q06 (hands and feet: 1 point each) and q07 (about the same: 1 point);
    # vasomotor raw 1 + 2 + 1 = 4; weight 5/6 (5 points over a raw maximum of 1 + 2 + 3 = 6):
    # 4 x 5/6 = 3.33
    data = {**compass_no_symptoms, "q05": "1", "q06": ["1", "2"], "q07": "3"}
    client.post("/me/questionnaires/compass31/", data)
    row = QuestionnaireResponse.objects.get(patient=anna)
    assert row.answers["q06"] == [1, 2]
    assert row.total == Decimal("3.33")


def test_a_patient_without_a_course_has_no_schedule(client, people):
    client.force_login(people.ben.user)
    assert "No questionnaire is due right now." in client.get("/me/").content.decode()
    client.force_login(people.nora)
    page = client.get(f"/patients/{people.ben.pk}/questionnaires/")
    assert "No LDN course yet." in page.content.decode()
    url = f"/patients/{people.ben.pk}/questionnaires/schedule/"
    assert client.post(url, {"instruments": ["fss"], "weeks": "0"}).status_code == 404


def test_pgic_without_later_weeks_repeats_from_the_repeat_interval(people):
    from lowdose.web.outcomes.schedules import schedule_of

    plan = QuestionnairePlan(course=people.course, weeks=[0], repeat_every_weeks=6)
    assert schedule_of(plan, "pgic").weeks == (6,)
    assert schedule_of(plan, "fss").weeks == (0,)
    plan.repeat_every_weeks = None
    assert schedule_of(plan, "pgic") is None
