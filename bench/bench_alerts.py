"""Counting open clinician alerts across a large clinic. Prints numbers; never part of the tests.

Load a clinic and raise its alerts first (SQLite in LOWDOSE_DATA_DIR, or PostgreSQL with
DATABASE_URL):

    lowdose demo --patients 5000 --days 365
    lowdose manage raise_alerts
    python bench/bench_alerts.py --repeats 30

Prints the median and 95th percentile time, and the query count, of (1) the open-alert count of
every patient of the clinic and (2) one page of 50 patients annotated with their open alerts.
Both must stay one query however large the clinic is.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _measure(label: str, work, repeats: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    work()  # warm-up
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"  {label:<40} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    from lowdose.web import runner

    runner.setup_django()
    runner.migrate(quiet=True)
    from django.db import connection

    from lowdose.web.accounts.models import User
    from lowdose.web.courses.models import Patient
    from lowdose.web.outcomes.models import Alert, open_alert_count

    clinic = User.objects.get(username="demo.clinician").clinic
    patients = Patient.objects.filter(clinic=clinic).count()
    alerts = Alert.objects.open().filter(patient__clinic=clinic).count()
    print(f"{connection.vendor}, {patients} patients, {alerts} open alerts, {args.repeats} runs")
    _measure(
        "open alerts of every patient", lambda: Alert.objects.open_counts(clinic), args.repeats
    )
    page = (
        Patient.objects.filter(clinic=clinic)
        .annotate(open_alerts=open_alert_count())
        .order_by("-open_alerts", "record_number")
    )
    _measure("page of 50, most alerts first", lambda: list(page[:50]), args.repeats)


if __name__ == "__main__":
    main()
