"""Starting Django from the command line: setup, migrations, the server, management commands."""

from __future__ import annotations

import ipaddress
import os
import sys

from lowdose.errors import LowdoseError

#: Access log lines carry the path but never the query string: searches hold patient names.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lowdose.web.settings")
    import django

    django.setup()


def migrate(*, quiet: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


def manage(args: list[str]) -> None:
    """Run ``django-admin ARGS`` with lowdose's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lowdose.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lowdose manage", *args])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind_address(host: str) -> None:
    """Plain HTTP only on loopback: health data never crosses a network unencrypted."""
    if _is_loopback(host) or os.environ.get("LOWDOSE_PUBLIC_URL", "").startswith("https://"):
        return
    raise LowdoseError(
        f"Refusing to serve plain HTTP on {host}: health data must not cross a network "
        "unencrypted. Put lowdose behind a TLS proxy and set LOWDOSE_PUBLIC_URL=https://…, "
        "or listen on 127.0.0.1.",
        field="host",
    )


def serve(*, host: str, port: int, dev: bool, workers: int) -> None:
    """Migrate, then run gunicorn (or Django's development server with ``dev``)."""
    check_bind_address(host)
    if dev:
        os.environ["LOWDOSE_DEBUG"] = "1"
    setup_django()
    migrate(quiet=True)
    if dev:
        manage(["runserver", f"{host}:{port}"])
        return
    sys.stdout.write(f"lowdose is running at http://{host}:{port}/ (Ctrl+C to stop)\n")
    sys.stdout.flush()
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lowdose.web.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--graceful-timeout",
            "10",
            "--timeout",
            "60",
        ],
    )
