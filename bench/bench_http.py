"""What a clinician waits for: the patient chart and report through the real server (gunicorn).

bench_dashboard.py times Django's handler in process; this starts ``lowdose serve`` with one
worker on the same data, logs in as the demo clinician and times each request from sending it to
the last byte of the answer, over loopback: the server's process settings (wsgi.py), gunicorn
and the socket included. Requests go one after another, so work the worker does after one
answer (a garbage collection, say) delays the next. Load the clinic first as bench_dashboard.py
says, then:

    python bench/bench_http.py --repeats 60
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    pages = _pages()
    server = subprocess.Popen(
        [_lowdose(), "serve", "--port", str(args.port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(args.port)
        cookies = _log_in(args.port, "demo.clinician", "ldn-demo-clinician")
        print(f"gunicorn, one worker, {args.repeats} requests each, time to the last byte")
        for label, url in pages.items():
            _get(args.port, url, cookies)  # warm-up
            times = sorted(_get(args.port, url, cookies) for _ in range(args.repeats))
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            print(f"  {label:<34} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _lowdose() -> str:
    """The ``lowdose`` command beside this Python (the virtualenv's), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "lowdose")
    return beside if os.path.exists(beside) else shutil.which("lowdose") or "lowdose"


def _pages() -> dict[str, str]:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_dashboard import _busiest_patient

    from lowdose.web import runner

    runner.setup_django()
    from lowdose.web.accounts.models import User
    from lowdose.web.courses.models import Patient

    clinic = User.objects.get(username="demo.clinician").clinic
    first = Patient.objects.filter(clinic=clinic).order_by("record_number").first()
    busiest = _busiest_patient(clinic)
    return {
        "dashboard, by name": "/dashboard/",
        "patient chart (SVG)": f"/patients/{first.pk}/chart.svg",
        "patient chart, every panel (SVG)": f"/patients/{busiest.pk}/chart.svg",
        "course report (PDF)": f"/patients/{first.pk}/report.pdf",
    }


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer on port {port}")


def _request(port: int, method: str, url: str, cookies: dict, body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, url, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    for header in response.headers.get_all("Set-Cookie") or ():
        cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    connection.close()
    return response.status, content


def _log_in(port: int, username: str, password: str) -> dict:
    cookies: dict = {}
    _, page = _request(port, "GET", "/login/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    status, _ = _request(port, "POST", "/login/", cookies, urllib.parse.urlencode(form))
    if status != 302:
        raise SystemExit(f"log-in failed with {status}")
    return cookies


def _get(port: int, url: str, cookies: dict) -> float:
    started = time.perf_counter()
    status, _ = _request(port, "GET", url, cookies)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    return elapsed


if __name__ == "__main__":
    main()
