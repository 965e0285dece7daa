"""Benchmark: the whole scenario library against the bundled sample.

Calibrates the sample, then runs the baseline and the 8 library scenarios with 20
replications each over the sample's own period (common random numbers), in a fresh process
so its peak memory (max RSS) is that of one study. Prints wall time and peak memory; the median
of ``--repeats`` runs.

    .venv/bin/python benchmarks/library_speed.py [--reps 20] [--repeats 3]

Target (2-core machine): under 60 s, so the app answers while the user waits.
"""

from __future__ import annotations

import argparse

from harness import median_line, run_child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = [run_child("library_study", args.reps) for _ in range(args.repeats)]
    print(f"{runs[0]['members']} models x {runs[0]['reps']} replications: "
          f"{median_line(r['seconds'] for r in runs)}")
    print(f"peak memory of the main process: {max(r['peak_mb'] for r in runs):,.0f} MB "
          "(each of the worker processes simulates one replication at a time)")


if __name__ == "__main__":
    main()
