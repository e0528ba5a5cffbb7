"""The authorization matrix (``access_matrix.yaml``): every page and every API operation, asked
for by each of nine people, gives the answer the matrix says, and nothing is left out of it.

The matrix is checked against the site itself: a route in Django's URL resolver or an operation
in the OpenAPI document that the matrix does not list fails the suite, so a new page cannot be
added without deciding who may open it. The admin site is covered by generating its pages from
the models registered with it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.builders import make_plan
from tests.conftest import build_people

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MATRIX = yaml.safe_load((Path(__file__).with_name("access_matrix.yaml")).read_text())
ACTORS: list[str] = MATRIX["actors"]
LOG_IN = "/login/"
ADMIN_LOG_IN = "/admin/login/"


@dataclass(frozen=True)
class Entry:
    """One row of the matrix: a request and what each actor gets back."""

    kind: str  # "page" or "api"
    key: str  # route name, or "METHOD /api/path" as in the OpenAPI document
    method: str
    url: str
    expect: dict[str, Any]
    body: dict[str, Any] | None
    audited: bool  # False for a row that shows no patient's data
    shows_nothing_to: frozenset[str]  # actors who get an empty list, so read no one's data

    def must_audit(self, actor: str, status: int) -> bool:
        """A page read (GET answered 200) or an API call that worked must leave an audit
        event; a form sent back with its errors shows nothing new."""
        if not self.audited or actor in self.shows_nothing_to:
            return False
        return status == 200 if self.method == "GET" else self.kind == "api" and status < 300

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"

    def expected(self, actor: str) -> Any:
        if actor in self.expect:
            return self.expect[actor]
        if "others" in self.expect:
            return self.expect["others"]
        if actor == "anonymous":
            return "login" if self.kind == "page" else 401
        return 404


def _entries() -> list[Entry]:
    entries = []
    for section, kind in (("pages", "page"), ("api", "api")):
        for row in MATRIX[section]:
            method, url = row["request"].split(" ", 1)
            key = row["route"] if kind == "page" else f"{method} {row['operation']}"
            expect, body = row.get("expect", {}), row.get("json")
            audited = "no_patient_data" not in row
            nothing = frozenset(row.get("shows_nothing_to", ()))
            entries.append(Entry(kind, key, method, url, expect, body, audited, nothing))
    return entries


ENTRIES = _entries()


# --- the world the matrix talks about
@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module inside a transaction that is rolled back at its
    end; each test's own transaction nests inside it."""
    fast = override_settings(PASSWORD_HASHERS=FAST_HASHER)
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield _build_world(timezone.localdate())
        transaction.set_rollback(True)


@pytest.fixture
def each(world, db):
    """The world, for a test whose requests are rolled back after it."""
    return world


