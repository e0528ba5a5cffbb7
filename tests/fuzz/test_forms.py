"""Every HTML form, posted with arbitrary and near-valid values by the person who may use it.

For each form: no answer is a server error, and whenever the answer refuses the input (the form
shown again with its errors, a 4xx, or a redirect with an error message) the database holds
exactly what it held before. Each case runs in a savepoint that is rolled back afterwards, so
every case meets the same world (``conftest.py``). The GET forms (filters, previews, the liquid
formula) are fuzzed too, and a GET changes nothing whatever it is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lowdose.instruments import ItemKind, available_instruments, load_instrument
from lowdose.ratings import DAILY_RATINGS, SideEffect
from tests.conftest import PASSWORD
from tests.fuzz import tally
from tests.fuzz.snapshot import changes, snapshot
from tests.fuzz.values import (
    Field,
    arbitrary,
    field,
    form,
    fuzz_settings,
    near_dates,
    near_numbers,
    text,
)

pytestmark = pytest.mark.fuzz

MISSING = 10**9  # an id that exists nowhere

DOSES = ["1.5", "1.5 mg", "1500 mcg", "0", "0 mg", "4.5mg", "6 mg", "50 mg", "-1 mg", "1.5 g",
         "1e3 mcg", "0.0001 mg", "mg", "1.5 mg/day"]  # fmt: skip
REASONS = ["Pain clinic agrees; short course only", "ok", "          ", "x" * 3000]
INSTRUMENTS = [i.id for i in available_instruments()]


@dataclass(frozen=True)
class FormRoute:
    """A form: its URL name, who posts it, its URL arguments and its fields."""

    name: str
    actor: str | None
    kwargs: Callable[[object], st.SearchStrategy[dict]]
    fields: Callable[[object, dt.date, dict], dict[str, Field]]
    method: str = "post"
    examples: int = 15

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def _patients(*names: str) -> Callable[[object], st.SearchStrategy[dict]]:
    """The form's patient: mostly the first named, else any named or one that does not exist."""

    def kwargs(world):
        pks = [getattr(world, name).pk for name in names]
        first = st.just(pks[0])
        return st.fixed_dictionaries(
            {"pk": st.one_of(first, first, st.sampled_from([*pks, MISSING]))}
        )

    return kwargs


def _with(base, **more: Callable[[object], list[int]]):
    """``base``'s arguments plus ids drawn from the world (and one that does not exist)."""

    def kwargs(world):
        extra = {
            key: st.sampled_from(ids(world)) | st.sampled_from([*ids(world), MISSING])
            for key, ids in more.items()
        }
        return st.builds(lambda a, b: {**a, **b}, base(world), st.fixed_dictionaries(extra))

    return kwargs


def _none(world):
    return st.just({})


def _no_fields(world, today, kwargs):
    return {}


def _checkin_fields(world, today, kwargs):
    fields = {
        "date": field(near_dates(today, 30)),
        "dose_taken": field(["yes", "no", "", "YES", "1"]),
        "dose_time": field(["08:00", "23:59", "24:00", "7pm", "12:60", "08:00:00.123"]),
        "note": field(text),
    }
    for rating in DAILY_RATINGS:
        fields[rating.name] = field(near_numbers(0, 10))
    for effect in SideEffect:
        fields[f"se_{effect.value}"] = field(["mild", "moderate", "severe", "", "awful"])
    return fields


def _dose_fields(world, today, kwargs):
    return {"effective_on": field(near_dates(today)), "dose": field(DOSES), "note": field(text)}


def _questionnaire_kwargs(world):
    return st.fixed_dictionaries({"instrument_id": st.sampled_from([*INSTRUMENTS, "nope"])})


def _questionnaire_fields(world, today, kwargs):
    fields = {"date": field(near_dates(today))}
    if kwargs["instrument_id"] not in INSTRUMENTS:
        return fields
    for item in load_instrument(kwargs["instrument_id"]).items:
        values = [str(v) for v in item.values]
        low, high = min(item.values), max(item.values)
        if item.kind is ItemKind.MULTI:
            fields[item.id] = field(st.lists(st.sampled_from(values) | arbitrary, max_size=4))
        else:
            fields[item.id] = field(values, values, near_numbers(low, high))
    return fields


def _schedule_fields(world, today, kwargs):
    weeks = ["0, 4, 8, 12", "0", "", "4,4", "-1", "1000", "0,,4", "a", "0;4", "1.5"]
    return {
        "instruments": field(st.lists(st.sampled_from([*INSTRUMENTS, "nope"]), max_size=4)),
        "weeks": field(weeks),
        "repeat_every_weeks": field(near_numbers(1, 104)),
    }


def _stand_test_fields(world, today, kwargs):
    fields = {"date": field(near_dates(today)), "symptoms": field(text)}
    for minute in range(13):
        fields[f"hr_{minute}"] = field(["70", "110"], near_numbers(0, 260))
        fields[f"sbp_{minute}"] = field(["120", "90"], near_numbers(0, 320))
        fields[f"dbp_{minute}"] = field(["80", "60"], near_numbers(0, 210))
        fields[f"note_{minute}"] = field(text)
    return fields


