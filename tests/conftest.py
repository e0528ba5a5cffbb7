"""Shared fixtures: a small world of named people in two clinics.

- North clinic: Dr Nora North (clinician), Anna (patient on a course with check-ins), Ben (patient
  with no course yet), Phil (pharmacist), Rita (researcher).
- South clinic: Dr Sam South (clinician) and Sara (his patient).
- Ada, an administrator of the installation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    """Argon2 is deliberately slow; tests that do not test hashing use a fast hasher."""
    if "django_db_setup" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once():
    """WhiteNoise lists every static file each time a test client builds its middleware (about
    70 ms); the files do not change during a run, so the list is made once and reused."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict = {}

    def add_files_once(self) -> None:
        if not listed:
            before = set(self.files)
            original(self)
            listed.update({url: f for url, f in self.files.items() if url not in before})
        self.files.update(listed)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_once
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original


@pytest.fixture
def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _user(username: str, role: str, clinic, first: str, last: str):
    from lowdose.web.accounts.models import User

    user = User(username=username, role=role, clinic=clinic, first_name=first, last_name=last)
    user.set_password(PASSWORD)
    user.save()
    return user


def _patient(user, clinic, record: str, born: dt.date):
    from lowdose.web.courses.models import Patient

    return Patient.objects.create(
        user=user, clinic=clinic, record_number=record, date_of_birth=born, sex="female"
    )


@pytest.fixture
def people(db, today):
    """The named people, with Anna on maintenance and a week of check-ins."""
    return build_people(today)


def build_people(today: dt.date) -> SimpleNamespace:
    """The people of the fixture above, for fixtures that need them outside one test."""
    from lowdose.web.accounts.models import Clinic
    from lowdose.web.courses.models import Course, DoseChange, Medication, PatientCondition
    from lowdose.web.diary.models import CheckIn

    north = Clinic.objects.create(name="North Clinic", slug="north")
    south = Clinic.objects.create(name="South Clinic", slug="south")
    world = SimpleNamespace(north=north, south=south)
    world.nora = _user("nora", "clinician", north, "Nora", "North")
    world.phil = _user("phil", "pharmacist", north, "Phil", "Pharma")
    world.rita = _user("rita", "researcher", north, "Rita", "Search")
    world.sam = _user("sam", "clinician", south, "Sam", "South")
    world.ada = _user("ada", "admin", None, "Ada", "Admin")
    world.anna = _patient(
        _user("anna", "patient", north, "Anna", "Archer"), north, "N-1", dt.date(1990, 5, 17)
    )
    world.ben = _patient(
        _user("ben", "patient", north, "Ben", "Baker"), north, "N-2", dt.date(1985, 1, 2)
    )
    world.sara = _patient(
        _user("sara", "patient", south, "Sara", "Stone"), south, "S-1", dt.date(1979, 9, 30)
    )
    PatientCondition.objects.create(patient=world.anna, condition="pots")
    Medication.objects.create(patient=world.anna, name="Propranolol 10 mg")
    start = today - dt.timedelta(days=60)
    world.course = Course.objects.create(
        patient=world.anna,
        prescriber=world.nora,
        baseline_start=start - dt.timedelta(days=14),
        start_date=start,
        maintenance_start=start + dt.timedelta(days=28),
    )
    for offset, mg in ((0, "1.5"), (14, "3"), (28, "4.5")):
        DoseChange.objects.create(
            course=world.course, effective_on=start + dt.timedelta(offset), dose_mg=Decimal(mg)
        )
    Course.objects.create(
        patient=world.sara,
        prescriber=world.sam,
        baseline_start=start,
        start_date=start + dt.timedelta(days=14),
    )
    for back in range(1, 8):
        CheckIn.objects.create(
            patient=world.anna,
            course=world.course,
            date=today - dt.timedelta(days=back),
            dose_taken=True,
            pain=5,
            fatigue=6,
        )
    return world


@pytest.fixture
def login(client):
    """Log the test client in as a user (by object)."""

    def do(user):
        client.force_login(user)
        return client

    return do
