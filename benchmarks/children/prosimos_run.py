"""Child of ``speed.py``, run by the Python of Prosimos's own environment: Prosimos on the
reference model, CASES cases with SEED from BEGIN, timed to its CSV log written (its only
way to give a log). With a SUMMARY path other than ``-``, each case's cycle hours and last
task are written there for the agreement checks. Prints seconds, peak MB, events and cases
as JSON."""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
from harness import own_peak_mb
from prosimos.simulation_engine import run_simulation


def main() -> None:
    bpmn, params, cases, seed, summary, begin = sys.argv[1:7]
    random.seed(int(seed))  # Prosimos draws from the global generators: seeded for a repeat
    np.random.seed(int(seed))
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.csv"
        began = time.perf_counter()
        run_simulation(bpmn, params, int(cases), log_out_path=str(log), starting_at=begin)
        seconds = time.perf_counter() - began
        peak = own_peak_mb()
        first: dict[str, datetime] = {}
        last: dict[str, tuple[datetime, str]] = {}
        events = 0
        with log.open(newline="", encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                events += 1
                case = row["case_id"]
                s = datetime.fromisoformat(row["start_time"])
                e = datetime.fromisoformat(row["end_time"])
                if case not in first or s < first[case]:
                    first[case] = s
                if case not in last or e >= last[case][0]:
                    last[case] = (e, row["activity"])
    if summary != "-":
        with Path(summary).open("w", encoding="utf-8") as out:
            out.write("case,cycle_hours,last_task\n")
            for case, (e, name) in last.items():
                out.write(f"{case},{(e - first[case]).total_seconds() / 3600!r},{name}\n")
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "events": events,
                      "cases": len(first)}))


if __name__ == "__main__":
    main()