def _medication_fields(world, today, kwargs):
    names = ["Tramadol 50 mg", "Morphine", "Propranolol 10 mg", "a" * 201, "   "]
    return {"name": field(names, text), "started_on": field(near_dates(today))}


def _stop_fields(world, today, kwargs):
    return {"stopped_on": field(near_dates(today, 800))}


PLAN_FIELDS = {
    "start": field(DOSES),
    "step": field(DOSES),
    "every": field(near_numbers(1, 60)),
    "target": field(DOSES),
    "ceiling": field(["6 mg", "4.5", "10 mg", "0"], DOSES),
    "allow_above_ceiling": field(["on", ""]),
    "form": field(["capsule", "liquid", "tablet"]),
    "time": field(["bedtime", "morning", "noon"]),
}


def _plan_fields(world, today, kwargs):
    dates = near_dates(today, 60)
    return {**PLAN_FIELDS, "start_date": field(dates), "baseline_start": field(dates)}


def _start_fields(world, today, kwargs):
    return {**_plan_fields(world, today, kwargs), "action": field(["start", "preview", ""])}


def _override_fields(world, today, kwargs):
    plan = _plan_fields(world, today, kwargs)
    return {"reason": field(REASONS, text), "next_page": field(["start", "", "plan"]), **plan}


def _event_fields(world, today, kwargs):
    return {
        "kind": field(["surgery", "opioid", "dentist"]),
        "description": field(["Hip replacement", "a" * 201], text),
        "event_on": field(near_dates(today)),
        "exposure": field(["none", "short-acting", "long-acting", "fentanyl"]),
        "last_opioid_on": field(near_dates(today)),
    }


def _revision_fields(world, today, kwargs):
    return {
        "kind": field(["step_back", "hold", "change_interval", "resume", "stop"]),
        "effective": field(near_dates(today, 60)),
        "dose": field(DOSES),
        "days": field(near_numbers(0, 400)),
        "reason": field(REASONS, text),
    }


def _main_outcome_fields(world, today, kwargs):
    return {"outcome": field([r.name for r in DAILY_RATINGS] + ["happiness"])}


def _trial_fields(world, today, kwargs):
    outcomes = [r.name for r in DAILY_RATINGS] + ["happiness"]
    return {
        "start_date": field(near_dates(today, 100)),
        "pairs": field(near_numbers(1, 12)),
        "block_days": field(near_numbers(7, 56)),
        "washout_days": field(near_numbers(0, 28)),
        "seed": field(near_numbers(0, 100), [str(2**31 - 1), str(2**31), str(2**64)]),
        "outcomes": field(st.lists(st.sampled_from(outcomes), max_size=3)),
    }


def _pack_fields(world, today, kwargs):
    return {"period": field(near_numbers(0, 5))}


def _reason_fields(world, today, kwargs):
    return {"reason": field(REASONS, text)}


def _dispense_fields(world, today, kwargs):
    amounts = near_numbers(0, 100) | st.sampled_from(["0.00001", "12345678.9", "4.12345", "1e-3"])
    return {
        "lot": field(["L-2", "", "a" * 65], text),
        "strength_mg": field(amounts),
        "quantity": field(amounts),
        "prepared_on": field(near_dates(today)),
        "component_expiry": field(near_dates(today)),
        "preserved": field(["on", ""]),
    }


def _login_fields(world, today, kwargs):
    return {
        "username": field(["anna", "nora", "ada", "ANNA", "anna "], text),
        "password": field([PASSWORD, PASSWORD + " ", "wrong"], text),
        "next": field(["/me/", "https://elsewhere.example/", "//elsewhere.example"]),
    }


def _two_factor_fields(world, today, kwargs):
    codes = ["123456", "000000", " 123 456 ", "1234567890", "12345678901"]
    return {"code": field(codes), "next": field(["/dashboard/", "https://elsewhere.example/"])}


def _formula_fields(world, today, kwargs):
    return {
        "tablet_mg": field(near_numbers(0, 50)),
        "tablet_count": field(near_numbers(0, 5)),
        "volume_ml": field(near_numbers(0, 100)),
        "graduation_ml": field(["0.1", "0.01", "0.5", "0", "0.0001"]),
        "preserved": field(["on", ""]),
    }


def _filter_fields(world, today, kwargs):
    return {
        "q": field(["anna", "N-1", "%", "_"], text),
        "condition": field(["pots", "fibromyalgia", "x"]),
        "phase": field(["baseline", "titration", "maintenance", "x"]),
        "alerts": field(["1", "0"]),
        "responder": field(["responder", "x"]),
        "sort": field(["name", "effect", "last", "x"]),
        "dir": field(["asc", "desc"]),
        "page": field(near_numbers(-1, 3)),
    }


