"""The fuzzing world: the named people of ``tests/conftest.py`` with one of everything a form
or an API operation needs an id for, and a count of the cases run, shown after the tests.

- Anna's course follows a titration plan, with a dispensed batch, a blinded trial (over, not yet
  unblinded), a planned surgery, an open alert, a questionnaire and a stand test.
- Ben has no course and takes tramadol: his screening is contraindicated (the override form).
- Cleo (North) has a course without a plan or a trial (dose changes, creating a trial).
- Dora (North) has no course and no medications: "Start LDN" can succeed for her.
- Eve (North) takes an oral liquid (the pharmacist's liquid worksheet).
- Nora has opened the two-factor set-up page once (her authenticator is not confirmed yet).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.builders import make_plan
from tests.conftest import _patient, _user
from tests.fuzz import tally
from tests.web.outcomes.conftest import COMPASS_NO_SYMPTOMS


@pytest.fixture
def world(people, today):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lowdose.instruments import load_instrument, score_instrument
    from lowdose.standtest import Position, Reading, analyse_stand_test
    from lowdose.web.courses.models import Course, DoseChange, Medication
    from lowdose.web.evaluation import trials
    from lowdose.web.outcomes import records
    from lowdose.web.outcomes.models import Alert
    from lowdose.web.pharmacy.models import Batch
    from lowdose.web.safety import services
    from lowdose.web.safety.models import Plan, PlannedEvent

    north, anna, course = people.north, people.anna, people.course
    people.plan = make_plan(people)
    people.batch = Batch.objects.create(
        plan=people.plan, lot="L-1", form="capsule", strength_mg=Decimal("4.5"), quantity=30,
        prepared_on=today - dt.timedelta(days=5), beyond_use=today + dt.timedelta(days=175),
        dispensed_by=people.phil,
    )  # fmt: skip
    people.trial = trials.create_trial(
        course, people.phil, start_date=course.start_date, pairs=2, block_days=7,
        washout_days=2, seed=7, outcomes=["pain", "fatigue"],
    )  # fmt: skip
    people.medication = Medication.objects.get(patient=anna)
    people.event = PlannedEvent.objects.create(
        patient=anna, kind="surgery", description="Knee", event_on=today + dt.timedelta(days=30),
        exposure="short-acting", created_by=people.nora,
    )  # fmt: skip
    people.alert = Alert.objects.create(
        patient=anna, kind="missed_doses", day=today, detail="Three doses missed", source="rule"
    )
    compass = load_instrument("compass31")
    answers = {item: int(value) for item, value in COMPASS_NO_SYMPTOMS.items()}
    scores = score_instrument(compass, answers)
    people.response = records.save_response(anna, today, answers, scores, anna.user)
    readings = [
        Reading(m, Position.SUPINE if m < 3 else Position.STANDING, 70 if m < 3 else 100, 120, 80)
        for m in range(13)
    ]
    result = analyse_stand_test(readings, anna.age_on(today))
    people.stand_test = records.save_stand_test(anna, today, readings, result, "", anna.user)
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")
    people.cleo = _patient(
        _user("cleo", "patient", north, "Cleo", "Clay"), north, "N-3", dt.date(1970, 3, 4)
    )
    people.cleo_course = Course.objects.create(
        patient=people.cleo, prescriber=people.nora, baseline_start=course.baseline_start,
        start_date=course.start_date,
    )  # fmt: skip
    DoseChange.objects.create(
        course=people.cleo_course, effective_on=course.start_date, dose_mg=Decimal("1.5")
    )
    people.dora = _patient(
        _user("dora", "patient", north, "Dora", "Dale"), north, "N-4", dt.date(2001, 7, 8)
    )
    people.eve = _patient(
        _user("eve", "patient", north, "Eve", "Ellis"), north, "N-5", dt.date(1964, 11, 12)
    )
    eve_course = Course.objects.create(
        patient=people.eve, prescriber=people.nora, baseline_start=course.baseline_start,
        start_date=course.start_date,
    )  # fmt: skip
    people.liquid_plan = Plan.objects.create(
        course=eve_course, start_mg=Decimal("0.5"), step_mg=Decimal("0.5"), interval_days=7,
        target_mg=Decimal("3"), ceiling_mg=Decimal(6), form="liquid", time="bedtime",
        start_date=course.start_date, created_by=people.nora,
    )  # fmt: skip
    TOTPDevice.objects.create(user=people.nora, name="authenticator", confirmed=False)
    for patient in (anna, people.ben, people.cleo, people.dora, people.eve, people.sara):
        services.current_screening(patient)  # screened now, so that a page view screens nothing
    return people


def pytest_terminal_summary(terminalreporter):
    if tally.counts:
        terminalreporter.write_sep("-", "fuzz cases run")
        for line in tally.summary():
            terminalreporter.write_line(line)
