"""Server time of the clinician's dashboard and patient chart on a large clinic.

Load the clinic first (SQLite in LOWDOSE_DATA_DIR, or PostgreSQL with DATABASE_URL):

    lowdose demo --patients 5000 --days 365
    lowdose manage raise_alerts && lowdose manage refresh_estimates
    python bench/bench_dashboard.py --repeats 30

Prints median and 95th percentile of the server time (Django's test client, in process, so no
network) and the number of database queries for each page. Targets: dashboard p95 ≤ 200 ms with
a query count that does not grow with the clinic; patient chart ≤ 250 ms; PDF report ≤ 2 s.

The planner works from table statistics: ``lowdose demo`` runs ANALYZE after loading, but the
estimates and alerts come later, so on a server with autovacuum off (as in CI) run ``VACUUM
ANALYZE`` after them to measure what a running installation would see, and say which it was.
Note the load average (``uptime``) with the numbers: other work on the machine moves them by
tens of milliseconds. The "every panel" chart is the patient with the most stand tests and
questionnaires: the chart's target holds for every patient, not only a short course.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    from lowdose.web import runner

    runner.setup_django()
    runner.migrate(quiet=True)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import lowdose.web.wsgi  # noqa: F401  the server's process settings (garbage collection)
    from lowdose.web.accounts.models import User
    from lowdose.web.courses.models import Patient

    clinician = User.objects.get(username="demo.clinician")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(clinician)
    patients = Patient.objects.filter(clinic=clinician.clinic).count()
    first = Patient.objects.filter(clinic=clinician.clinic).order_by("record_number").first()
    busiest = _busiest_patient(clinician.clinic)
    pages = {
        "dashboard, by name": "/dashboard/",
        "dashboard, by last check-in": "/dashboard/?sort=last&dir=desc",
        "dashboard, alerts only": "/dashboard/?alerts=1&sort=alerts&dir=desc",
        "dashboard, POTS, maintenance, p3": "/dashboard/?condition=pots&phase=maintenance&page=3",
        "dashboard, search": "/dashboard/?q=ali",
        "dashboard, by main outcome effect": "/dashboard/?sort=effect",
        "dashboard, moderate responders": "/dashboard/?responder=moderate",
        "patient chart (SVG)": f"/patients/{first.pk}/chart.svg",
        "patient chart, every panel (SVG)": f"/patients/{busiest.pk}/chart.svg",
        "patient page": f"/patients/{first.pk}/",
        "course report (PDF)": f"/patients/{first.pk}/report.pdf",
    }
    print(f"{connection.vendor}, {patients} patients in the clinic, {args.repeats} requests each")
    print(
        f"  busiest chart: patient {busiest.record_number}, {busiest.stand} stand tests, "
        f"{busiest.answers} questionnaires"
    )
    for label, url in pages.items():
        client.get(url)  # warm-up: template compilation and first-use caches are not measured
        times = []
        for _ in range(args.repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"  {label:<42} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"{len(queries)} queries"
        )


def _busiest_patient(clinic):
    """The patient whose chart has the most to draw: stand tests, questionnaires, side effects.

    The first patient by record number may have a short course and no POTS; the chart's target
    holds for every patient, so the bench also times the one with every panel full.
    """
    from django.db.models import Count

    from lowdose.web.courses.models import Patient

    return (
        Patient.objects.filter(clinic=clinic)
        .annotate(
            stand=Count("stand_tests", distinct=True),
            answers=Count("questionnaires", distinct=True),
        )
        .order_by("-stand", "-answers", "record_number")
        .first()
    )


if __name__ == "__main__":
    main()
