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
import tempfile
from pathlib import Path

from harness import median_line, run_child, sample_copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tune", action="store_true",
                        help="Choose the structure on the log first, as 'l2c calibrate' does.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.parquet"
        sample_copies(args.events, own_people=True).to_parquet(path)
        runs = [run_child("calibrate_log", path, "tune" if args.tune else "no-tune")
                for _ in range(args.repeats)]
    print(f"{runs[0]['events']:,} events, {runs[0]['cases']:,} cases, pools "
          f"{runs[0]['pools']}")
    for key in ("read", "calibrate"):
        print(f"{key:10} {median_line((r[key] for r in runs), digits=2)}")
    print(f"peak memory {max(r['peak_mb'] for r in runs):,.0f} MB")


if __name__ == "__main__":
    main()
