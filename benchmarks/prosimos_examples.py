"""Prosimos's own example models through ``l2c import-bps``: refused clearly, or simulated alike.

The example models of the Prosimos project (``testing_scripts/assets`` and
``bimp_test_examples`` of github.com/AutomatedProcessImprovement/Prosimos) are not ours to
redistribute, so they are copied by hand into the git-ignored ``benchmarks/.prosimos-examples``,
one folder per model holding its BPMN file and its parameters JSON (``SOURCES.md`` there says
where each came from). For every such pair this script

1. imports it with ``calibration.bps.import_bps``; a refusal must be a ``PlannerError`` that
   names what is not supported (anything else is reported as a crash);
2. runs Prosimos (its own virtual environment, see ``benchmarks/speed.py``) on the files as
   they are, ``--cases`` cases for each of ``--seeds``, the first case at Monday 2024-01-01
   00:00 UTC, and our engine on the imported model from the same moment with the same seeds
   (for a refused model, Prosimos runs a few cases only, to tell whether it can);
3. compares the cases, pooled over the seeds: the cycle time (first task start to last task
   end, as both logs show it: Prosimos logs tasks only) by a two-sample Kolmogorov-Smirnov
   test (p > 0.01); its median and P90 by the share of each engine's cases at or below the
   pooled quantile, and its mean and how often each task runs per case, each within 3.29
   standard errors. Cases that queue behind each other are alike, so every sample size is
   an effective one: the cases divided by the variance inflation that batch means measure
   (see ``inflation``); a busy model's thousands of cases may be worth a few dozen;
4. where the import notes state a difference by design, runs Prosimos once more on a copy of
   the parameters without it: Prosimos 1 ``expon`` lists, which Prosimos 2 reads by position
   in its own order, rewritten in that order with the same meaning. What remains (arrivals,
   routing, pools, calendars, durations) is then compared as above. (Arrivals need no
   aligning: the import keeps Prosimos's gaps and the engine places them as Prosimos does.)

    .venv/bin/python benchmarks/prosimos_examples.py [--dir DIR] [--cases 2000] [--seeds 1 2 3]

writes ``benchmarks/results/prosimos_examples.md`` and ``.json`` (figures, no model contents)
and, into each imported model's folder, ``prosimos_log.csv.gz`` and ``prosimos_log.json``:
Prosimos's tasks of the comparison that counts (the aligned run where there is one), which
``tests/test_prosimos_examples.py`` compares our engine with, so that it needs no Prosimos.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import math
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from harness import RESULTS, ROOT, machine_info, run_child
from prosimos_reference_log import file_sha256, gzipped, whole_second
from scipy import stats
from speed import PROSIMOS_START, PROSIMOS_VERSION, prosimos_python

from calibration.bps import import_bps
from calibration.bps.bpmn import NS, TASK_TAGS
from calibration.bps.durations import parse_spec
from calibration.bps.files import read_bpmn, read_params
from sim.engine import simulate
from sim.errors import PlannerError
from sim.model import ProcessModel

EXAMPLES = ROOT / "benchmarks" / ".prosimos-examples"
LOG_NAME, META_NAME = "prosimos_log.csv.gz", "prosimos_log.json"
COLUMNS = ("seed", "case_id", "activity", "start_time", "end_time")
KS_ALPHA = 0.01
Z = 3.29  # two-sided 0.1%: shares below the pooled quantiles, means, task counts
BATCHES = (1, 2, 10)  # batches per seed, to tell how alike neighbouring cases are
FEW = 100  # effective cases below which "agree" only means "no difference found"
PROBE_CASES = 200  # a refused model: does Prosimos run it at all?
DIALECT_NOTE = "in Prosimos 1 order"  # what the import notes must say for what ``aligned`` removes
TAIL = 50  # an exponential cut this many means out loses nothing (e^-50)
GATEWAYS = {"exclusiveGateway": "XOR", "parallelGateway": "AND", "inclusiveGateway": "OR",
            "eventBasedGateway": "event-based"}
EVENTS = {"intermediateCatchEvent": "catch event", "intermediateThrowEvent": "throw event",
          "boundaryEvent": "boundary event", "subProcess": "sub-process"}


@dataclass(frozen=True)
class Pair:
    name: str
    bpmn: Path
    params: Path


def find_pairs(folder: Path) -> list[Pair]:
    """Every subfolder holding exactly one BPMN file and one parameters JSON."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        bpmn = sorted(sub.glob("*.bpmn"))
        params = [p for p in sorted(sub.glob("*.json")) if p.name != META_NAME]
        if len(bpmn) == 1 and len(params) == 1:
            found.append(Pair(sub.name, bpmn[0], params[0]))
    return found


