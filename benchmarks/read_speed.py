"""Benchmark: read + validate a 1,000,000-event log from CSV and from Parquet.

Builds the log by repeating the bundled sample with fresh case ids (so it has realistic
columns, timestamps and attributes), writes it once as CSV and Parquet into a scratch
folder, then reads each file several times, every time in a fresh process so peak memory
(max RSS) is that of the read alone. Prints the median seconds and peak MB.

    .venv/bin/python benchmarks/read_speed.py [--events 1000000] [--repeats 3]

Target (2-core machine): CSV under 15 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import pandas as pd
from harness import run_child, sample_copies


def measure(path: Path, repeats: int) -> dict[str, float]:
    runs = [run_child("read_log", path) for _ in range(repeats)]
    return {"median_seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "events": runs[0]["events"],
            "cases": runs[0]["cases"], "runs": [round(r["seconds"], 2) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    log = sample_copies(args.events, as_text=True)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "log.csv"
        parquet_path = Path(folder) / "log.parquet"
        log.to_csv(csv_path, index=False)
        for column in ("Start Time", "End Time"):
            log[column] = pd.to_datetime(log[column])
        log.to_parquet(parquet_path)
        print(f"{args.events:,} events, CSV {csv_path.stat().st_size / 2**20:.0f} MB, "
              f"Parquet {parquet_path.stat().st_size / 2**20:.0f} MB")
        for name, path in (("CSV", csv_path), ("Parquet", parquet_path)):
            figures = measure(path, args.repeats)
            print(f"{name:8} median {figures['median_seconds']:.2f} s "
                  f"(runs {figures['runs']}), peak {figures['peak_mb']:.0f} MB, "
                  f"{figures['events']:,} events, {figures['cases']:,} cases")


if __name__ == "__main__":
    main()
