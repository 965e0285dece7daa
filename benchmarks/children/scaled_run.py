"""Child of ``scaling.py``: one replication of CASES cases of the model at SCALE times its
volume (SCALE times the leads and every pool), the log kept in memory (SINK ``-``) or
streamed to the folder SINK. Timed from loading the model to having the log; prints
seconds, peak MB and the log's counts as JSON."""

from __future__ import annotations

import json
import sys
import time

from harness import own_peak_mb

from scenarios import apply_scenario, parse_scenario
from sim.engine import simulate
from sim.model import ProcessModel


def main() -> None:
    model_path, cases, scale, sink = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    began = time.perf_counter()
    model = ProcessModel.load(model_path)
    more = f"name: {scale}x volume\nchanges:\n  - volume: {{scale: {scale}}}\n"
    model, _ = apply_scenario(model, parse_scenario(more, "scaling"))  # leads, however they come
    pools = {name: pool.model_copy(update={"size": pool.size * scale, "members": ()})
             for name, pool in model.pools.items()}
    model = model.model_copy(update={"pools": pools})
    result = simulate(model, cases=cases, seed=1, sink=None if sink == "-" else sink)
    seconds = time.perf_counter() - began
    peak = own_peak_mb()
    run = result.run
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "events": run.events,
                      "cases": run.cases, "open": run.open_cases,
                      "simulated_until": run.horizon}))


if __name__ == "__main__":
    main()
