"""Child of ``sim_speed.py``: CASES cases of the sample's true process scaled SCALE times
(``tests/engine_models.l2c_model``), alone in this process so its peak memory is the run's.
Prints seconds, peak MB, events, cases and cases left open as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time

from sim.engine import simulate
from tests.engine_models import l2c_model


def main() -> None:
    cases, scale = int(sys.argv[1]), int(sys.argv[2])
    model = l2c_model(scale=scale)
    began = time.perf_counter()
    result = simulate(model, cases=cases, seed=1)
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "events": result.log.n_events,
                      "cases": result.run.cases, "open": len(result.open_cases)}))


if __name__ == "__main__":
    main()
