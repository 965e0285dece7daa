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
do). Prints the median of ``--repeats`` runs per question.

    .venv/bin/python benchmarks/time_to_answer.py [--repeats 3] [--only scenario,library]
        [--against /path/to/an/earlier/checkout]

Target (2-core machine): one scenario under 5 s, the library under 15 s, Targets and the
holdout test under 20 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

QUESTIONS = {
    "scenario": "one library scenario vs baseline",
    "library": "the scenario library (8) vs baseline",
    "targets": "Targets: sales cycle -25%",
    "holdout": "holdout test (70/30)",
}
SCENARIO = "quote_approval_faster.yaml"

CALIBRATE = """
import sys
from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.sample import sample_path
result = read_log(sample_path("d365"))
model = calibrate(result.require_log(), result.path).model
open(sys.argv[1], "w", encoding="utf-8").write(model.to_json())
"""

CHILD = """
import json, sys, time
from calibration.read import read_log
from calibration.sample import sample_path
from scenarios import LIBRARY, library
from sim.bounds import load_model
question, model_path, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
log = read_log(sample_path("d365")).require_log()
model = load_model(model_path)
began = time.perf_counter()
detail = {}
if question in ("scenario", "library"):
    from scenarios.comparison import Baseline, run_comparison
    paths = [LIBRARY / scenario] if question == "scenario" else library()
    study = run_comparison(Baseline(model, log), paths).study
    detail = {"models": len(study.names), "replications": study.replications}
elif question == "targets":
    from calibration.fidelity import history_run
    from scenarios.target import find_target
    report = find_target(model, "sales_cycle", -0.25, run=history_run(model))
    detail = {"evaluations": report.evaluations, "replications": report.replications}
else:
    from calibration.evaluate import evaluate_log
    report = evaluate_log(log, split=0.7)
    detail = {"replications": report.reps}
print(json.dumps({"seconds": time.perf_counter() - began, **detail}))
"""


def _run(code: str, *args: str, cache: str, cwd: Path) -> str:
    """Run ``code`` in a fresh interpreter on the planner found in ``cwd``."""
    env = dict(os.environ, L2C_CACHE_DIR=cache, PYTHONPATH=str(cwd))
    done = subprocess.run([sys.executable, "-c", code, *args], check=False, cwd=cwd,
                          capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"{' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


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
    here = Path(__file__).resolve().parent.parent
    versions = {"": here} if args.against is None else {"earlier ": args.against.resolve(),
                                                         "this ": here}
    with tempfile.TemporaryDirectory() as folder:
        models = {}  # each version reads the model its own calibration writes
        for version, root in versions.items():
            models[version] = str(Path(folder) / f"model-{version.strip() or 'this'}.json")
            _run(CALIBRATE, models[version], cache=str(Path(folder) / "unused"), cwd=root)
        for question in asked:
            runs: dict[str, list[dict[str, object]]] = {v: [] for v in versions}
            for repeat in range(args.repeats):
                for version, root in versions.items():
                    cache = str(Path(folder) / f"cache-{version}{question}-{repeat}")
                    runs[version].append(json.loads(_run(
                        CHILD, question, models[version], SCENARIO, cache=cache, cwd=root)))
            for version, found in runs.items():
                seconds = [float(r["seconds"]) for r in found]  # type: ignore[arg-type]
                detail = ", ".join(f"{k} {v}" for k, v in found[0].items() if k != "seconds")
                print(f"{version}{QUESTIONS[question]}: median "
                      f"{statistics.median(seconds):.1f} s (runs "
                      f"{', '.join(f'{s:.1f}' for s in seconds)}; {detail}; load average "
                      f"{os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
