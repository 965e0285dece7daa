"""Benchmark: the published BPS-discovery comparison, reproduced on its five real logs.

The protocol of ``../shared/benchmarks/published.md`` (the AgentSimulator evaluation,
ICPM 2024), exactly: activity instances ordered by end time, the first 80% train and the
last 20% test, a case with instances on both sides dropped from both; the model learned from
the training part only (``l2c calibrate`` as a user runs it); as many cases simulated as the
test part has, from its earliest case start, with 10 seeds (replications); each simulated
log scored against the test part with ``log-distance-measures`` (NGD 3-grams, AED, CED, RED
and CTD with 1-hour bins, start and end times). The simulation warms up before the first
test case (warm-up cases are left out), as ``l2c evaluate`` does. When the test part holds
finished cases only (``closed_export``, the test ``l2c evaluate`` makes), its observed view is
exported the same way: arrivals simulated over the test window, the cases finished by its end
kept. Beside the methods, the real recent past (``calibration.evaluate.recent_past``) says how
far the process itself moved after the cut.

Writes ``benchmarks/results/published.md`` (ours as mean (std) beside every published
method, per log and measure, with the win count) and ``published.json``.

    .venv/bin/python benchmarks/published.py [--reps 10] [--seed 1] [--only ACR P2P]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from harness import RESULTS, ROOT, machine_info

from calibration.evaluate import distances as dist
from calibration.evaluate.closed_export import closed_export
from calibration.evaluate.recent_past import recent_past
from calibration.evaluate.run import versions
from calibration.evaluate.split import case_starts, split_by_end
from calibration.evaluate.tuning import calibrate_tuned
from calibration.evaluate.window import case_p90_days
from calibration.fit.calibrate import CalibrationOptions
from calibration.read import read_log
from sim.engine import iter_replications
from sim.eventlog import CASE_ID, END, EventLog

SHARED = ROOT.parent / "shared"
PUBLISHED = SHARED / "benchmarks" / "published.md"
TRAIN_SHARE = 0.8
LOGS = {  # the published log name -> its file in ../shared/logs
    "BPIC 2012 W": "BPIC_2012_W.csv.gz",
    "BPIC 2017 W": "BPIC_2017_W.csv.gz",
    "ACR": "ConsultaDataMining201618.xes.gz",
    "Production": "Production.xes.gz",
    "P2P": "PurchasingExample.csv.gz",
}
MEASURES = {"NGD": "n_gram_distribution", "AED": "absolute_event_distribution",
            "CED": "circadian_event_distribution", "RED": "relative_event_distribution",
            "CTD": "cycle_time_distribution"}
COMPUTE = {short: next(m.compute for m in dist.MEASURES if m.key == key)
           for short, key in MEASURES.items()}
VIEWS = {"observed": "Observed over the test part's window (the simulated events finished by "
                     "the log's last timestamp)",
         "complete": "Complete (every simulated case run to its end)"}
MIN_WARMUP_DAYS, MAX_WARMUP_DAYS = 7.0, 365.0
_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([A-Za-z]+)\s*\|" + r"\s*([\d.]+) \(([\d.]+)\)\s*\|" * 5)


def published_figures(path: Path = PUBLISHED) -> dict[str, dict[str, dict[str, tuple]]]:
    """log -> method -> measure -> (mean, std), read from the published table."""
    figures: dict[str, dict[str, dict[str, tuple]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        log = match.group(1).split(" (")[0]
        numbers = [float(v) for v in match.groups()[2:]]
        figures.setdefault(log, {})[match.group(2)] = {
            key: (numbers[2 * i], numbers[2 * i + 1]) for i, key in enumerate(MEASURES)}
    return figures


def warmup_days(train: EventLog) -> float:
    """The training part's P90 case duration, as ``l2c evaluate`` warms up: long enough
    for the work in progress at the first test case."""
    return float(np.clip(case_p90_days(train), MIN_WARMUP_DAYS, MAX_WARMUP_DAYS))


def run_log(name: str, path: Path, reps: int, seed: int, tune: bool = True) -> dict:
    """The protocol on one log: our five measures per replication, and the run's facts."""
    log = read_log(path).require_log()
    train, test = split_by_end(log, TRAIN_SHARE)
    began = time.perf_counter()
    calibration = calibrate_tuned(train, path, CalibrationOptions(tune=tune), seed=seed)
    fit_seconds = time.perf_counter() - began
    start = case_starts(test).min()
    warmup = warmup_days(train)
    real = dist.distance_frame(test)
    log_end = real[END].max()
    scores: dict[str, dict[str, list[float]]] = {
        view: {key: [] for key in MEASURES} for view in VIEWS}
    closed = closed_export(test) is not None
    simulated_cases: dict[str, list[int]] = {view: [] for view in VIEWS}

    def score(view: str, frame: pd.DataFrame) -> None:
        simulated_cases[view].append(int(frame[CASE_ID].nunique()))
        for key, compute in COMPUTE.items():
            scores[view][key].append(compute(real, frame))

    began = time.perf_counter()
    for result in iter_replications(calibration.model, reps, seed=seed, cases=test.n_cases,
                                    start=start, warmup_days=warmup):
        frame = dist.distance_frame(result.log)
        score("complete", frame)
        if not closed:
            score("observed", frame[frame[END] <= log_end])
    if closed:
        for result in iter_replications(calibration.model, reps, seed=seed, start=start,
                                        days=(log_end - start) / pd.Timedelta(days=1),
                                        warmup_days=warmup):
            frame = dist.distance_frame(result.log)
            score("observed", frame[~frame[CASE_ID].isin(result.open_cases)])
    past = recent_past(log, start, case_starts(test).max(), log_end, finished_only=closed)
    past_frame = None if past is None else dist.distance_frame(past)
    return {
        "log": name, "file": path.name, "train_cases": train.n_cases,
        "recent_past": None if past_frame is None else {
            key: compute(real, past_frame) for key, compute in COMPUTE.items()},
        "test_cases": test.n_cases, "dropped_cases": log.n_cases - train.n_cases - test.n_cases,
        "test_start": str(start), "warmup_days": round(warmup, 1),
        "simulated_cases": simulated_cases["complete"],
        "observed_cases": simulated_cases["observed"], "closed_export": closed,
        "calibrate_seconds": round(fit_seconds, 1),
        "simulate_and_score_seconds": round(time.perf_counter() - began, 1),
        "notes": calibration.notes,
        "ours": {view: {key: (float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1
                              else 0.0) for key, v in by_measure.items()}
                 for view, by_measure in scores.items()},
        "per_replication": scores,
    }


