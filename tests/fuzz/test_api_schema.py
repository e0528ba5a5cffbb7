"""Schema-driven fuzzing of every API operation (schemathesis against ``/api/openapi.json``).

The WSGI application is called in-process, inside pytest-django's test database. Each operation
gets positive cases (valid by the schema) and negative ones (invalid by the schema), sent with a
bearer token or a session (with its CSRF token) by the people who use it, by someone who may
not, and by nobody. Every answer must be documented with its status, content type and body
shape, never a 5xx; a negative case must be refused; and an answer in 4xx leaves the database
exactly as it was. Each case runs in a savepoint that is rolled back afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lowdose.instruments import available_instruments
from lowdose.web.accounts.models import ApiToken
from tests.fuzz import tally
from tests.fuzz.snapshot import changes, snapshot
from tests.fuzz.values import fuzz_settings

pytestmark = pytest.mark.fuzz

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# Credentials are the callers' own (below), never random ones for the security schemes.
schema.config.generation.update(with_security_parameters=False)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
#: An operation without parameters or a body has no invalid input to send.
CASES = [
    (operation, mode)
    for operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or operation.definition.raw.get("parameters")
    or "requestBody" in operation.definition.raw
]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 12}

#: Who calls each operation: its users first (drawn most often), then people who may not.
PATIENT = ("anna", "anna", "ben", "nora", None)
CALLERS = {
    "/api/auth/token": (None,),
    "/api/screening": ("nora", "phil", "anna", None),
    "/api/patients/{patient_id}/trial": ("phil", "phil", "nora", None),
}
CLINICIAN = ("nora", "nora", "sam", "anna", None)


def callers(operation) -> tuple[str | None, ...]:
    if operation.path in CALLERS:
        return CALLERS[operation.path]
    return CLINICIAN if operation.path.startswith("/api/patients/") else PATIENT


@pytest.fixture
def wsgi_calls():
    """Keep Django from closing the test transaction's connection around each WSGI request
    (its test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(world):
    """Per person: headers and cookies for a bearer token, and for a session with CSRF."""
    found = {None: [({}, {})]}
    for name in ("anna", "ben", "nora", "sam", "phil"):
        person = getattr(world, name)
        user = getattr(person, "user", person)
        bearer = ({"Authorization": f"Bearer {ApiToken.issue(user)}"}, {})
        client = Client()
        client.force_login(user)
        csrf = _get_new_csrf_string()
        cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
        found[name] = [bearer, ({"X-CSRFToken": csrf}, cookies)]
    return found


def path_values(world, today: dt.date) -> dict[str, list]:
    """Path parameters that name things in the world (positive cases also get random ones)."""
    patients = [world.anna.pk, world.ben.pk, world.cleo.pk, world.sara.pk]
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(3)]
    return {
        "patient_id": patients,
        "day": days,
        "instrument_id": [i.id for i in available_instruments()],
    }


def _strategy(operation, mode, fixed: dict):
    return operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)


@pytest.mark.parametrize(
    ("operation", "mode"), CASES, ids=[f"{o.method.upper()} {o.path} {m.value}" for o, m in CASES]
)
def test_operation(world, today, credentials, wsgi_calls, operation, mode):
    names = callers(operation)
    known = {k: v for k, v in path_values(world, today).items() if f"{{{k}}}" in operation.path}
    positive = mode is GenerationMode.POSITIVE

    @fuzz_settings(EXAMPLES[mode])
    @given(data=st.data())
    def case_of(data):
        fixed = {}
        if positive:  # random ids name nothing: often use the world's
            fixed = {k: data.draw(st.sampled_from([None, *v]), label=k) for k, v in known.items()}
            fixed = {k: v for k, v in fixed.items() if v is not None}
        case = data.draw(_strategy(operation, mode, fixed), label="case")
        name = data.draw(st.sampled_from(names), label="caller")
        headers, cookies = data.draw(st.sampled_from(credentials[name]), label="credentials")
        with transaction.atomic():
            before = snapshot()
            response = case.call(headers=headers, cookies=cookies)
            checks = [*CHECKS, negative_data_rejection] if not positive else CHECKS
            case.validate_response(response, checks=checks, headers=headers)
            refused = 400 <= response.status_code < 500
            tally.count(f"api schema, {mode.value}", "refused" if refused else "accepted")
            if refused:
                assert changes(before, snapshot()) == []
            transaction.set_rollback(True)

    case_of()