def elements(bpmn: Path) -> str:
    """``16 tasks, 4 XOR`` : what the diagram's processes hold."""
    processes = read_bpmn(bpmn).findall(f"{{{NS}}}process")
    tags = Counter(child.tag.rpartition("}")[2] for process in processes for child in process)
    tasks = sum(tags[t] for t in TASK_TAGS)
    parts = [f"{tasks} task{'s' if tasks != 1 else ''}"]
    for kinds in (GATEWAYS, EVENTS):
        parts += [f"{tags[tag]} {label}" for tag, label in kinds.items() if tags[tag]]
    return ", ".join(parts) + (f" ({len(processes)} processes)" if len(processes) > 1 else "")


# ------------------------------------------------------------------- aligning Prosimos


def aligned(params: dict) -> tuple[dict, dict[str, str]]:
    """The parameters without the differences our import states: the copy, and for each
    change what it was and the words of the import note that must state it.

    Prosimos 1 ``expon`` lists are rewritten in Prosimos 2 order: ``[loc, scale, min, max]``
    draws ``m + Exp(scale)`` up to ``max`` with ``m = max(loc, min)`` (the exponential
    forgets its past), which Prosimos 2 writes ``[m + scale, m, max]``.
    """
    data = copy.deepcopy(params)
    changes = {}
    rewritten = [d for d in _distributions(data) if _rewrite_prosimos1_expon(d)]
    if rewritten:
        changes[f"{len(rewritten)} Prosimos 1 expon list(s) in Prosimos 2 order"] = DIALECT_NOTE
    return data, changes


def _distributions(data: dict) -> list[dict]:
    found = [data["arrival_time_distribution"], *(data.get("event_distribution") or [])]
    for entry in data.get("task_resource_distribution", []):
        found += entry.get("resources", [])
    return found


def _rewrite_prosimos1_expon(dist: dict) -> bool:
    if dist.get("distribution_name") != "expon" or not parse_spec(dist, "expon").legacy:
        return False
    values = [float(v["value"] if isinstance(v, dict) else v) for v in dist["distribution_params"]]
    loc, scale, low, high = (*values, 0.0, math.inf)[:4]
    start = max(loc, low, 0.0)
    high = high if math.isfinite(high) else start + TAIL * scale
    dist["distribution_params"] = [{"value": v} for v in (start + scale, start, high)]
    return True


def cannot_align(params: dict) -> list[str]:
    """Prosimos 1 lists Prosimos 2 would misread that ``aligned`` cannot rewrite."""
    return [parse_spec(d, "?").text for d in _distributions(params)
            if parse_spec(d, "?").legacy and d.get("distribution_name") != "expon"]


# ----------------------------------------------------------------------------- running


class ProsimosError(RuntimeError):
    """Prosimos stopped with an error (its last line is the message)."""


def run_prosimos(python: Path, bpmn: Path, params: Path, cases: int, seeds: list[int]
                 ) -> tuple[pd.DataFrame, dict]:
    """Prosimos's task instances (``COLUMNS``, times whole seconds UTC) and its versions."""
    frames, versions = [], {}
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            raw = Path(folder) / f"{seed}.csv"
            try:
                versions = run_child("prosimos_log", bpmn, params, cases, seed, PROSIMOS_START,
                                     raw, python=python, root=None)
            except RuntimeError as failed:
                lines = str(failed).strip().splitlines()
                raise ProsimosError(lines[-1][:300]) from failed
            if not raw.exists():
                raise ProsimosError("no log written")
            log = pd.read_csv(raw, dtype={"case_id": str})
            log["seed"] = seed
            frames.append(log)
    if versions.get("prosimos") != PROSIMOS_VERSION:
        raise SystemExit(f"expected Prosimos {PROSIMOS_VERSION}, ran {versions.get('prosimos')}")
    log = pd.concat(frames, ignore_index=True)
    for column in ("start_time", "end_time"):
        log[column] = log[column].map(whole_second)
    return log[list(COLUMNS)], versions


