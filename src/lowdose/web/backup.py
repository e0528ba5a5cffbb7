"""Consistent online backups and restores of the configured database.

SQLite uses its backup API, which copies a consistent snapshot while the app keeps writing;
PostgreSQL uses ``pg_dump``/``pg_restore`` in the custom format, which dump one transaction-
consistent snapshot.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings

from lowdose.errors import LowdoseError


class BackupError(LowdoseError):
    """A backup or restore that cannot be done as asked."""


def _database() -> dict:
    return settings.DATABASES["default"]


def _is_sqlite() -> bool:
    return _database()["ENGINE"].endswith("sqlite3")


def _pg_url() -> str:
    db = _database()
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def backup(target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` (refusing to overwrite a file)."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.", field="path")
    target.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite():
        source = sqlite3.connect(_database()["NAME"])
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            source.close()
            destination.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", f"--file={target}", _pg_url()])
    return target


def restore(source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file.", field="path")
    if _is_sqlite():
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite integrity check failed).")
            live = sqlite3.connect(_database()["NAME"])
            try:
                backup_db.backup(live)
            finally:
                live.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite backup: {error}.") from None
        finally:
            backup_db.close()
    else:
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_url()}",
                str(source),
            ]
        )


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}")