def wins(ours: dict[str, tuple], methods: dict[str, dict[str, tuple]],
         against: str | None = None) -> dict[str, bool]:
    """Per measure: ours at or below the best published mean (or ``against``'s)."""
    chosen = methods.values() if against is None else [methods[against]]
    return {key: ours[key][0] <= min(m[key][0] for m in chosen) for key in MEASURES}


def score_table(results: list[dict], figures: dict, view: str) -> list[str]:
    """The published table with our row added to each log, for one view of our logs."""
    lines = ["| log | method | " + " | ".join(f"{k}{' (h)' if k != 'NGD' else ''}"
                                               for k in MEASURES) + " |",
             "|---|---|" + "---:|" * len(MEASURES)]
    for result in results:
        methods = {"**ours**": result["ours"][view], **figures[result["log"]]}
        best = {k: min(m[k][0] for m in methods.values()) for k in MEASURES}
        for method, values in methods.items():
            cells = []
            for key in MEASURES:
                mean, std = values[key]
                text = f"{mean:.3f} ({std:.3f})" if key == "NGD" else f"{mean:.2f} ({std:.2f})"
                cells.append(f"**{text}**" if mean <= best[key] else text)
            lines.append(f"| {result['log']} | {method} | " + " | ".join(cells) + " |")
        if view == "observed" and result.get("recent_past"):
            past = result["recent_past"]
            lines.append(f"| {result['log']} | *recent past* | " + " | ".join(
                f"*{past[k]:.3f}*" if k == "NGD" else f"*{past[k]:.2f}*" for k in MEASURES)
                + " |")
    return lines


def tally(results: list[dict], figures: dict, view: str) -> tuple[int, int]:
    """(measures at or below the best published, at or below Simod's) for one view."""
    best = sum(sum(wins(r["ours"][view], figures[r["log"]]).values()) for r in results)
    simod = sum(sum(wins(r["ours"][view], figures[r["log"]], "Simod").values())
                for r in results)
    return best, simod


