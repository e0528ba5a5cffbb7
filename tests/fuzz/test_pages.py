"""Every route of the site is either a form fuzzed in ``test_forms.py`` or a page listed here,
so a new route cannot slip past. A page, posted to or asked with odd query parameters by the
person it is for, is never a server error and changes nothing.

Django's admin (its own model forms, for administrators only) and the API (``test_api_schema``)
are covered elsewhere.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fuzz import tally
from tests.fuzz.snapshot import changes, snapshot
from tests.fuzz.test_forms import FORMS, logged_in, user

pytestmark = pytest.mark.fuzz

NASTY = {
    "date": "9999-12-31", "page": "-1", "q": "%_\\", "lot": "' OR 1=1 --", "next": "//x",
    "volume_ml": "NaN", "sort": "effect", "outcome": "happiness", "format": "pdf",
}  # fmt: skip


def _anna(world):
    return {"pk": world.anna.pk}


#: Page → who it is for and its URL arguments in the world.
PAGES = {
    "home": ("anna", None),
    "healthz": (None, None),
    "diary:home": ("anna", None),
    "diary:chart": ("anna", None),
    "courses:patient_list": ("nora", None),
    "courses:patient_detail": ("nora", _anna),
    "courses:patient_chart": ("nora", _anna),
    "courses:pharmacy": ("phil", None),
    "courses:research": ("rita", None),
    "outcomes:my_questionnaires": ("anna", None),
    "outcomes:my_response": ("anna", lambda w: {"pk": w.response.pk}),
    "outcomes:my_stand_tests": ("anna", None),
    "outcomes:my_stand_test": ("anna", lambda w: {"pk": w.stand_test.pk}),
    "outcomes:checkin_guidance": ("anna", lambda w: {"pk": w.anna.checkins.first().pk}),
    "outcomes:patient_questionnaires": ("nora", _anna),
    "outcomes:patient_stand_tests": ("nora", _anna),
    "outcomes:stand_test_chart": ("nora", _anna),
    "outcomes:patient_stand_test": (
        "nora",
        lambda w: {"pk": w.anna.pk, "test_pk": w.stand_test.pk},
    ),
    "safety:safety": ("nora", _anna),
    "safety:plan": ("nora", _anna),
    "safety:calendar": ("anna", None),
    "pharmacy:queue": ("phil", None),
    "pharmacy:label": ("phil", lambda w: {"batch_id": w.batch.pk}),
    "reports:my_card": ("anna", None),
    "reports:patient_card": ("nora", _anna),
    "reports:surgery_letter": ("nora", _anna),
    "reports:course_report": ("nora", _anna),
    "reports:course_report_pdf": ("nora", _anna),
    "reports:evidence_index": ("anna", None),
    "reports:evidence_condition": ("anna", lambda w: {"condition": "pots"}),
    "evaluation:mine": ("anna", None),
    "evaluation:my_chart": ("anna", lambda w: {"outcome": "pain"}),
    "evaluation:my_trial_chart": ("anna", lambda w: {"outcome": "pain"}),
    "evaluation:patient": ("nora", _anna),
    "evaluation:trial_chart": ("nora", lambda w: {"pk": w.anna.pk, "outcome": "pain"}),
    "evaluation:chart": ("nora", lambda w: {"pk": w.anna.pk, "outcome": "pain"}),
    "evaluation:pharmacy_trials": ("phil", None),
    "evaluation:pack_label": ("phil", lambda w: {"pk": w.anna.pk, "period": 1}),
}


def route_names(patterns=None, namespace: str = "") -> list[str]:
    """Every named route of the site, ``namespace:name``, outside the admin and the API."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            if inner not in ("admin", "api"):
                names += route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(":".join(filter(None, [namespace, pattern.name])))
    return names


def test_every_route_is_a_fuzzed_form_or_a_listed_page():
    forms = {route.name for route in FORMS}
    assert sorted(set(route_names()) - forms - set(PAGES)) == []
    assert sorted((forms | set(PAGES)) - set(route_names())) == []


def test_a_page_sent_anything_changes_nothing(world):
    """One test for all pages (a world for each would cost more than the pages)."""
    failures = []
    for name, (actor, kwargs) in sorted(PAGES.items()):
        url = reverse(name, kwargs=kwargs(world) if kwargs else None)
        for method in ("get", "post"):
            tally.count("pages (one odd request each)")
            with transaction.atomic():
                client = logged_in(user(world, actor))
                before = snapshot()
                response = getattr(client, method)(url, NASTY)
                if response.status_code >= 500 or changes(before, snapshot()):
                    failures.append((method.upper(), name, response.status_code))
                transaction.set_rollback(True)
    assert failures == []