def run_ours(model: ProcessModel, cases: int, seeds: list[int]) -> tuple[pd.DataFrame, int]:
    """Our task instances (``COLUMNS``) and the number of cases left open."""
    tasks = [name for name, a in model.activities.items() if a.kind == "staffed"]
    frames, still_open = [], 0
    for seed in seeds:
        result = simulate(model, cases=cases, seed=seed, start=PROSIMOS_START[:10])
        still_open += len(result.open_cases)
        events = result.log.events
        events = events[events["activity"].isin(tasks)].assign(seed=seed)
        frames.append(events)
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)], still_open


@dataclass(frozen=True)
class Cases:
    """One engine's cases, by seed and then first task start: cycle hours and task counts."""

    seed: np.ndarray
    hours: np.ndarray
    counts: pd.DataFrame  # one column per task: how often it ran in the case

    def __len__(self) -> int:
        return len(self.hours)


def per_case(log: pd.DataFrame) -> Cases:
    """The cases of a log of task instances (``COLUMNS``); cycle: first start to last end."""
    log = log.assign(case=log["seed"].astype(str) + "/" + log["case_id"].astype(str),
                     start=pd.to_datetime(log["start_time"]), end=pd.to_datetime(log["end_time"]))
    cases = log.groupby("case")
    frame = pd.DataFrame({"seed": cases["seed"].first(), "first": cases["start"].min(),
                          "hours": (cases["end"].max() - cases["start"].min()).dt.total_seconds()
                          / 3600}).sort_values(["seed", "first"], kind="stable")
    counts = pd.crosstab(log["case"], log["activity"]).reindex(frame.index)
    return Cases(frame["seed"].to_numpy(), frame["hours"].to_numpy(), counts)


# ----------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def inflation(values: np.ndarray, seed: np.ndarray) -> float:
    """By how much cases that follow each other are alike: the variance of a mean of ``n``
    of them is ``inflation * variance / n`` (1 for independent cases).

    Batch means: each seed's cases, in order, are cut into batches, and the spread of the
    batch means around the mean of all (so differences between seeds count too) is set
    against the spread of single cases. A busy model's cases queue behind each other, and a
    few thousand of them say no more than a few dozen independent ones would; near
    saturation the queue drifts for the whole run, which only long batches see, so the
    larger of the estimates from ``BATCHES`` counts is taken.
    """
    total = float(np.var(values, ddof=1)) if len(values) > 1 else 0.0
    if total == 0:
        return 1.0
    grand = values.mean()
    found = 1.0
    for count in BATCHES:
        terms = [len(batch) * (batch.mean() - grand) ** 2 for run in np.unique(seed)
                 for batch in np.array_split(values[seed == run], count) if len(batch)]
        found = max(found, sum(terms) / (len(terms) - 1) / total)
    return found


def z_means(a: np.ndarray, seed_a: np.ndarray, b: np.ndarray, seed_b: np.ndarray) -> float:
    """The difference of two means in standard errors, allowing for alike neighbours."""
    se = math.sqrt(inflation(a, seed_a) * np.var(a, ddof=1) / len(a)
                   + inflation(b, seed_b) * np.var(b, ddof=1) / len(b))
    diff = float(a.mean() - b.mean())
    return 0.0 if diff == 0 else diff / (se or 1e-12)


def ks_test(ours: Cases, theirs: Cases) -> tuple[float, float, float, float]:
    """Two-sample Kolmogorov-Smirnov on cycle times: D, p, and the effective sizes used.

    The sizes are the cases divided by the inflation of the indicator "cycle time at most
    where D is largest": near the median, busy days make cases far more alike than their
    cycle times as a whole show."""
    result = stats.ks_2samp(ours.hours, theirs.hours)
    d, at = float(result.statistic), float(result.statistic_location)
    a, b = (len(c) / inflation((c.hours <= at) * 1.0, c.seed) for c in (ours, theirs))
    m = a * b / (a + b)
    return d, float(stats.kstwobign.sf((math.sqrt(m) + 0.12 + 0.11 / math.sqrt(m)) * d)), a, b


