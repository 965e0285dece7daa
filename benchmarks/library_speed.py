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
import json
import statistics
import subprocess
import sys

CHILD = """
import json, resource, sys, time
from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.sample import sample_path
from scenarios import library
from scenarios.comparison import Baseline, run_comparison
from sim.model import ProcessModel
result = read_log(sample_path("d365"))
log = result.require_log()
model = ProcessModel.from_json(calibrate(log, result.path).model.to_json())
began = time.perf_counter()
comparison = run_comparison(Baseline(model, log), library(), replications=int(sys.argv[1]))
seconds = time.perf_counter() - began
study = comparison.study
print(json.dumps({"seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "members": len(study.names), "reps": study.replications}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeats):
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.reps)], check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seconds = [r["seconds"] for r in runs]
    print(f"{runs[0]['members']} models x {runs[0]['reps']} replications: median "
          f"{statistics.median(seconds):.1f} s (runs {', '.join(f'{s:.1f}' for s in seconds)})")
    print(f"peak memory of the main process: {max(r['peak_mb'] for r in runs):,.0f} MB "
          "(each of the worker processes simulates one replication at a time)")


if __name__ == "__main__":
    main()