def _lot_fields(world, today, kwargs):
    return {"lot": field(["L-1", "l-1", "%", "L"], text)}


def _day_fields(world, today, kwargs):
    return {"date": field(near_dates(today))}


def _plan_of(name):
    return lambda world: st.just({"plan_id": getattr(world, name).pk})


FORMS = [
    FormRoute("login", None, _none, _login_fields),
    FormRoute("logout", "anna", _none, _no_fields, examples=3),
    FormRoute("two_factor", "nora", _none, _two_factor_fields),
    FormRoute("diary:checkin", "anna", _none, _checkin_fields, examples=30),
    FormRoute("diary:checkin", "anna", _none, _day_fields, method="get", examples=5),
    FormRoute("courses:change_dose", "nora", _patients("cleo", "anna", "sara"), _dose_fields),
    FormRoute(
        "outcomes:fill_questionnaire",
        "anna",
        _questionnaire_kwargs,
        _questionnaire_fields,
        examples=30,
    ),
    FormRoute("outcomes:edit_schedule", "nora", _patients("anna", "ben"), _schedule_fields),
    FormRoute("outcomes:new_stand_test", "anna", _none, _stand_test_fields, examples=20),
    FormRoute(
        "outcomes:acknowledge_alert",
        "nora",
        _with(_patients("anna"), alert_pk=lambda w: [w.alert.pk]),
        _no_fields,
        examples=5,
    ),
    FormRoute("safety:add_medication", "nora", _patients("anna", "sara"), _medication_fields),
    FormRoute(
        "safety:stop_medication",
        "nora",
        _with(_patients("anna"), medication_id=lambda w: [w.medication.pk]),
        _stop_fields,
    ),
    FormRoute("safety:override", "nora", _patients("ben", "anna"), _override_fields),
    FormRoute("safety:add_event", "nora", _patients("anna"), _event_fields),
    FormRoute(
        "safety:delete_event",
        "nora",
        _with(_patients("anna"), event_id=lambda w: [w.event.pk]),
        _no_fields,
        examples=5,
    ),
    FormRoute("safety:start", "nora", _patients("dora", "ben", "anna"), _start_fields, examples=30),
    FormRoute("safety:start", "nora", _patients("dora"), _plan_fields, method="get", examples=10),
    FormRoute("safety:preview", "nora", _patients("dora"), _plan_fields, method="get"),
    FormRoute("safety:revise", "nora", _patients("anna", "cleo"), _revision_fields, examples=20),
    FormRoute("evaluation:set_main_outcome", "nora", _patients("anna"), _main_outcome_fields),
    FormRoute("evaluation:pharmacy_trial", "phil", _patients("cleo", "anna"), _trial_fields),
    FormRoute("evaluation:dispense_pack", "phil", _patients("anna", "cleo"), _pack_fields),
    FormRoute(
        "evaluation:emergency_unblind",
        "nora",
        _patients("anna", "cleo"),
        _reason_fields,
        examples=10,
    ),
    FormRoute("evaluation:unblind", "nora", _patients("anna", "cleo"), _no_fields, examples=5),
    FormRoute("pharmacy:dispense", "phil", _plan_of("plan"), _dispense_fields, examples=20),
    FormRoute("pharmacy:worksheet", "phil", _plan_of("liquid_plan"), _formula_fields, "get"),
    FormRoute("pharmacy:lot", "phil", _none, _lot_fields, method="get", examples=10),
    FormRoute("dashboard:dashboard", "nora", _none, _filter_fields, method="get"),
    FormRoute("courses:pharmacy", "phil", _none, _filter_fields, method="get", examples=10),
]


def user(world, actor: str | None):
    """The person logged in as ``actor`` (a user, or a patient's user), or None."""
    if actor is None:
        return None
    person = getattr(world, actor)
    return getattr(person, "user", person)


def refused(response) -> bool:
    """True unless the answer is a redirect without an error message (the input was taken)."""
    if response.status_code not in (301, 302, 303):
        return True
    levels = [m.level for m in messages.get_messages(response.wsgi_request)]
    return messages.ERROR in levels


def logged_in(actor) -> Client:
    client = Client()
    if actor is not None:
        client.force_login(actor)
    return client


@pytest.mark.parametrize("route", FORMS, ids=str)
def test_refused_input_changes_nothing(world, today, route):
    actor = user(world, route.actor)

    @fuzz_settings(route.examples)
    @given(data=st.data())
    def case(data):
        kwargs = data.draw(route.kwargs(world), label="url")
        body = data.draw(form(route.fields(world, today, kwargs)), label="body")
        url = reverse(route.name, kwargs=kwargs)
        with transaction.atomic():
            client = logged_in(actor)
            before = snapshot()
            response = getattr(client, route.method)(url, body)
            assert response.status_code < 500
            was_refused = refused(response)
            tally.count("forms (hypothesis)", "refused" if was_refused else "accepted")
            if route.method == "get" or was_refused:
                assert changes(before, snapshot()) == []
            transaction.set_rollback(True)

    case()
