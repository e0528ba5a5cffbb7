"""Make sure a PostgreSQL server answers on 127.0.0.1:5432 and print a URL for the tests.

Uses the server that already runs (CI may have one with trust auth); otherwise starts Debian's
cluster, installing the package first when it is missing. When the server asks for a password,
the postgres role gets a test-only one. The database ``lowdose`` is created when missing; the
tests themselves run in Django's separate ``test_lowdose`` database.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time

import psycopg

HOST, PORT = "127.0.0.1", 5432
TEST_PASSWORD = "lowdose-test-only"
DATABASE = "lowdose"


def url(password: str | None = None, database: str = DATABASE) -> str:
    auth = f"postgres:{password}" if password else "postgres"
    return f"postgresql://{auth}@{HOST}:{PORT}/{database}"


def answers(target: str) -> str | None:
    """None when a connection works, else the error text."""
    try:
        psycopg.connect(target, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        return str(error)
    return None


def run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def start_server() -> None:
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        say("Installing Debian's PostgreSQL server ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    if not versions:
        version = os.path.basename(sorted(glob.glob("/usr/lib/postgresql/*"))[-1])
        run("pg_createcluster", version, "main")
        versions = [version]
    say(f"Starting PostgreSQL {versions[-1]} ...")
    run("pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start")


def set_test_password() -> None:
    runuser = shutil.which("runuser") or "runuser"
    run(
        runuser,
        "-u",
        "postgres",
        "--",
        "psql",
        "-q",
        "-c",
        f"ALTER USER postgres PASSWORD '{TEST_PASSWORD}'",
    )


def wait_for_server() -> str:
    """The URL that works, once the server answers (trust auth first, then the test password)."""
    deadline = time.monotonic() + 60
    while True:
        error = answers(url(database="postgres"))
        if error is None:
            return url()
        if "password" in error:
            if answers(url(TEST_PASSWORD, "postgres")) is not None:
                set_test_password()
            return url(TEST_PASSWORD)
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL did not answer on {HOST}:{PORT}: {error}")
        time.sleep(0.5)


def ensure_database(target: str) -> None:
    admin = target.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def say(message: str) -> None:
    print(message, file=sys.stderr)


def main() -> None:
    error = answers(url(database="postgres"))
    if error is not None and "password" not in error:  # no server answers: start one
        start_server()
    target = wait_for_server()
    ensure_database(target)
    print(target)


if __name__ == "__main__":
    main()
