"""Child of ``library_speed.py``: the baseline and the scenario library on the sample's
model, REPS replications each, alone in this process so its peak memory is one study's.
Prints the seconds of the study, peak MB, models and replications as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time

from harness import calibrated_sample

from calibration.read import read_log
from calibration.sample import sample_path
from scenarios import library
from scenarios.comparison import Baseline, run_comparison
from sim.model import ProcessModel


def main() -> None:
    log = read_log(sample_path("d365")).require_log()
    model = ProcessModel.from_json(calibrated_sample().to_json())  # as read from its file
    began = time.perf_counter()
    study = run_comparison(Baseline(model, log), library(),
                           replications=int(sys.argv[1])).study
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "members": len(study.names), "reps": study.replications}))


if __name__ == "__main__":
    main()