def _build_world(today: dt.date) -> SimpleNamespace:
    """Anna's records of every kind a route can point at, and the ids to fill the URLs with."""
    from lowdose.web.accounts.models import User
    from lowdose.web.courses.models import Medication
    from lowdose.web.diary.models import CheckIn
    from lowdose.web.evaluation.models import Trial
    from lowdose.web.outcomes.models import Alert, QuestionnaireResponse, StandTest
    from lowdose.web.pharmacy.models import Batch
    from lowdose.web.safety.models import PlannedEvent

    people = build_people(today)
    people.pia = User.objects.create(
        username="pia", role="pharmacist", clinic=people.south, first_name="Pia", last_name="Pill"
    )
    anna = people.anna
    plan = make_plan(people)
    batch = Batch.objects.create(
        plan=plan, lot="LOT-A", form="capsule", strength_mg=Decimal("1.5"),
        quantity=Decimal(14), prepared_on=today, beyond_use=today + dt.timedelta(days=90),
        dispensed_by=people.phil, dispensed_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    event = PlannedEvent.objects.create(
        patient=anna, kind="surgery", description="Knee arthroscopy",
        event_on=today + dt.timedelta(days=30), exposure="short-acting", created_by=people.nora,
    )  # fmt: skip
    alert = Alert.objects.create(
        patient=anna, kind="missed_doses", day=today, detail="3 missed", source="lowdose"
    )
    stand = StandTest.objects.create(
        patient=anna, date=today, age_years=36, readings=[], max_delta_hr=Decimal(31), result={}
    )
    response = QuestionnaireResponse.objects.create(
        patient=anna, instrument="fss", definition_version="1", date=today, answers={},
        total=Decimal("4.2"),
    )  # fmt: skip
    checkin = CheckIn.objects.filter(patient=anna).order_by("-date").first()
    course, kept = people.course, CheckIn.objects.filter(patient=anna).earliest("date").date
    diary = [(course.baseline_start, course.start_date, 7), (course.maintenance_start, kept, 4)]
    CheckIn.objects.bulk_create(
        CheckIn(patient=anna, course=course, date=first + dt.timedelta(days), pain=pain + days % 2)
        for first, last, pain in diary
        for days in range((last - first).days)
    )
    Medication.objects.create(patient=people.ben, name="Tramadol 50 mg")  # a plan needs an override
    phil = Client()
    phil.force_login(people.phil)
    created = phil.post(
        f"/patients/{anna.pk}/trial/",
        {"start_date": (today + dt.timedelta(days=7)).isoformat(), "pairs": "2",
         "block_days": "14", "washout_days": "2", "seed": "7", "outcomes": ["pain", "fatigue"]},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    assert phil.post(f"/patients/{anna.pk}/trial/packs/", {"period": "1"}).status_code == 302
    trial = Trial.objects.get(course=people.course)
    ids = {
        "anna": anna.pk,
        "ben": people.ben.pk,
        "sara": people.sara.pk,
        "plan": plan.pk,
        "batch": batch.pk,
        "event": event.pk,
        "alert": alert.pk,
        "stand": stand.pk,
        "response": response.pk,
        "checkin": checkin.pk,
        "checkin_day": checkin.date.isoformat(),
        "medication": Medication.objects.get(patient=anna).pk,
        "trial": trial.pk,
    }
    return SimpleNamespace(people=people, ids=ids)


def _person(world, actor: str):
    person = getattr(world.people, actor)
    return getattr(person, "user", person)


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    """The matrix's request body with ``{name}`` replaced by the world's ids."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    return value


def _request(client: Client, entry: Entry, ids: dict[str, Any]):
    url = entry.url.format(**ids)
    if entry.kind == "api" and entry.method != "GET":
        body = json.dumps(_fill(entry.body or {}, ids))
        return client.generic(entry.method, url, body, content_type="application/json")
    if entry.method == "GET":
        return client.get(url)
    return client.post(url, {})


def _outcome(response) -> Any:
    """The status code, or "login" / "admin-login" for a redirect to a log-in page."""
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(LOG_IN):
            return "login"
        if location.startswith(ADMIN_LOG_IN):
            return "admin-login"
    return response.status_code


def _answers(world, entry: Entry) -> dict[str, Any]:
    """What each actor gets; each request runs in a transaction that is rolled back. A request
    that reads or writes patient data must leave an audit event naming the actor."""
    from lowdose.web.accounts.models import AuditEvent

    answers = {}
    client = Client()
    for actor in ACTORS:
        client.logout()
        with transaction.atomic():
            if actor != "anonymous":
                client.force_login(_person(world, actor))
            events = AuditEvent.objects.count()
            response = _request(client, entry, world.ids)
            assert response.status_code < 500, f"{actor}: {entry.id} gave {response.status_code}"
            answers[actor] = _outcome(response)
            if entry.must_audit(actor, response.status_code):
                recorded = AuditEvent.objects.order_by("pk")[events:]
                who = {event.actor_id for event in recorded}
                assert who == {_person(world, actor).pk}, f"{actor}: {entry.id} left no audit"
            transaction.set_rollback(True)
    return answers


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_each_actor_gets_what_the_matrix_says(each, entry):
    answers = _answers(each, entry)
    wrong = {
        actor: f"got {answers[actor]}, matrix says {entry.expected(actor)}"
        for actor in ACTORS
        if answers[actor] != entry.expected(actor)
    }
    assert not wrong, f"{entry.id}: {wrong}"


# --- the admin site
def _admin_pages() -> list[str]:
    pages = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return pages


@pytest.mark.parametrize("page", _admin_pages())
def test_only_administrators_open_the_admin_site(each, page):
    expect = MATRIX["admin"]
    answers = {}
    client = Client()
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(_person(each, actor))
        answers[actor] = _outcome(client.get(page))
    assert answers == {actor: expect.get(actor, "admin-login") for actor in ACTORS}


# --- nothing may be left out of the matrix
def _routes(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_route_of_the_site_is_in_the_matrix(client):
    document = client.get("/api/openapi.json").json()
    operations = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    api_paths = {key.split(" ", 1)[1] for key in operations}
    pages = {e.key for e in ENTRIES if e.kind == "page"}
    listed = {e.key for e in ENTRIES if e.kind == "api"}
    missing = [f"API operation {key}" for key in sorted(operations - listed)]
    for route, name in _routes(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue  # generated from the models registered with the admin site, above
        if name not in pages and _openapi_path(route) not in api_paths:
            missing.append(f"route {route} ({name})")
    assert not missing, f"missing from access_matrix.yaml: {missing}"
    gone = sorted(listed - operations)
    assert not gone, f"in access_matrix.yaml but no longer in the API: {gone}"


def test_the_matrix_names_only_known_actors_and_outcomes():
    allowed = {"login", "admin-login"}
    for entry in ENTRIES:
        assert set(entry.expect) <= {*ACTORS, "others"}, entry.id
        for outcome in entry.expect.values():
            assert isinstance(outcome, int) or outcome in allowed, (entry.id, outcome)
