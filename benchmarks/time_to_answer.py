"""Benchmark: the time from a question to an answer, as a process owner waits for it.

Four questions on the bundled sample, each with the planner's default settings, each in a
fresh process (worker start-up included, as on the command line) with an empty cache of
simulated replications, so nothing computed by an earlier question or repeat is reused:

- one library scenario (quote approval 50% faster) against the baseline, with the check of
  the simulated baseline against the history;
- the whole scenario library against the baseline;
- Targets: what gets the median sales cycle 25% shorter (the sensitivity table and the
  cheapest combination);
- the holdout test (learn from the earlier 70% of cases, predict the rest).

The model is calibrated from the sample once (by each version timed), before any timing,
and read from its JSON file by every question (as the app and ``l2c compare model.json``
do). Prints the median of ``--repeats`` runs per question, and the median CPU seconds of the
question's process and its workers (reading the sample and the model included): on a
shared machine the seconds waited grow with the load, the CPU seconds much less.

    .venv/bin/python benchmarks/time_to_answer.py [--repeats 3] [--only scenario,library]
        [--against /path/to/an/earlier/checkout]

Target (2-core machine): one scenario under 5 s, the library under 15 s, Targets and the
holdout test under 20 s each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness import ROOT, median_line, run_child

QUESTIONS = {
    "scenario": "one library scenario vs baseline",
    "library": "the scenario library (8) vs baseline",
    "targets": "Targets: sales cycle -25%",
    "holdout": "holdout test (70/30)",
}
SCENARIO = "quote_approval_faster.yaml"


def ask(root: Path, child: str, *args: str, cache: Path) -> dict[str, Any]:
    """A child on the planner of the checkout ``root``, with its own replication cache; a
    failure ends the benchmark with the child's error. ``cpu``: the CPU seconds of the child
    and of the workers it started and ended."""
    before = _children_cpu()
    try:
        found = run_child(child, *args, root=root, env={"L2C_CACHE_DIR": str(cache)})
    except RuntimeError as failed:
        sys.exit(str(failed))
    return {**found, "cpu": _children_cpu() - before}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default=",".join(QUESTIONS),
                        help="comma-separated questions: " + ", ".join(QUESTIONS))
    parser.add_argument("--against", type=Path, default=None,
                        help="a checkout of an earlier version: each repeat times it and then "
                             "this one, so both meet the same load on a shared machine")
    args = parser.parse_args()
    asked = [q.strip() for q in args.only.split(",") if q.strip()]
    unknown = [q for q in asked if q not in QUESTIONS]
    if unknown:
        parser.error(f"unknown question(s) {unknown}; choose from {list(QUESTIONS)}")
    versions = {"": ROOT} if args.against is None else {"earlier ": args.against.resolve(),
                                                         "this ": ROOT}
    with tempfile.TemporaryDirectory() as folder:
        models = {}  # each version reads the model its own calibration writes
        for version, root in versions.items():
            models[version] = str(Path(folder) / f"model-{version.strip() or 'this'}.json")
            ask(root, "calibrate_sample", models[version], cache=Path(folder) / "unused")
        for question in asked:
            runs: dict[str, list[dict[str, Any]]] = {v: [] for v in versions}
            for repeat in range(args.repeats):
                for version, root in versions.items():
                    cache = Path(folder) / f"cache-{version}{question}-{repeat}"
                    runs[version].append(ask(root, "answer", question, models[version],
                                             SCENARIO, cache=cache))
            for version, found in runs.items():
                detail = ", ".join(f"{k} {v}" for k, v in found[0].items()
                                   if k not in ("seconds", "cpu"))
                cpu = statistics.median(float(r["cpu"]) for r in found)
                load = (f"; {detail}; CPU {cpu:.1f} s; load average "
                        f"{os.getloadavg()[0]:.1f}")
                print(f"{version}{QUESTIONS[question]}: "
                      f"{median_line((float(r['seconds']) for r in found), more=load)}",
                      flush=True)


if __name__ == "__main__":
    main()
