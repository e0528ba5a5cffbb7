"""No acknowledged check-in is lost or duplicated, even when the server is SIGKILLed mid-way.

Twenty clients write at once (one patient each, 25 days each: 500 check-ins, every request with
a client id). After about 200 acknowledgements the whole server is killed with SIGKILL, then
restarted; the clients resend what was not acknowledged with the same client ids. Every
acknowledged check-in must be stored exactly once with the values sent, retries must not
duplicate, and no client may ever see a server error (such as "database is locked").
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.durability.server import Server, post_json

pytestmark = pytest.mark.slow

CLIENTS = 20
DAYS_EACH = 25
KILL_AFTER = 200


def _jobs(patients: list[str], today: dt.date) -> dict[str, list[dict]]:
    return {
        patient: [
            {
                "date": (today - dt.timedelta(days=day)).isoformat(),
                "dose_taken": True,
                "ratings": {"pain": (index + day) % 11, "fatigue": day % 11},
                "client_id": str(uuid.uuid4()),
            }
            for day in range(1, DAYS_EACH + 1)
        ]
        for index, patient in enumerate(patients)
    }


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict] = {}
        self.unanswered: list[tuple[str, dict]] = []
        self.server_errors: list[tuple[int, dict]] = []
        self.enough = threading.Event()

    def send(self, url: str, token: str, patient: str, body: dict) -> None:
        try:
            status, answer = post_json(url, body, token, timeout=20)
        except OSError:
            with self.lock:
                self.unanswered.append((patient, body))
            return
        with self.lock:
            if status in (200, 201):
                self.acknowledged[body["client_id"]] = {"patient": patient, **body}
                if len(self.acknowledged) >= KILL_AFTER:
                    self.enough.set()
            else:
                self.server_errors.append((status, answer))


def _stored(server: Server, database_url: str | None) -> list[tuple]:
    query = (
        "SELECT u.username, c.date, c.pain, c.fatigue, c.client_id FROM diary_checkin c "
        "JOIN courses_patient p ON p.id = c.patient_id JOIN accounts_user u ON u.id = p.user_id"
    )
    if database_url is None:
        with sqlite3.connect(server.env["LOWDOSE_DATA_DIR"] + "/lowdose.sqlite3") as db:
            rows = db.execute(query).fetchall()
        return [(u, d, p, f, str(uuid.UUID(c))) for u, d, p, f, c in rows]
    import psycopg

    with psycopg.connect(database_url) as db:
        rows = db.execute(query).fetchall()
    return [(u, d.isoformat(), p, f, str(c)) for u, d, p, f, c in rows]


def test_acknowledged_check_ins_survive_sigkill_exactly_once(tmp_path, database_url):
    server = Server(tmp_path, database_url)
    patients = server.create_patients(CLIENTS)
    server.start()
    try:
        tokens = {patient: server.token(patient) for patient in patients}
        jobs = _jobs(patients, dt.datetime.now(dt.UTC).date())
        ledger = Ledger()
        url = server.url + "/api/checkins"

        def client(patient: str) -> None:
            for body in jobs[patient]:
                ledger.send(url, tokens[patient], patient, body)

        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(client, patient) for patient in patients]
            assert ledger.enough.wait(timeout=120), "too few check-ins were acknowledged"
            server.kill()
            for future in futures:
                future.result()
        acknowledged_before_kill = len(ledger.acknowledged)
        retries = list(ledger.unanswered)
        ledger.unanswered.clear()

        server.start()
        for patient, body in retries:
            ledger.send(url, tokens[patient], patient, body)
        assert ledger.unanswered == []
        assert ledger.server_errors == []

        rows = _stored(server, database_url)
        sent = CLIENTS * DAYS_EACH
        print(
            f"\nsent {sent}, acknowledged before the kill {acknowledged_before_kill}, "
            f"resent {len(retries)}, stored {len(rows)}"
        )
        assert len(rows) == sent
        assert len({(r[0], r[1]) for r in rows}) == sent  # one per patient per day
        by_client_id = {r[4]: r for r in rows}
        for client_id, body in ledger.acknowledged.items():
            username, day, pain, fatigue, _ = by_client_id[client_id]
            assert (username, day) == (body["patient"], body["date"])
            assert (pain, fatigue) == (body["ratings"]["pain"], body["ratings"]["fatigue"])
    finally:
        server.stop()
