"""Benchmark: simulate 10,000 and 100,000 lead-to-cash cases with the SimPy engine.

The model mirrors the bundled sample's true process (``tests/engine_models.l2c_model``),
scaled 50 times (50x the leads, reps, approvers and billing clerks) so that 100,000 cases
arrive within about a year and queues stay as in the sample. Each run is a fresh process,
so the peak memory (max RSS) is that of the run alone; the 10k size runs three times and
reports the median.

    .venv/bin/python benchmarks/sim_speed.py [--sizes 10000 100000] [--repeats 3]

Target (2-core machine): 100,000 cases in under 20 s.
"""

from __future__ import annotations

import argparse
import statistics

from harness import run_child

SCALE = 50


def measure(cases: int, repeats: int) -> dict[str, object]:
    runs = [run_child("simulate_l2c", cases, SCALE) for _ in range(repeats)]
    seconds = statistics.median(r["seconds"] for r in runs)
    return {"cases": cases, "median_seconds": seconds, "events": runs[0]["events"],
            "events_per_second": runs[0]["events"] / seconds,
            "peak_mb": max(r["peak_mb"] for r in runs), "open": runs[0]["open"],
            "runs": [round(r["seconds"], 2) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of the smallest size (larger sizes run once)")
    args = parser.parse_args()
    smallest = min(args.sizes)
    for cases in args.sizes:
        figures = measure(cases, args.repeats if cases == smallest else 1)
        print(f"{figures['cases']:>9,} cases: {figures['events']:>9,} events in "
              f"{figures['median_seconds']:6.2f} s (median of {figures['runs']}) = "
              f"{figures['events_per_second']:>9,.0f} events/s, peak {figures['peak_mb']:.0f} MB, "
              f"{figures['open']} open")


if __name__ == "__main__":
    main()
