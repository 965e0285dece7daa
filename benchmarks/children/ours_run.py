"""Child of ``speed.py``: our engine on one model file, CASES cases with SEED, timed from
loading the model to having the log. With a SUMMARY path other than ``-``, each case's cycle
hours and last task (among TASKS, a JSON list; empty: every activity) are written there for
the agreement checks. Prints seconds, peak MB, events, cases and cases left open as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from harness import own_peak_mb

from sim.engine import simulate
from sim.model import ProcessModel


def main() -> None:
    model_path, cases, seed, summary = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    tasks = set(json.loads(sys.argv[5]))
    began = time.perf_counter()
    model = ProcessModel.load(model_path)
    result = simulate(model, cases=cases, seed=seed)
    seconds = time.perf_counter() - began
    peak = own_peak_mb()
    events = result.log.events
    if tasks:
        events = events[events["activity"].isin(tasks)]
    if summary != "-":
        # the log is sorted by case, start, end: a case's last row is its last task (an end
        # rounded to the same second as the task before it must not make that one the last)
        last = events.drop_duplicates("case_id", keep="last").set_index("case_id")
        first = events.groupby("case_id")["start_time"].min()
        hours = (last["end_time"] - first.reindex(last.index)).dt.total_seconds() / 3600
        with Path(summary).open("w", encoding="utf-8") as out:
            out.write("case,cycle_hours,last_task\n")
            for case, h, name in zip(last.index, hours, last["activity"], strict=True):
                out.write(f"{case},{h!r},{name}\n")
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "events": len(events),
                      "cases": result.run.cases, "open": len(result.open_cases)}))


if __name__ == "__main__":
    main()
