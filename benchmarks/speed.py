"""Side-by-side speed benchmark: Prosimos, our engine and bare SimPy on one lead-to-cash model.

The race is run on the reference model ``benchmarks/models/lead_to_cash.bpmn`` + ``.json`` (a
Prosimos model written for this benchmark): Prosimos runs the files themselves, our engine
runs them as ``l2c import-bps`` imports them, and ``benchmarks/bare_simpy.py`` is the same
model hand-coded as a plain SimPy program (the ceiling for a SimPy-based engine). Prosimos is
not a dependency of the planner: it is installed, once, in its own virtual environment
(``benchmarks/.prosimos-venv``, pinned to ``PROSIMOS_VERSION``).

For each size (1k, 10k, 50k cases) and seed (1, 2, 3) each engine runs in a fresh process,
timed from loading the model to having the log (ours: the event table in memory; Prosimos:
its CSV log written, its only way to give a log; bare SimPy: a list of tuples); peak memory
is the process's own peak resident memory (VmHWM), interpreter and libraries included.
Events are the simulated task instances (the 12 tasks; Prosimos does not log its timer
event, so neither count does).
Then the three must agree, pooled over the seeds, so that the race is fair: the median and
P90 cycle time (first task start to last task end) within 5% or within sampling noise, and
the outcome shares (read off each case's last task) within binomial noise (|z| < 3).

Our engine also runs the model calibrated from the bundled sample (trend set to 0, so that
the load stays as in the sample however many cases run) at the same sizes. Prosimos does not
run that one: it cannot express the model (see ``NO_PROSIMOS_EXPORT``).

    .venv/bin/python benchmarks/speed.py [--sizes 1000 10000 50000] [--seeds 1 2 3]

writes ``benchmarks/results/speed.md`` and ``speed.json``. Targets: at least 3x Prosimos's
events per second, and at least half of bare SimPy's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

from harness import (
    BENCH,
    RESULTS,
    ROOT,
    calibrated_sample,
    machine_info,
    run_child,
    written_by,
)

MODELS = BENCH / "models"
BPMN, PARAMS = MODELS / "lead_to_cash.bpmn", MODELS / "lead_to_cash.json"
BARE = BENCH / "bare_simpy.py"
PROSIMOS_VERSION = "2.1.0"
PROSIMOS_VENV = BENCH / ".prosimos-venv"
PROSIMOS_START = "2024-01-01T00:00:00+00:00"  # a Monday, where the imported model starts too

TASKS = ("Qualify lead", "Create opportunity", "Propose solution", "Create quote",
         "Approve quote", "Send quote", "Sign contract", "Create order", "Fulfil order",
         "Generate invoice", "Send invoice", "Receive payment")
OUTCOMES = {"Qualify lead": "Lead lost", "Propose solution": "Opportunity lost",
            "Send quote": "Quote rejected", "Receive payment": "Deal won"}
# The model's own shares: 30% lost at qualification, 25% of the rest at the proposal; each
# quote round is revised 25%, rejected 20% and accepted 55%.
EXPECTED_SHARES = {"Lead lost": 0.3, "Opportunity lost": 0.7 * 0.25,
                   "Quote rejected": 0.7 * 0.75 * 0.2 / 0.75,
                   "Deal won": 0.7 * 0.75 * 0.55 / 0.75}
REL_TOLERANCE = 0.05  # cycle-time quantiles: within 5%, or within sampling noise
Z_QUANTILE = 2.58  # the order-statistic interval of a quantile (99%)
Z_SHARE = 3.0  # outcome shares: two-proportion z-test

NO_PROSIMOS_EXPORT = (
    "The sample-calibrated model has no faithful Prosimos export, so Prosimos does not run it: "
    "its routing depends on a case attribute (lead source) and on how often a quote has been "
    "approved before (Prosimos gateways have one fixed probability per flow); activities "
    "wait for delays before they start, some in working time of a pool's calendar and one "
    "(payment) depending on the payment terms (Prosimos only has wall-clock timer events); "
    "each deal keeps its own rep (a case-owner pool) and reps work at different speeds; "
    "arrivals follow an hour-by-hour weekly rate (Prosimos has one gap distribution and an "
    "open/closed calendar); and the log ends in several outcome events (Prosimos 2.1 takes "
    "one end event). An export would be a different model, and the race would not be fair.")

# ------------------------------------------------------------------------------ set-up


def prosimos_python() -> Path:
    """The Python of the Prosimos environment, created (once) with ``pip install prosimos``."""
    python = PROSIMOS_VENV / "bin" / "python"
    marker = PROSIMOS_VENV / "installed-prosimos"
    if python.exists() and marker.exists() and marker.read_text().strip() == PROSIMOS_VERSION:
        return python
    print(f"Installing Prosimos {PROSIMOS_VERSION} into {PROSIMOS_VENV} (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PROSIMOS_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"prosimos=={PROSIMOS_VERSION}"], check=True)
    marker.write_text(PROSIMOS_VERSION + "\n", encoding="utf-8")
    return python


def import_reference(folder: Path) -> Path:
    """The reference model as ``l2c import-bps`` imports it, saved as model JSON."""
    from calibration.bps import import_bps

    imported = import_bps(BPMN, PARAMS)
    return imported.model.save(folder / "lead_to_cash.model.json")


def calibrate_sample(folder: Path) -> Path:
    """The model calibrated from the bundled sample, with its monthly trend set to 0."""
    model = calibrated_sample()
    steady = model.model_copy(update={
        "arrivals": model.arrivals.model_copy(update={"trend_per_month": 0.0})})
    return steady.save(folder / "sample.model.json")


# ---------------------------------------------------------------------------- measuring


def run_engine(engine: str, *, model: Path, cases: int, seed: int, summary: Path | None,
               prosimos: Path | None, tasks: tuple[str, ...] = TASKS) -> dict[str, float]:
    """One engine's run in a process of its own: its seconds, peak MB and counts."""
    target = str(summary) if summary is not None else "-"
    if engine == "ours":
        return run_child("ours_run", model, cases, seed, target, json.dumps(list(tasks)))
    if engine == "prosimos":
        assert prosimos is not None
        return run_child("prosimos_run", BPMN, PARAMS, cases, seed, target, PROSIMOS_START,
                         python=prosimos, root=None)
    command = [sys.executable, str(BARE), "--cases", str(cases), "--seed", str(seed)]
    done = subprocess.run([*command, "--summary", target] if summary is not None else command,
                          capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{BARE.name} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


class EngineFigures(TypedDict):
    """One engine's runs at one size: what the report's tables and ratios read."""

    runs: int
    median_seconds: float
    seconds: list[float]
    events: int
    events_per_second: float
    peak_mb: float


def summarise(runs: list[dict[str, float]]) -> EngineFigures:
    rates = [r["events"] / r["seconds"] for r in runs]
    return {"runs": len(runs), "median_seconds": statistics.median(r["seconds"] for r in runs),
            "seconds": [round(r["seconds"], 3) for r in runs],
            "events": int(statistics.median(r["events"] for r in runs)),
            "events_per_second": statistics.median(rates),
            "peak_mb": max(r["peak_mb"] for r in runs)}


# ---------------------------------------------------------------------------- agreement


def read_summary(paths: list[Path]) -> tuple[list[float], dict[str, int]]:
    hours: list[float] = []
    outcomes: dict[str, int] = dict.fromkeys(EXPECTED_SHARES, 0)
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            _, h, last = line.rsplit(",", 2)
            hours.append(float(h))
            outcome = OUTCOMES.get(last, f"other ({last})")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    hours.sort()
    return hours, outcomes


def quantile(values: list[float], p: float) -> tuple[float, float]:
    """The ``p`` quantile and the half-width of its distribution-free 99% interval."""
    n = len(values)
    spread = Z_QUANTILE * math.sqrt(n * p * (1 - p))
    low = max(math.floor(n * p - spread), 0)
    high = min(math.ceil(n * p + spread), n - 1)
    at = min(max(round(n * p) - 1, 0), n - 1)
    return values[at], (values[high] - values[low]) / 2


def agreement(samples: dict[str, tuple[list[float], dict[str, int]]], reference: str
              ) -> list[dict[str, object]]:
    """Checks of every engine against ``reference``: cycle-time quantiles, outcome shares."""
    checks: list[dict[str, object]] = []
    ref_hours, ref_outcomes = samples[reference]
    n_ref = len(ref_hours)
    for engine, (hours, outcomes) in samples.items():
        if engine == reference:
            continue
        for label, p in (("median cycle time (h)", 0.5), ("P90 cycle time (h)", 0.9)):
            ours, ours_half = quantile(hours, p)
            theirs, theirs_half = quantile(ref_hours, p)
            allowed = max(REL_TOLERANCE * abs(theirs), math.hypot(ours_half, theirs_half))
            checks.append({"engine": engine, "reference": reference, "check": label,
                           "value": ours, "reference_value": theirs,
                           "difference": ours - theirs, "allowed": allowed,
                           "passed": abs(ours - theirs) <= allowed})
        n = len(hours)
        for outcome in sorted(set(outcomes) | set(ref_outcomes)):
            a, b = outcomes.get(outcome, 0) / n, ref_outcomes.get(outcome, 0) / n_ref
            pooled = (outcomes.get(outcome, 0) + ref_outcomes.get(outcome, 0)) / (n + n_ref)
            se = math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / n + 1 / n_ref))
            z = (a - b) / se
            checks.append({"engine": engine, "reference": reference,
                           "check": f"share '{outcome}'", "value": a, "reference_value": b,
                           "expected": EXPECTED_SHARES.get(outcome), "difference": a - b,
                           "z": z, "allowed": Z_SHARE * se, "passed": abs(z) < Z_SHARE})
    return checks


