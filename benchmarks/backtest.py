"""Benchmark: ``l2c backtest`` on the changes real logs went through.

Calibration detects three: BPIC 2017 (W) 'W_Validate application' per case 2.7 -> 1.66
around 2016-07 and 'W_Call after offers' per case 2.03 -> 1.34 around 2016-11; Road Traffic
'Send Fine' per case 0.815 -> 0.637 around 2003-08. Each is backtested with the scenario
derived from the cases begun after it (what ``l2c backtest`` does without ``--scenario``),
and the 2016-11 change also with the scenario written by hand
(``benchmarks/scenarios/bpic2017_fewer_offer_calls.yaml``): the model is learned from the
cases begun before the change, the months after are simulated with and without the
scenario (common random numbers), and both are set against what really happened, KPI by KPI.

Writes ``benchmarks/results/backtest.md`` (the KPIs whose real shift passes its practical
threshold; per-member utilisation left to the JSON) and ``backtest.json``.

    .venv/bin/python benchmarks/backtest.py [--reps 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timezone
from pathlib import Path

from harness import RESULTS, ROOT, machine_info

from calibration.evaluate.backtest import Backtest, backtest
from calibration.read import read_log
from scenarios.load import load_scenario
from ui.attribution_text import attribution_text, word
from ui.render_backtest import COLUMNS, cells

LOGS = ROOT.parent / "shared" / "logs"
BPIC_2017 = LOGS / "BPIC_2017_W.csv.gz"
CASES: list[tuple[str, Path, str, Path | None]] = [  # None: the scenario derived from the log
    ("BPIC 2017 W", BPIC_2017, "2016-11-01",
     ROOT / "benchmarks" / "scenarios" / "bpic2017_fewer_offer_calls.yaml"),
    ("BPIC 2017 W", BPIC_2017, "2016-11-01", None),
    ("BPIC 2017 W", BPIC_2017, "2016-07-01", None),
    ("Road Traffic", LOGS / "Road_Traffic_Fine_Management_Process.parquet", "2003-08-01", None),
]


def markdown(runs: list[tuple[str, Backtest, float]], info: dict) -> str:
    lines = ["# Backtests of a what-if on a real change (`l2c backtest`)", "",
             f"Run {info['date']} with `benchmarks/backtest.py` ({info['reps']} replications, "
             f"seed {info['seed']}). Machine: {info['machine']['platform']}, "
             f"{info['machine']['cores']} CPUs.", "",
             "*Real shift*: the real after-value less the prediction of the unchanged model. "
             "*Explained*: the scenario's predicted shift over the real one, mean and 95% "
             "interval across replications. ✗: the real after-value lies outside the "
             "prediction with the scenario (95% interval widened by the KPI's practical "
             "threshold). Only KPIs whose real shift passes that threshold; utilisation per "
             "pool member is in `backtest.json`.", "",
             f"*{word('title')}*: {word('help')}", ""]
    for name, result, seconds in runs:
        lines += [f"## {name}: '{result.scenario}', change on {result.change_date}", "",
                  f"{result.window} ({seconds:.0f} s)", ""]
        if result.derived:
            lines += ["The scenario, derived from the cases begun after the change:", "",
                      "```yaml", result.scenario_text.rstrip(), "```", ""]
        lines += ["| KPI | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
        shown = [row for row in result.rows
                 if row.material and not row.kpi.startswith("utilisation:")]
        for row in shown:
            lines.append(f"| {row.label}{' ✗' if row.missed else ''} | "
                         + " | ".join(cells(row)) + " |")
        lines.append("")
        explained = [row for row in shown if row.attribution is not None]
        if explained:
            lines += [f"{word('title')} (✗):", ""]
            lines += [f"- {row.label}: {attribution_text(row)}" for row in explained]
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    runs = []
    for name, log, date, scenario in CASES:
        print(f"backtesting {name} ...", flush=True)
        began = time.perf_counter()
        result = backtest(read_log(log).require_log(),
                          None if scenario is None else load_scenario(scenario), date,
                          reps=args.reps, seed=args.seed)
        runs.append((name, result, time.perf_counter() - began))
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "reps": args.reps, "seed": args.seed, "machine": machine_info()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "backtest.md").write_text(markdown(runs, info), encoding="utf-8")
    (RESULTS / "backtest.json").write_text(json.dumps(
        {"info": info, "runs": [{"name": n, "seconds": round(s, 1), **r.to_dict()}
                                for n, r, s in runs]}, indent=1), encoding="utf-8")
    print(f"written {RESULTS / 'backtest.md'}")


if __name__ == "__main__":
    main()
