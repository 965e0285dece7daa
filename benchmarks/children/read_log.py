"""Child of ``read_speed.py``: read and validate one log file, alone in this process, so
its peak memory is the read's. Prints seconds, peak MB and counts as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time

from calibration.read import read_log


def main() -> None:
    began = time.perf_counter()
    result = read_log(sys.argv[1])
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log = result.require_log()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "events": log.n_events,
                      "cases": log.n_cases, "errors": len(result.report.errors)}))


if __name__ == "__main__":
    main()
