"""Every row of every table, to check that a refused request changed nothing.

A few tables and columns change on any request by design and are left out, each with its reason:
a refused request may still be read (the audit trail records reads) and may still count as a
failed log-in (throttling), but it never writes the data it was refused for.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection

#: Tables left out: they record the visit, not the data sent.
BOOKKEEPING_TABLES = {
    "sessions.session": "logging in and out replaces the session",
    "axes.accessattempt": "failed log-ins are counted to lock out password guessing",
    "axes.accessfailurelog": "failed log-ins are counted to lock out password guessing",
    "axes.accessattemptexpiration": "failed log-ins are counted to lock out password guessing",
    "axes.accesslog": "log-ins are logged",
    "evaluation.estimate": "a cache of evaluations that reads fill and refresh",
}

#: Columns left out: they note when something was used or guessed at.
BOOKKEEPING_COLUMNS = {
    "accounts.apitoken": {"last_used_at"},
    "otp_totp.totpdevice": {"throttling_failure_timestamp", "throttling_failure_count"},
}

#: Audit actions that record a visit; a refused request still records its reads.
VISIT_ACTIONS = ("view", "login", "login_failed")

Snapshot = dict[str, dict[Any, tuple]]


def snapshot() -> Snapshot:
    """Table label → primary key → the row's values (in column order)."""
    tables: Snapshot = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.label_lower
            if label not in BOOKKEEPING_TABLES:
                cursor.execute(*_select(model))
                tables[label] = {row[0]: row for row in cursor.fetchall()}
    return tables


def _select(model) -> tuple[str, list]:
    """Plain SQL (a few times faster than the ORM, which matters at two snapshots a case)."""
    quote = connection.ops.quote_name
    label, meta = model._meta.label_lower, model._meta
    skipped = BOOKKEEPING_COLUMNS.get(label, set())
    columns = [meta.pk.column] + [
        f.column for f in meta.concrete_fields if f.attname not in skipped and not f.primary_key
    ]
    sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(meta.db_table)}"
    if label == "accounts.auditevent":
        return f"{sql} WHERE {quote('action')} NOT IN (%s, %s, %s)", list(VISIT_ACTIONS)
    return sql, []


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs between two snapshots, one line per added, removed or changed row."""
    found = []
    for label, old in before.items():
        new = after[label]
        found += [f"{label}: added {new[pk]}" for pk in new.keys() - old.keys()]
        found += [f"{label}: removed {old[pk]}" for pk in old.keys() - new.keys()]
        found += [
            f"{label}: changed {old[pk]} -> {new[pk]}"
            for pk in old.keys() & new.keys()
            if old[pk] != new[pk]
        ]
    return found
