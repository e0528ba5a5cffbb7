"""Benchmark of the per-patient evaluation. Prints numbers; never part of the test suite.

1. One patient-year (60 baseline + 305 maintenance days, ~10% missing), all methods (model,
   trend variant, carry-over sensitivity, baseline-trend check, NAP, probabilities, caveats,
   text): median time for one outcome and for all six daily ratings. Target ≤ 20 ms.
2. A batch of patient-years through ``lowdose analyze FILE.csv --json`` with a ``patient``
   column (CSV parsing, JSON output and worker processes included). Target: 10,000 in ≤ 60 s on
   2 cores.
3. When R with nlme is installed: the time of our AR(1) REML fit against ``nlme::gls`` on the
   same series, as a ratio.

Usage: python bench/bench_analysis.py [--batch 10000] [--workers 2] [--repeats 50]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from lowdose.analysis import evaluate_series, fit_ar1, make_series
from lowdose.analysis.simulate import ar1_noise
from lowdose.ratings import RATING_NAMES

START = dt.date(2025, 1, 1)
N_BASE, N_DAYS = 60, 365


def patient_year(rng: np.random.Generator) -> tuple[list[dt.date], list[str], dict[str, list]]:
    dates = [START + dt.timedelta(days=i) for i in range(N_DAYS)]
    phases = ["baseline"] * N_BASE + ["maintenance"] * (N_DAYS - N_BASE)
    values = {}
    for name in RATING_NAMES:
        y = 5.5 - 1.0 * (np.arange(N_DAYS) >= N_BASE) + 1.2 * ar1_noise(rng, N_DAYS, 0.5)
        y = np.clip(np.rint(y), 0, 10)
        values[name] = [None if rng.random() < 0.1 else float(v) for v in y]
    return dates, phases, values


def time_one_patient_year(repeats: int) -> tuple[float, float]:
    rng = np.random.default_rng(1)
    dates, phases, values = patient_year(rng)
    one = make_series(dates, phases, {"pain": values["pain"]})
    six = make_series(dates, phases, values)
    evaluate_series(one)  # warm-up (imports, caches)
    timings = {}
    for label, series in (("one", one), ("six", six)):
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            evaluate_series(series)
            runs.append(time.perf_counter() - started)
        timings[label] = statistics.median(runs) * 1000
    return timings["one"], timings["six"]


def write_batch_csv(path: Path, n_patients: int) -> None:
    rng = np.random.default_rng(2)
    days = [(START + dt.timedelta(days=i)).isoformat() for i in range(N_DAYS)]
    phases = ["baseline"] * N_BASE + ["maintenance"] * (N_DAYS - N_BASE)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "date", "phase", "pain"])
        for p in range(n_patients):
            y = 5.5 - rng.uniform(0, 2) * (np.arange(N_DAYS) >= N_BASE)
            y = np.clip(np.rint(y + 1.2 * ar1_noise(rng, N_DAYS, rng.uniform(0, 0.7))), 0, 10)
            miss = rng.random(N_DAYS) < 0.1
            cells = ["" if m else str(int(v)) for v, m in zip(y, miss, strict=True)]
            writer.writerows(zip([f"p{p}"] * N_DAYS, days, phases, cells, strict=True))


def time_batch(n_patients: int, workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinic.csv"
        write_batch_csv(path, n_patients)
        command = [sys.executable, "-m", "lowdose.cli", "analyze", str(path), "--outcome", "pain"]
        command += ["--json", "--workers", str(workers)]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started


R_TIMING = """
library(nlme)
d <- read.csv(commandArgs(TRUE)[1])
fit <- function() gls(y ~ trt, data = d, correlation = corAR1(form = ~ day), method = "REML")
invisible(fit())
times <- replicate(REPEATS, system.time(fit())[["elapsed"]])
cat(median(times) * 1000, "\\n")
"""


def time_against_nlme(repeats: int) -> tuple[float, float] | None:
    """(ours, nlme) median milliseconds for one AR(1) REML fit of a patient-year, or None."""
    if shutil.which("Rscript") is None:
        return None
    rng = np.random.default_rng(3)
    _, _, values = patient_year(rng)
    y = np.array([np.nan if v is None else v for v in values["pain"]])
    keep = ~np.isnan(y)
    day = np.arange(N_DAYS)[keep]
    trt = (day >= N_BASE).astype(float)
    x = np.column_stack([np.ones(len(day)), trt])
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fit_ar1(day, x, y[keep])
        runs.append(time.perf_counter() - started)
    ours = statistics.median(runs) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        data, script = Path(tmp) / "series.csv", Path(tmp) / "timing.R"
        np.savetxt(
            data,
            np.column_stack([day, trt, y[keep]]),
            delimiter=",",
            header="day,trt,y",
            comments="",
        )
        script.write_text(R_TIMING.replace("REPEATS", str(repeats)))
        out = subprocess.run(["Rscript", str(script), str(data)], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return ours, float(out.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=10_000, help="patient-years in the batch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    print(f"cores available: {os.cpu_count()}, batch workers: {args.workers}")
    one, six = time_one_patient_year(args.repeats)
    print(f"one patient-year, all methods, one outcome:  median {one:.1f} ms (target ≤ 20 ms)")
    print(f"one patient-year, all methods, six outcomes: median {six:.1f} ms")
    nlme = time_against_nlme(args.repeats)
    if nlme is None:
        print("R with nlme not found: no comparison with nlme::gls")
    else:
        ours, theirs = nlme
        print(
            f"AR(1) REML fit of a patient-year: ours {ours:.2f} ms, nlme::gls {theirs:.1f} ms, "
            f"ratio ours/nlme = {ours / theirs:.3f}"
        )
    seconds = time_batch(args.batch, args.workers)
    print(
        f"batch of {args.batch} patient-years through 'lowdose analyze --json': {seconds:.1f} s "
        f"(target ≤ 60 s for 10,000 on 2 cores)"
    )


if __name__ == "__main__":
    main()
