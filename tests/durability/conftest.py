"""Durability tests run against the backend of the suite: SQLite, or PostgreSQL when
DATABASE_URL is set (each test then gets a database of its own, dropped afterwards)."""

from __future__ import annotations

import os
import uuid

import pytest


@pytest.fixture
def database_url():
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield None
        return
    import psycopg

    name = f"lowdose_durability_{uuid.uuid4().hex[:8]}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