def compare(ours: Cases, theirs: Cases) -> list[Check]:
    """Cycle time and task counts per case: ours against Prosimos's (module docstring)."""
    d, p, n_ours, n_theirs = ks_test(ours, theirs)
    checks = [Check("cycle-time KS", p > KS_ALPHA, f"D {d:.3f}, p {p:.3g} (effective cases "
                                                   f"{n_ours:,.0f} / {n_theirs:,.0f})")]
    both = np.concatenate([ours.hours, theirs.hours])
    for label, share in (("median", 0.5), ("P90", 0.9)):
        cut = float(np.quantile(both, share))
        below_a, below_b = (ours.hours <= cut) * 1.0, (theirs.hours <= cut) * 1.0
        z = z_means(below_a, ours.seed, below_b, theirs.seed)
        checks.append(Check(
            f"{label} cycle time", abs(z) < Z,
            f"{np.quantile(ours.hours, share):.2f} h vs {np.quantile(theirs.hours, share):.2f} "
            f"h; at or below the pooled {label} {cut:.2f} h: {below_a.mean():.1%} vs "
            f"{below_b.mean():.1%}, z {z:+.1f}"))
    z = z_means(ours.hours, ours.seed, theirs.hours, theirs.seed)
    checks.append(Check("mean cycle time", abs(z) < Z,
                        f"{ours.hours.mean():.2f} h vs {theirs.hours.mean():.2f} h, z {z:+.1f}"))
    for task in sorted(set(ours.counts.columns) | set(theirs.counts.columns)):
        a, b = (c.counts.get(task, pd.Series(0, index=c.counts.index)).to_numpy(float)
                for c in (ours, theirs))
        z = z_means(a, ours.seed, b, theirs.seed)
        checks.append(Check(f"'{task}' per case", abs(z) < Z,
                            f"{a.mean():.3f} vs {b.mean():.3f}, z {z:+.1f}"))
    return checks


# ------------------------------------------------------------------------------ one pair


@dataclass
class Run:
    """One comparison with Prosimos: on the files as written, or aligned."""

    prosimos_input: str
    changes: list[str] = field(default_factory=list)
    prosimos_cases: int = 0
    our_cases: int = 0
    our_open: int = 0
    effective: tuple[float, float] = (0.0, 0.0)
    median: tuple[float, float] = (0.0, 0.0)
    p90: tuple[float, float] = (0.0, 0.0)
    mean: tuple[float, float] = (0.0, 0.0)
    ks_p: float = 0.0
    checks: list[dict] = field(default_factory=list)
    verdict: str = ""


@dataclass
class Outcome:
    name: str
    files: list[str]
    elements: str
    imported: bool
    refusal: str | None = None
    notes: list[str] = field(default_factory=list)
    prosimos: str = ""  # for a refused model: whether Prosimos runs it
    runs: list[Run] = field(default_factory=list)


def compared(label: str, changes: list[str], ours: Cases, open_cases: int,
             log: pd.DataFrame) -> Run:
    theirs = per_case(log)
    checks = compare(ours, theirs)
    failed = [c for c in checks if not c.passed]
    _, p, *sizes = ks_test(ours, theirs)  # as in ``compare``: its p and effective sizes
    verdict = "agree"
    if failed:
        verdict = "differ: " + "; ".join(f"{c.name} {c.detail}" for c in failed[:3]) + (
            f"; and {len(failed) - 3} more" if len(failed) > 3 else "")
    elif min(sizes) < FEW:
        verdict = (f"no difference found, but the cycle times are worth only {min(sizes):.0f} "
                   "independent cases: the model runs near or over capacity, so its cases "
                   "queue behind each other and a run drifts as a whole")
    return Run(
        label, changes, len(theirs), len(ours), open_cases, effective=(sizes[0], sizes[1]),
        median=(float(np.median(ours.hours)), float(np.median(theirs.hours))),
        p90=(float(np.quantile(ours.hours, 0.9)), float(np.quantile(theirs.hours, 0.9))),
        mean=(float(ours.hours.mean()), float(theirs.hours.mean())), ks_p=p,
        checks=[asdict(c) for c in checks], verdict=verdict)


