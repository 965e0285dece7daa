"""Benchmark: holdout fidelity (``l2c evaluate``) on the bundled sample and on public logs.

Runs ``l2c evaluate LOG --reps 5 --format json`` (in a fresh process each, as a user would)
on the bundled sample and on every log in ``../shared/logs/``: each log is split at 70% of
its cases by start, the model is learned from the earlier part and simulated over the later
one, and the standard log distances are set against their noise floor (the same distances
between two random halves of the real test period). Big logs are capped by ``l2c
evaluate`` itself: the distances use at most 10,000 real cases (the same share of
simulated ones), the control-flow log distance 300 cases a side.

Writes ``benchmarks/results/fidelity.md`` (the table: log, metric, ours, noise floor,
ratio; then per log the KPIs reproduced and the top findings) and ``fidelity.json`` (the
same plus each full report, the machine and the versions).

    .venv/bin/python benchmarks/fidelity.py [--reps 5] [--seed 1] [--only BPIC]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harness import RESULTS, ROOT, machine_info

from calibration.sample import sample_path

SHARED_LOGS = ROOT.parent / "shared" / "logs"
LOG_SUFFIXES = (".csv", ".csv.gz", ".xes", ".xes.gz", ".parquet", ".xlsx")


def logs(directory: Path) -> list[Path]:
    found = sorted(p for p in directory.iterdir()
                   if p.is_file() and p.name.lower().endswith(LOG_SUFFIXES))
    return [sample_path("d365"), *found]


def run_evaluate(log: Path, reps: int, seed: int, output: Path) -> tuple[dict, float, str]:
    """``l2c evaluate`` in a fresh process: its JSON report, wall seconds, stderr tail."""
    command = [sys.executable, "-m", "ui.cli", "evaluate", str(log), "--reps", str(reps),
               "--seed", str(seed), "--format", "json", "-o", str(output)]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-2000:]}, seconds, done.stderr
    return json.loads(output.read_text(encoding="utf-8")), seconds, done.stderr


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def past_text(row: dict) -> str:
    """The recent past's distance and its ratio to the noise floor."""
    past, floor = row.get("recent_past"), row["noise_floor"]
    if past is None:
        return "—"
    return number(past) + (f" ({past / floor:.2f})" if floor else "")


def markdown(results: list[dict], info: dict) -> str:
    lines = [
        "# Holdout fidelity (`l2c evaluate`)",
        "",
        f"Run {info['date']} with `benchmarks/fidelity.py` ({info['reps']} replications, "
        f"seed {info['seed']}; split at 70% of the cases by start). Machine: "
        f"{info['machine']['platform']}, {info['machine']['cores']} CPUs, "
        f"{info['machine']['memory_gb']} GB; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + ".",
        "",
        "Each log: the model is learned from the cases begun before the split date and "
        "simulated over the rest of the log (with a warm-up); both sides keep the cases "
        "begun in the test period that had time to finish. *Noise floor*: the same distance "
        "between two random halves of the real test cases; *ratio* = ours / noise floor "
        "(about 1 or below: as close as the data can tell; halves have half the cases, so a "
        "perfect model tends to land below 1). *Recent past*: the same distance between the "
        "real test cases and the real cases begun in as many whole weeks just before the "
        "split, moved onto the test period, with its ratio to the noise floor: where ours is "
        "no farther, the rest of the miss is the process changing after the split.",
        "",
        "| log | metric | ours | noise floor | ratio | recent past |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        report = result["report"]
        if "error" in report:
            lines.append(f"| {result['log']} | (failed) | — | — | — | — |")
            continue
        for d in report["distances"]:
            ratio = "—" if d["ratio"] is None else f"{d['ratio']:.2f}"
            lines.append(f"| {result['log']} | {d['metric']} ({d['unit']}) | "
                         f"{number(d['value'])} | {number(d['noise_floor'])} | {ratio} | "
                         f"{past_text(d)} |")
    lines += ["", "## Per log", ""]
    for result in results:
        report = result["report"]
        lines.append(f"### {result['log']}")
        lines.append("")
        if "error" in report:
            lines += [f"Failed: `{report['error'][-500:]}`", ""]
            continue
        split, head = report["split"], report["headline"]
        lines += [
            f"- Split {split['date'][:10]}: learned from {split['train_cases']:,} cases, "
            f"compared {split['compared_real_cases']:,} real cases with "
            f"{split['compared_simulated_cases']:,.0f} simulated per replication; warm-up "
            f"{report['warmup_days']:.0f} days; {result['seconds']:.0f} s.",
            f"- KPIs reproduced: {head['kpis_reproduced']} of {head['kpis_compared']} "
            f"({head['kpis_inside']} inside the 95% interval).",
            f"- Case duration, median: real {report['cycle_time']['real_median']:.1f} d, "
            f"simulated {report['cycle_time']['simulated_median']:.1f} d"
            + (f", recent past {report['cycle_time']['recent_past_median']:.1f} d."
               if "recent_past_median" in report["cycle_time"] else "."),
        ]
        lines += [f"- Finding: {text}" for text in report["findings"]]
        lines += [f"- Note: {note}" for note in report["notes"]]
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--logs", type=Path, default=SHARED_LOGS,
                        help="Folder of public logs (default ../shared/logs).")
    parser.add_argument("--only", nargs="*", default=None,
                        help="Run only the logs whose file name contains one of these.")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    chosen = [p for p in logs(args.logs)
              if not args.only or any(k.lower() in p.name.lower() for k in args.only)]
    results: list[dict[str, Any]] = []  # per log: its name, seconds and JSON report
    with tempfile.TemporaryDirectory() as tmp:
        for number_, log in enumerate(chosen):
            print(f"evaluating {log.name} ...", flush=True)
            report, seconds, _ = run_evaluate(log, args.reps, args.seed,
                                              Path(tmp) / f"{number_}.json")
            results.append({"log": log.name, "seconds": round(seconds, 1), "report": report})
            if "error" in report:
                print(f"  failed: {report['error'][-300:]}", flush=True)
                continue
            for d in report["distances"]:
                ratio = "—" if d["ratio"] is None else f"{d['ratio']:.2f}"
                print(f"  {d['metric']:<30} ours {number(d['value']):>8}  floor "
                      f"{number(d['noise_floor']):>8}  ratio {ratio}  recent past "
                      f"{past_text(d)}", flush=True)
    versions: dict[str, str] = next(
        (r["report"]["versions"] for r in results if "versions" in r["report"]), {})
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "reps": args.reps, "seed": args.seed, "machine": machine_info(), "versions": versions}
    table = [{"log": r["log"], "metric": d["metric"], "unit": d["unit"], "ours": d["value"],
              "noise_floor": d["noise_floor"], "ratio": d["ratio"],
              "recent_past": d.get("recent_past")}
             for r in results if "distances" in r["report"] for d in r["report"]["distances"]]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fidelity.json").write_text(json.dumps(
        {**info, "table": table, "logs": results}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    (args.out / "fidelity.md").write_text(markdown(results, info), encoding="utf-8")
    print(f"written {args.out / 'fidelity.md'} and {args.out / 'fidelity.json'}")


if __name__ == "__main__":
    main()
