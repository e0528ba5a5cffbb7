"""`lowdose serve`: production server, plain HTTP on loopback only."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from typer.testing import CliRunner

from lowdose.cli.main import app


def test_plain_http_on_a_network_address_is_refused(monkeypatch):
    monkeypatch.delenv("LOWDOSE_PUBLIC_URL", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "Refusing to serve plain HTTP on 0.0.0.0" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_production_server_starts_and_serves_the_log_in_page(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LOWDOSE_DATA_DIR=str(tmp_path), PYTHONWARNINGS="ignore")
    server = subprocess.Popen(
        [sys.executable, "-m", "lowdose.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/login/")
        assert "Log in" in page
        assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "lowdose.sqlite3").exists()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "gunicorn" in output.lower()


def _wait_for(url: str) -> str:
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def test_access_log_lines_leave_out_query_strings():
    from lowdose.web.runner import ACCESS_LOG_FORMAT

    assert "%(U)s" in ACCESS_LOG_FORMAT  # the path alone
    assert "%(r)s" not in ACCESS_LOG_FORMAT  # the request line would include ?q=<a name>
    assert "%(q)s" not in ACCESS_LOG_FORMAT
