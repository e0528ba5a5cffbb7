"""`lowdose backup` copies a consistent database while the app writes; `lowdose restore` brings
it back, and the restored tables equal the source row by row."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import threading
import uuid

import pytest

from tests.durability.server import Server, post_json

pytestmark = pytest.mark.slow


def _lowdose(server: Server, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lowdose.cli", *args],
        env=env or server.env,
        capture_output=True,
        text=True,
        check=False,
    )


def _tables(env: dict) -> dict[str, set[tuple]]:
    """Every row of every lowdose table, as sets of tuples."""
    url = env.get("DATABASE_URL")
    if url is None:
        with sqlite3.connect(env["LOWDOSE_DATA_DIR"] + "/lowdose.sqlite3") as db:
            names = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {n: set(db.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}
    import psycopg

    def hashable(row: tuple) -> tuple:
        return tuple(
            json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for v in row
        )

    with psycopg.connect(url) as db:
        names = [
            r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {n: {hashable(r) for r in db.execute(f'SELECT * FROM "{n}"')} for n in names}


@pytest.fixture
def restore_target(tmp_path, database_url):
    """A second, empty database (or data directory) to restore into."""
    if database_url is None:
        yield None
        return
    import psycopg

    name = f"lowdose_restore_{uuid.uuid4().hex[:8]}"
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restored_env(server, tmp_path, restore_target) -> dict:
    env = dict(server.env, LOWDOSE_DATA_DIR=str(tmp_path / "restored"))
    if restore_target:
        env["DATABASE_URL"] = restore_target
    return env


def test_backup_while_writing_then_restore(tmp_path, database_url, restore_target):
    server = Server(tmp_path / "live", database_url)
    (tmp_path / "live").mkdir()
    demo = _lowdose(server, "demo", "--patients", "8", "--days", "40", "--json")
    assert demo.returncode == 0, demo.stderr
    patients = server.create_patients(2)
    server.start()
    stop = threading.Event()
    try:
        token = server.token(patients[0])

        def write() -> None:
            day = 0
            while not stop.is_set() and day < 300:
                day += 1
                date = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=day)).isoformat()
                post_json(
                    server.url + "/api/checkins", {"date": date, "ratings": {"pain": 4}}, token
                )

        writer = threading.Thread(target=write)
        writer.start()
        backup_file = tmp_path / "lowdose.backup"
        made = _lowdose(server, "backup", str(backup_file), "--json")
        stop.set()
        writer.join()
        assert made.returncode == 0, made.stderr
        assert _lowdose(server, "backup", str(backup_file)).returncode == 2  # never overwrites
    finally:
        stop.set()
        server.stop()

    env = _restored_env(server, tmp_path, restore_target)
    restored = _lowdose(server, "restore", str(backup_file), "--yes", "--json", env=env)
    assert restored.returncode == 0, restored.stderr
    source, copy = _tables(server.env), _tables(env)
    assert set(copy) >= {"diary_checkin", "courses_patient", "accounts_user"}
    assert len(copy["courses_patient"]) == 10
    # Taken while the app wrote, the copy is a consistent earlier state: every check-in in it is
    # in the source exactly as it was, and no table holds a row the source never had. (Rows such
    # as a token's last-use time may change after the backup, so other tables compare keys.)
    assert copy["diary_checkin"] <= source["diary_checkin"]
    assert 0 < len(copy["diary_checkin"]) <= len(source["diary_checkin"])
    for table, rows in copy.items():
        source_keys = {row[0] for row in source[table]}
        assert {row[0] for row in rows} <= source_keys, f"{table} has rows the source never had"
    # taken while idle, a second backup restores to exactly the source, row by row
    again = tmp_path / "idle.backup"
    assert _lowdose(server, "backup", str(again)).returncode == 0
    assert _lowdose(server, "restore", str(again), "--yes", env=env).returncode == 0
    assert _tables(env) == _tables(server.env)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, database_url):
    server = Server(tmp_path, database_url)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = _lowdose(server, "restore", str(bogus), "--yes")
    assert result.returncode == 2
    assert "Error" in result.stderr
