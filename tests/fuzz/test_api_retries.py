"""Retried API writes: however often and in whatever order a client resends its check-ins, each
client id is stored once, on its own day, and a resend answers 200 with the stored entry."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from lowdose.ratings import DAILY_RATINGS
from lowdose.web.accounts.models import ApiToken
from lowdose.web.diary.models import CheckIn
from tests.fuzz import tally
from tests.fuzz.values import fuzz_settings

pytestmark = pytest.mark.fuzz

ratings = st.dictionaries(
    st.sampled_from([r.name for r in DAILY_RATINGS]), st.none() | st.integers(0, 10), max_size=6
)
checkins = st.fixed_dictionaries(
    {
        "back": st.integers(0, 90),  # days before today
        "dose_taken": st.none() | st.booleans(),
        "ratings": ratings,
        "note": st.text(max_size=30),
    }
)


@fuzz_settings(20)
@given(
    entries=st.lists(checkins, min_size=1, max_size=4),
    sends=st.lists(st.integers(0, 3), min_size=1, max_size=6),
)
def test_a_resent_check_in_is_stored_once(client, world, today, entries, sends):
    tally.count("api retries (hypothesis)")
    ids = [uuid.UUID(int=n + 1) for n in range(len(entries))]
    with transaction.atomic():
        token = ApiToken.issue(world.anna.user)
        before = CheckIn.objects.filter(patient=world.anna).count()
        answers = [_send(client, token, today, ids[n % len(ids)], entries[n % len(ids)])
                   for n in sends]  # fmt: skip
        for answer in answers:
            assert answer.status_code in (200, 201, 422)
        sent = {n % len(ids) for n in sends}
        for n in sent:
            stored = CheckIn.objects.filter(patient=world.anna, client_id=ids[n])
            day = today - dt.timedelta(days=entries[n]["back"])
            assert [row.date for row in stored] in ([day], [])
        stored_days = {today - dt.timedelta(days=entries[n]["back"]) for n in sent}
        added = CheckIn.objects.filter(patient=world.anna).count() - before
        assert added <= len(stored_days)
        transaction.set_rollback(True)


def _send(client, token, today, client_id, entry):
    body = {k: v for k, v in entry.items() if k != "back"}
    body["date"] = (today - dt.timedelta(days=entry["back"])).isoformat()
    body["client_id"] = str(client_id)
    return client.post(
        "/api/checkins", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