def examine(pair: Pair, python: Path, cases: int, seeds: list[int]) -> Outcome:
    outcome = Outcome(pair.name, [pair.bpmn.name, pair.params.name], elements(pair.bpmn),
                      imported=False)
    try:
        imported = import_bps(pair.bpmn, pair.params)
    except PlannerError as error:
        outcome.refusal = str(error)
        try:
            run_prosimos(python, pair.bpmn, pair.params, PROBE_CASES, seeds[:1])
            outcome.prosimos = f"Prosimos runs it ({PROBE_CASES} cases tried)"
        except ProsimosError as failure:
            outcome.prosimos = f"Prosimos fails too: {failure}"
        return outcome
    except Exception as error:  # a crash is a finding: reported, not raised
        outcome.refusal = f"CRASH {type(error).__name__}: {error}"
        return outcome
    outcome.imported, outcome.notes = True, imported.notes
    our_log, open_cases = run_ours(imported.model, cases, seeds)
    ours = per_case(our_log)
    params = read_params(pair.params)
    fixed, changes = aligned(params)
    unstated = [text for text, words in changes.items()
                if not any(words in note for note in imported.notes)]
    variants: list[tuple[str, dict[str, str], Path]] = [("as written", {}, pair.params)]
    meta: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        if changes and not cannot_align(params):
            copy_path = Path(folder) / pair.params.name
            copy_path.write_text(json.dumps(fixed), encoding="utf-8")
            variants.append(("aligned", changes, copy_path))
        for label, changed, path in variants:  # the last one counts: aligned where there is one
            meta = {"prosimos_input": label, "changes": list(changed),
                    "stated": list(changed.values()), "cases": cases, "seeds": seeds,
                    "start": PROSIMOS_START}
            try:
                log, meta["prosimos_environment"] = run_prosimos(python, pair.bpmn, path, cases,
                                                                 seeds)
            except ProsimosError as failure:
                outcome.runs.append(Run(label, list(changed), verdict=f"Prosimos fails: {failure}"))
                meta |= {"prosimos_error": str(failure)}
                continue
            run = compared(label, list(changed), ours, open_cases, log)
            if unstated and changed:
                run.verdict = f"differ: not stated in the import notes: {'; '.join(unstated)}"
            outcome.runs.append(run)
    record(pair, meta, log if "prosimos_error" not in meta else None)
    return outcome


def record(pair: Pair, meta: dict, log: pd.DataFrame | None) -> None:
    """Prosimos's tasks and how they were made, for the test (see the module docstring)."""
    meta["model_sha256"] = {p.name: file_sha256(p) for p in (pair.bpmn, pair.params)}
    if log is not None:
        text = io.StringIO(newline="")
        log.to_csv(text, index=False, lineterminator="\n")
        packed = gzipped(text.getvalue().encode("utf-8"))
        (pair.bpmn.parent / LOG_NAME).write_bytes(packed)
        meta["log_sha256"] = hashlib.sha256(packed).hexdigest()
    (pair.bpmn.parent / META_NAME).write_text(json.dumps(meta, indent=1) + "\n",
                                              encoding="utf-8")


# -------------------------------------------------------------------------------- report


