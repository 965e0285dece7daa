"""Child of ``calibrate_speed.py``: read one log and calibrate it (``tune`` or ``no-tune``),
alone in this process, so its peak memory is one calibration's. Prints the seconds of each
step, peak MB, counts and pool sizes as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time

from calibration.evaluate.tuning import calibrate_tuned
from calibration.fit.calibrate import CalibrationOptions
from calibration.read import read_log


def main() -> None:
    path, tune = sys.argv[1], sys.argv[2] == "tune"
    began = time.perf_counter()
    log = read_log(path).require_log()
    read = time.perf_counter() - began
    began = time.perf_counter()
    model = calibrate_tuned(log, path, CalibrationOptions(tune=tune)).model
    fitted = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"read": read, "calibrate": fitted, "peak_mb": peak_mb,
                      "events": log.n_events, "cases": log.n_cases,
                      "pools": {n: p.size for n, p in model.pools.items()}}))


if __name__ == "__main__":
    main()