def markdown(results: list[dict], figures: dict, info: dict) -> str:
    total = 5 * len(results)
    closed = [r["log"] for r in results if r.get("closed_export")]
    lines = [
        "# The published comparison, reproduced",
        "",
        f"Run {info['date']} with `benchmarks/published.py` ({info['reps']} replications, seed "
        f"{info['seed']}). Machine: {info['machine']['platform']}, "
        f"{info['machine']['cores']} CPUs. Protocol and published figures: "
        "`shared/benchmarks/published.md` (AgentSimulator evaluation, ICPM 2024). Mean (std) "
        "over the simulated logs; lower is better; **bold**: the best figure of the row's log.",
        "",
        "The real test part ends where the log ends: a case begun in it shows only the events "
        "finished by then, so its cycle time is cut short. Our simulated logs are scored two "
        "ways: *observed* keeps the simulated events finished by the log's last timestamp "
        "(the same window as the real test part), *complete* keeps every simulated case to "
        "its end. Nothing else differs: one model, one set of runs, except that a test part "
        "holding finished cases only (the test `l2c evaluate` makes: far fewer open cases "
        "among the latest than a snapshot shows) is compared, in the observed view, with the "
        "export it stands for: runs of arrivals over its window, the cases finished by its "
        "end kept, however many they are."
        + (f" Such logs here: {', '.join(closed)}." if closed else ""),
        "",
        "*Recent past* (not a method, not counted): the real cases begun in as many whole "
        "weeks just before the test part's first case, with all their events, moved onto the "
        "test part's window: what planning on the process as it ran just before the cut "
        "gives. Where it lies far from the test part, the process changed after the cut.",
        "",
    ]
    for view, title in VIEWS.items():
        best, simod = tally(results, figures, view)
        lines += [f"## {title}", "",
                  f"**At or below the best published figure: {best} of {total}; at or below "
                  f"Simod's: {simod} of {total}.**", "",
                  *score_table(results, figures, view), ""]
    lines += ["## The runs", "",
              "| log | train / test / dropped cases | simulated cases (observed) | warm-up | "
              "calibrate | simulate + score |", "|---|---|---|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['log']} | {r['train_cases']} / {r['test_cases']} / {r['dropped_cases']} | "
            f"{min(r['simulated_cases'])}-{max(r['simulated_cases'])} "
            f"({min(r['observed_cases'])}-{max(r['observed_cases'])}) | "
            f"{r['warmup_days']} d | {r['calibrate_seconds']} s | "
            f"{r['simulate_and_score_seconds']} s |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--logs", type=Path, default=SHARED / "logs")
    parser.add_argument("--only", nargs="*", default=None,
                        help="Run only the logs whose name contains one of these.")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--tune", action=argparse.BooleanOptionalAction, default=True,
                        help="Choose the model's structure on a validation split of the "
                             "training part, as 'l2c calibrate' does (default).")
    args = parser.parse_args()
    figures = published_figures()
    results = []
    for name, file in LOGS.items():
        if args.only and not any(k.lower() in name.lower() for k in args.only):
            continue
        print(f"{name} ...", flush=True)
        result = run_log(name, args.logs / file, args.reps, args.seed, args.tune)
        best = {k: min(m[k][0] for m in figures[name].values()) for k in MEASURES}
        for view in VIEWS:
            ours, won = result["ours"][view], wins(result["ours"][view], figures[name])
            print(f"  {view:<9}" + "  ".join(
                f"{k} {ours[k][0]:.3g}{'*' if won[k] else ''} (best {best[k]:.3g})"
                for k in MEASURES), flush=True)
        results.append(result)
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "reps": args.reps, "seed": args.seed, "machine": machine_info(), "versions": versions()}
    summary = {view: dict(zip(("best", "simod"), tally(results, figures, view), strict=True))
               for view in VIEWS}
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "published" if not args.only else "published-partial"
    (args.out / f"{stem}.json").write_text(json.dumps(
        {**info, "summary": summary, "published": figures, "logs": results}, indent=2) + "\n",
        encoding="utf-8")
    (args.out / f"{stem}.md").write_text(markdown(results, figures, info), encoding="utf-8")
    for view, counts in summary.items():
        print(f"{view}: at or below the best {counts['best']} of {5 * len(results)}, "
              f"at or below Simod {counts['simod']}")
    print(f"written {args.out / stem}.md")


if __name__ == "__main__":
    main()
