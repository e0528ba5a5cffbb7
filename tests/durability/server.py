"""A real lowdose server process on its own data directory (or PostgreSQL database)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SETUP_SCRIPT = """
import datetime as dt, json, sys
from lowdose.web import runner
runner.setup_django(); runner.migrate(quiet=True)
from django.contrib.auth.hashers import make_password
from lowdose.web.accounts.models import Clinic, User
from lowdose.web.courses.models import Patient
clinic = Clinic.objects.create(name="Load clinic", slug="load")
password = make_password(sys.argv[2])
for i in range(int(sys.argv[1])):
    user = User.objects.create(username=f"p{i}", role="patient", clinic=clinic, password=password)
    Patient.objects.create(user=user, clinic=clinic, record_number=f"L-{i}",
                           date_of_birth=dt.date(1990, 1, 1))
"""
PASSWORD = "a long load-test password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Start, kill and restart ``lowdose serve`` with gunicorn, as in production."""

    def __init__(self, data_dir: Path, database_url: str | None, workers: int = 3) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(LOWDOSE_DATA_DIR=str(data_dir), PYTHONWARNINGS="ignore")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def create_patients(self, count: int) -> list[str]:
        subprocess.run(
            [sys.executable, "-c", SETUP_SCRIPT, str(count), PASSWORD], env=self.env, check=True
        )
        return [f"p{i}" for i in range(count)]

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lowdose.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        """SIGKILL the whole process group: no graceful shutdown, no flushing."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def token(self, username: str) -> str:
        body = {"username": username, "password": PASSWORD}
        return post_json(self.url + "/api/auth/token", body, None)[1]["token"]


def post_json(url: str, body: dict, token: str | None, timeout: float = 30):
    """``(status, decoded body)``; raises OSError when no response arrives."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
