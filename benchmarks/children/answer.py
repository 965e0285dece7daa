"""Child of ``time_to_answer.py``: one question (scenario, library, targets or holdout) on
the bundled sample, answered from the model at MODEL with the planner's default settings by
the planner on ``PYTHONPATH`` (this checkout or an earlier one). Prints the seconds from
question to answer and what the answer took (models, replications, evaluations) as JSON."""

from __future__ import annotations

import json
import sys
import time

from calibration.read import read_log
from calibration.sample import sample_path
from scenarios import LIBRARY, library
from sim.bounds import load_model


def main() -> None:
    question, model_path, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
    log = read_log(sample_path("d365")).require_log()
    model = load_model(model_path)
    began = time.perf_counter()
    detail: dict[str, object] = {}
    if question in ("scenario", "library"):
        from scenarios.comparison import Baseline, run_comparison

        paths = [LIBRARY / scenario] if question == "scenario" else library()
        study = run_comparison(Baseline(model, log), paths).study
        # an earlier version's study ran one count for every member
        counts = getattr(study, "counts", None) or dict.fromkeys(study.names,
                                                                 study.replications)
        detail = {"models": len(study.names), "replications": study.replications,
                  "all members' replications": sum(counts.values())}
    elif question == "targets":
        from calibration.fidelity import history_run
        from scenarios.target import find_target

        report = find_target(model, "sales_cycle", -0.25, run=history_run(model))
        detail = {"evaluations": report.evaluations, "replications": report.replications}
    else:
        from calibration.evaluate import evaluate_log

        holdout = evaluate_log(log, split=0.7)
        detail = {"replications": holdout.reps}
    print(json.dumps({"seconds": time.perf_counter() - began, **detail}))


if __name__ == "__main__":
    main()