# ------------------------------------------------------------------------------- report


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        "# Speed: Prosimos, our engine and bare SimPy on one lead-to-cash model", "",
        written_by("speed.py", report) + " (other work on the machine makes single runs "
        "noisy; medians of the seeds are shown).",
        "", "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
        + (", Prosimos environment: " + ", ".join(
            f"{k} {v}" for k, v in m["prosimos_environment"].items())
           if "prosimos_environment" in m else "") + ".", "",
        "Model: `benchmarks/models/lead_to_cash.bpmn` + `.json` (12 tasks, 4 pools with "
        "working hours, a quote-revision loop, three loss branches, a 30-day payment timer). "
        "Wall time runs from loading the model to the log (ours: event table in memory; "
        "Prosimos: its CSV log written; bare SimPy: tuples in memory); events are task "
        "instances; peak memory is the process's own peak resident memory (VmHWM). "
        f"Seeds: {report['seeds']}.", "",
        "| engine | cases | median wall s | runs (s) | events | events/s | peak MB |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for row in report["reference"]:
        lines.append(f"| {row['engine']} | {row['cases']:,} | {fmt(row['median_seconds'])} | "
                     f"{', '.join(fmt(s) for s in row['seconds'])} | {row['events']:,} | "
                     f"{row['events_per_second']:,.0f} | {row['peak_mb']:,.0f} |")
    lines += ["", "## Ratios and targets", "",
              "| cases | ours / Prosimos (events/s) | target >= 3 | ours / bare SimPy | "
              "target >= 0.5 |", "|---:|---:|---|---:|---|"]
    for row in report["ratios"]:
        vs_p, vs_bare = row.get("ours_over_prosimos"), row["ours_over_bare"]
        lines.append(
            f"| {row['cases']:,} | {fmt(vs_p) + 'x' if vs_p else 'n/a'} | "
            f"{('PASS' if vs_p >= 3 else 'FAIL') if vs_p else 'n/a'} | "
            f"{fmt(vs_bare)}x | {'PASS' if vs_bare >= 0.5 else 'FAIL'} |")
    lines += ["", "## Do the three agree? (pooled over the seeds)", "",
              "Cycle time: first task start to last task end. Quantiles pass within 5% of the "
              "reference or within their 99% sampling intervals; outcome shares pass when the "
              "two-proportion |z| < 3.", "",
              "| cases | engine | check | value | reference | allowed difference | expected | "
              "verdict |", "|---:|---|---|---:|---:|---:|---:|---|"]
    for size in report["agreement"]:
        for c in size["checks"]:
            expected = c.get("expected")
            value_digits = 1 if "cycle" in c["check"] else 4
            lines.append(
                f"| {size['cases']:,} | {c['engine']} vs {c['reference']} | {c['check']} | "
                f"{fmt(c['value'], value_digits)} | {fmt(c['reference_value'], value_digits)} | "
                f"{fmt(c['allowed'], value_digits)} | "
                f"{fmt(expected, 4) if expected is not None else ''} | "
                f"{'PASS' if c['passed'] else 'FAIL'} |")
    lines += ["", "## Our engine on the model calibrated from the bundled sample", "",
              "Calibrated from the bundled sample (trend set to 0); events are all activity "
              "instances in the log (16 activities, instant ones included).", "",
              "| cases | median wall s | runs (s) | events | events/s | peak MB |",
              "|---:|---:|---|---:|---:|---:|"]
    for row in report["sample"]:
        lines.append(f"| {row['cases']:,} | {fmt(row['median_seconds'])} | "
                     f"{', '.join(fmt(s) for s in row['seconds'])} | {row['events']:,} | "
                     f"{row['events_per_second']:,.0f} | {row['peak_mb']:,.0f} |")
    lines += ["", f"Prosimos on this model: not run. {NO_PROSIMOS_EXPORT}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--no-prosimos", action="store_true",
                        help="skip Prosimos (ours against bare SimPy only)")
    parser.add_argument("--no-sample", action="store_true",
                        help="skip the sample-calibrated model")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="folder for speed.md and speed.json")
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    prosimos = None if args.no_prosimos else prosimos_python()
    engines = ["ours", "bare"] if prosimos is None else ["prosimos", "ours", "bare"]
    reference_engine = "prosimos" if prosimos is not None else "bare"
    report: dict[str, object] = {"date": time.strftime("%Y-%m-%d %H:%M"),
                                 "seeds": args.seeds, "load_before": load_before}
    rows, ratios, agreements, sample_rows = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = import_reference(folder)
        sample = None if args.no_sample else calibrate_sample(folder)
        for cases in args.sizes:
            runs: dict[str, list[dict[str, float]]] = {e: [] for e in engines}
            summaries: dict[str, list[Path]] = {e: [] for e in engines}
            for seed in args.seeds:
                for engine in engines:
                    path = folder / f"{engine}-{cases}-{seed}.csv"
                    runs[engine].append(run_engine(
                        engine, model=model, cases=cases, seed=seed, summary=path,
                        prosimos=prosimos))
                    summaries[engine].append(path)
                    last = runs[engine][-1]
                    print(f"{engine:>8} {cases:>7,} cases seed {seed}: {last['seconds']:7.2f} s, "
                          f"{last['events']:>8,} events, {last['events'] / last['seconds']:>9,.0f}"
                          f" events/s, peak {last['peak_mb']:6.0f} MB", flush=True)
            figures = {e: summarise(r) for e, r in runs.items()}
            for engine, fig in figures.items():
                rows.append({"engine": engine, "cases": cases, **fig})
            ratio: dict[str, object] = {"cases": cases, "ours_over_bare": (
                figures["ours"]["events_per_second"] / figures["bare"]["events_per_second"])}
            if prosimos is not None:
                ratio["ours_over_prosimos"] = (figures["ours"]["events_per_second"]
                                               / figures["prosimos"]["events_per_second"])
            ratios.append(ratio)
            checks = agreement({e: read_summary(p) for e, p in summaries.items()},
                               reference_engine)
            agreements.append({"cases": cases, "checks": checks})
            for c in checks:
                print(f"  {'PASS' if c['passed'] else 'FAIL'}  {c['engine']} vs {c['reference']}"
                      f" {c['check']}: {c['value']:.4g} vs {c['reference_value']:.4g} "
                      f"(allowed difference {c['allowed']:.3g})", flush=True)
            print("  " + ", ".join(f"{k} {v:.2f}x" for k, v in ratio.items() if k != "cases"),
                  flush=True)
            if sample is not None:
                sample_runs = [run_engine("ours", model=sample, cases=cases, seed=seed,
                                          summary=None, prosimos=None, tasks=())
                               for seed in args.seeds]
                sample_rows.append({"cases": cases, **summarise(sample_runs)})
                s = sample_rows[-1]
                print(f"  sample model, ours: {s['median_seconds']:.2f} s, {s['events']:,} events,"
                      f" {s['events_per_second']:,.0f} events/s, peak {s['peak_mb']:.0f} MB",
                      flush=True)
    report.update({"machine": machine_info(prosimos), "reference": rows, "ratios": ratios,
                   "agreement": agreements, "sample": sample_rows,
                   "sample_prosimos": NO_PROSIMOS_EXPORT,
                   "targets": {"ours_over_prosimos": 3.0, "ours_over_bare": 0.5}})
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "speed.json").write_text(json.dumps(report, indent=1, default=float) + "\n",
                                             encoding="utf-8")
    (args.results / "speed.md").write_text(markdown(report), encoding="utf-8")
    print(f"Results written to {args.results / 'speed.md'} and speed.json")


if __name__ == "__main__":
    main()
