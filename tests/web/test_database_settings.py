"""The connection settings each database runs with, checked on a live connection."""

from django.db import connection

from lowdose.web.settings import database


def test_postgresql_connections_turn_jit_off(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://ldn@db.example.org:5432/ldn")
    assert database(tmp_path)["OPTIONS"]["options"] == "-c jit=off"


def test_options_given_in_the_url_are_kept(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL",
        "postgresql://ldn@db.example.org:5432/ldn?options=-c%20statement_timeout%3D5000",
    )
    options = database(tmp_path)["OPTIONS"]["options"]
    assert options == "-c statement_timeout=5000 -c jit=off"


def test_the_live_connection_runs_with_the_settings(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:
            cursor.execute("PRAGMA journal_mode")
            # the test database lives in memory, where SQLite keeps no write-ahead log
            in_memory = connection.is_in_memory_db()
            assert cursor.fetchone()[0] == ("memory" if in_memory else "wal")
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL: a commit survives a power cut
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