def cell(text: str, limit: int = 240) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown(report: dict) -> str:
    m = report["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    prosimos = ", ".join(f"{k} {v}" for k, v in m.get("prosimos_environment", {}).items())
    lines = [
        "# Prosimos's example models through `l2c import-bps`", "",
        f"Written by `benchmarks/prosimos_examples.py` on {report['date']}. Machine: {m['cpu']}, "
        f"{m['cores']} cores, {m['memory_gb']} GB RAM, {m['platform']}, Python {m['python']}. "
        f"Versions: {versions}; Prosimos environment: {prosimos}.", "",
        "Models: the example models of the Prosimos project (github.com/"
        "AutomatedProcessImprovement/Prosimos, `testing_scripts/assets`), copied into the "
        "git-ignored `benchmarks/.prosimos-examples` (their contents are not in this "
        "repository; `SOURCES.md` there gives the path and commit of every file). "
        f"Each imported model runs {report['cases']:,} cases for each seed of {report['seeds']} "
        "in both engines from Monday 2024-01-01 00:00 UTC; the figures pool the seeds. Cycle "
        "time: first task start to last task end (Prosimos logs tasks only). Verdict: agree "
        f"when the two-sample KS test gives p > {KS_ALPHA}, the shares of cases at or below "
        "the pooled median and P90, the mean cycle time and every task's runs per case differ "
        f"by less than {Z} standard errors. Sample sizes are effective ones: cases queue behind "
        "each other, so the cases are divided by the variance inflation that batch means "
        f"measure (the largest with {', '.join(map(str, BATCHES))} batches per seed; the table "
        "gives the effective cases of each engine for the KS test; with fewer than "
        f"{FEW} in either, passing the checks says only that no difference was found). "
        "*Aligned*: Prosimos run on a copy of the parameters without the differences the "
        "import states (see below the table).", "",
        "| model | elements | imported? | refusal reason | Prosimos run | cases (effective), "
        "ours / Prosimos | median h, ours / Prosimos | P90 h, ours / Prosimos | KS p | "
        "verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in report["models"]:
        if not o["imported"]:
            lines.append(f"| {o['name']} | {o['elements']} | no | {cell(o['refusal'], 400)} | "
                         f"{cell(o['prosimos'])} | | | | | refused |")
            continue
        for r in o["runs"]:
            still_open = f" + {r['our_open']:,} open" if r["our_open"] else ""
            figures = (f"{r['our_cases']:,}{still_open} ({r['effective'][0]:,.0f}) / "
                       f"{r['prosimos_cases']:,} ({r['effective'][1]:,.0f}) | "
                       f"{r['median'][0]:.2f} / {r['median'][1]:.2f} | "
                       f"{r['p90'][0]:.2f} / {r['p90'][1]:.2f} | {r['ks_p']:.3g}"
                       if r["prosimos_cases"] else " | | | ")
            run = r["prosimos_input"] + (f" ({'; '.join(r['changes'])})" if r["changes"] else "")
            lines.append(f"| {o['name']} | {o['elements']} | yes | | {cell(run)} | {figures} | "
                         f"{cell(r['verdict'], 400)} |")
    lines += ["", "## The differences the import states", "",
              "Where the parameters call for them, the import notes (printed by `l2c import-bps` "
              "and by this script, not copied here: they quote the models' parameters) say that "
              "parameters written in Prosimos 1 (scipy.stats) order "
              "are read that way, while Prosimos 2.1 reads the same numbers by position in its "
              "own order (`expon [600, 60, 600, 1800]`, 600 s plus an exponential of mean 60 s "
              "in Prosimos 1, becomes mean 600 s, minimum 60 s, maximum 600 s). The "
              "*as written* rows show what this difference does; the *aligned* rows remove "
              "exactly it from Prosimos's input and compare the rest. Arrivals need no "
              "aligning: the import keeps Prosimos's gaps between arrivals and the engine places "
              "them on the arrival calendar as Prosimos does (where a gap distribution has no "
              "exact equivalent here, the notes say it is replaced by a fitted one).", "",
              "## Every check", ""]
    for o in report["models"]:
        for r in o["runs"]:
            if r["checks"]:
                lines.append(f"- **{o['name']}**, Prosimos {r['prosimos_input']}: " + "; ".join(
                    f"{'PASS' if c['passed'] else 'FAIL'} {c['name']} {c['detail']}"
                    for c in r["checks"]))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=EXAMPLES, help="folder of model folders")
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    pairs = find_pairs(args.dir) if args.dir.is_dir() else []
    if not pairs:
        raise SystemExit(f"No model folders in {args.dir}: copy the Prosimos example models "
                         "there first (one folder per model with its .bpmn and .json).")
    python = prosimos_python()
    models = []
    for pair in pairs:
        began = time.perf_counter()
        outcome = examine(pair, python, args.cases, args.seeds)
        models.append(asdict(outcome) | {"notes": len(outcome.notes)})  # they quote models
        head = f"{pair.name:<28} {outcome.elements:<32}"
        if not outcome.imported:
            print(f"{head} refused: {outcome.refusal}\n{'':<61} {outcome.prosimos}", flush=True)
        for note in outcome.notes[1:]:
            print(f"{'':<61} note: {note}", flush=True)
        for r in outcome.runs:
            print(f"{head} {r.prosimos_input:<10} {r.verdict}", flush=True)
        print(f"{'':<61} ({time.perf_counter() - began:.0f} s)", flush=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "cases": args.cases,
              "seeds": args.seeds, "machine": machine_info(python), "models": models}
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "prosimos_examples.json").write_text(
        json.dumps(report, indent=1, default=float) + "\n", encoding="utf-8")
    (args.results / "prosimos_examples.md").write_text(markdown(report), encoding="utf-8")
    print(f"Results written to {args.results / 'prosimos_examples.md'} and .json")


if __name__ == "__main__":
    main()
