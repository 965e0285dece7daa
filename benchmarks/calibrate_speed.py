"""Benchmark: calibrate a process model from a 1,000,000-event log.

The log is the bundled sample repeated as many times as needed, each copy a separate sales
organisation over the same 18 months (its own case ids and its own reps, approvers and
clerks), so the result looks like one large company's export. It is written once as
Parquet; each run reads it and calibrates in a fresh process, so peak memory (max RSS) is
that of one calibration. Prints median seconds (read, calibrate) and peak MB. ``--tune``
calibrates as ``l2c calibrate`` does by default: the structure chosen on a validation split
first (its simulations run in worker processes, whose memory is not in the peak).

    .venv/bin/python benchmarks/calibrate_speed.py [--events 1000000] [--repeats 3] [--tune]

Target (2-core machine): calibration under 60 s and under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from calibration.sample import sample_path

CHILD = """
import json, resource, sys, time
from calibration.read import read_log
from calibration.evaluate.tuning import calibrate_tuned
from calibration.fit.calibrate import CalibrationOptions
began = time.perf_counter()
result = read_log(sys.argv[1])
log = result.require_log()
read = time.perf_counter() - began
began = time.perf_counter()
model = calibrate_tuned(log, sys.argv[1], CalibrationOptions(tune=sys.argv[2] == "tune")).model
fitted = time.perf_counter() - began
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"read": read, "calibrate": fitted, "peak_mb": peak_mb,
                  "events": log.n_events, "cases": log.n_cases,
                  "pools": {n: p.size for n, p in model.pools.items()}}))
"""
NOT_PEOPLE = ("Customer", "System", "Marketing Automation", "Fulfilment")


def build_log(n_events: int) -> pd.DataFrame:
    """Copies of the sample, each with its own case ids and its own people."""
    base = pd.read_csv(sample_path("d365"))
    base["Start Time"] = pd.to_datetime(base["Start Time"])
    base["End Time"] = pd.to_datetime(base["End Time"])
    people = ~base["Owner"].isin(NOT_PEOPLE)
    parts = []
    for k in range(-(-n_events // len(base))):
        part = base.copy()
        part["Opportunity ID"] = part["Opportunity ID"] + f"-{k:03d}"
        part.loc[people, "Owner"] = part.loc[people, "Owner"] + f" ({k})"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).head(n_events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tune", action="store_true",
                        help="Choose the structure on the log first, as 'l2c calibrate' does.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.parquet"
        build_log(args.events).to_parquet(path)
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run([sys.executable, "-c", CHILD, str(path),
                                   "tune" if args.tune else "no-tune"], capture_output=True,
                                  text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{runs[0]['events']:,} events, {runs[0]['cases']:,} cases, pools "
          f"{runs[0]['pools']}")
    for key in ("read", "calibrate"):
        values = [r[key] for r in runs]
        print(f"{key:10} median {statistics.median(values):6.2f} s  (runs "
              f"{', '.join(f'{v:.2f}' for v in values)})")
    print(f"peak memory {max(r['peak_mb'] for r in runs):,.0f} MB")


if __name__ == "__main__":
    main()
