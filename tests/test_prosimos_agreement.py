"""An imported Prosimos model reproduces Prosimos's own log of it, within sampling noise.

The reference is ``tests/data/prosimos/lead_to_cash_prosimos_log.csv.gz``: the log Prosimos
2.1.0 wrote for the project's reference model ``benchmarks/models/lead_to_cash.bpmn`` +
``.json`` (3,000 cases, seed 1; recorded by ``benchmarks/prosimos_reference_log.py``, since
CI has no Prosimos). Ours: the same two files through ``import_bps``, simulated by our engine
for 3,000 cases with each of ``SEEDS`` (pooled, 15,000 cases). Per case: the cycle time
(first task start to last task end), the outcome (the last task) and the number of task
instances, over the model's 12 tasks (Prosimos does not log the payment timer; our log has it
as an activity, which is left out).

The checks, each a two-sample comparison whose tolerance comes from the sample sizes:

* cycle-time distribution: two-sample Kolmogorov-Smirnov, p > 0.01;
* median and P90 cycle time: the difference within the root-sum-square of the half-widths
  of the two sample quantiles' distribution-free (order-statistic) 99.9% intervals;
* the share of each outcome: two-proportion z-test, |z| < 3.29 (two-sided 0.1%);
* task instances per case: the difference of the means over its standard error (Welch),
  |z| < 3.29.

The quantile, share and count checks are at 0.1% each because there are seven of them, and
the KS test is at 1%: for two fresh samples of a faithful engine the chance that one of the
eight fails is at most about 2% (Bonferroni). The recorded log is one fixed draw, a little
below the model's means (median 18.2 h against about 19.3 h, 6.63 tasks a case against the
model's 6.81); against it, 2 of 100 sets of five other seeds gave a KS p below 0.01 (and
failed nothing else), so a change of our random streams can, rarely, fail this test without
a fault. Five Prosimos logs (15,000 cases) and five of ours agree at KS p 0.96. Our seeds
are pooled rather than checked one by one for the same reason.

Negative controls show the checks can fail: with "Create quote" (a one-hour task, on about
half the cases) taking twice as long the KS test fails; with 25% instead of 30% of leads
lost at qualification the Lead-lost share and the task count fail.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calibration.bps import import_bps
from sim.engine import simulate
from sim.model import END, ProcessModel

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "benchmarks" / "models"
BPMN, PARAMS = MODELS / "lead_to_cash.bpmn", MODELS / "lead_to_cash.json"
DATA = Path(__file__).parent / "data" / "prosimos"
LOG = DATA / "lead_to_cash_prosimos_log.csv.gz"
META = DATA / "lead_to_cash_prosimos_log.json"

TASKS = ("Qualify lead", "Create opportunity", "Propose solution", "Create quote",
         "Approve quote", "Send quote", "Sign contract", "Create order", "Fulfil order",
         "Generate invoice", "Send invoice", "Receive payment")
OUTCOMES = {"Qualify lead": "Lead lost", "Propose solution": "Opportunity lost",
            "Send quote": "Quote rejected", "Receive payment": "Deal won"}
CASES = 3_000
SEEDS = (1, 2, 3, 4, 5)
KS_ALPHA = 0.01
Z = 3.29  # two-sided 0.1%: quantile intervals, shares, task counts
DOUBLED = "Create quote"  # the negative control: this task's duration times 2


# ------------------------------------------------------------------------------ per case


def per_case(events: pd.DataFrame) -> pd.DataFrame:
    """Cycle hours, outcome and task count of each case, from a log of task instances."""
    events = events[events["activity"].isin(TASKS)]
    events = events.sort_values(["case_id", "start_time", "end_time"], kind="stable")
    cases = events.groupby("case_id", sort=False)
    first, end = cases["start_time"].min(), cases["end_time"].max()
    # a case's tasks run one after another: its last row is its last task
    last = events.drop_duplicates("case_id", keep="last").set_index("case_id")["activity"]
    return pd.DataFrame({"hours": (end - first).dt.total_seconds() / 3600,
                         "outcome": last.map(OUTCOMES).fillna("other: " + last),
                         "tasks": cases.size()})


def prosimos_cases() -> pd.DataFrame:
    log = pd.read_csv(LOG, compression="gzip", dtype={"case_id": str},
                      parse_dates=["start_time", "end_time"])
    return per_case(log)


def our_cases(model: ProcessModel, seeds: tuple[int, ...] = SEEDS) -> pd.DataFrame:
    runs = []
    for seed in seeds:
        result = simulate(model, cases=CASES, seed=seed)
        assert not result.open_cases, f"seed {seed}: {len(result.open_cases)} cases open"
        run = per_case(result.log.events)
        run.index = f"{seed}/" + run.index.astype(str)
        runs.append(run)
    return pd.concat(runs)


def doubled(model: ProcessModel, task: str) -> ProcessModel:
    activity = model.activities[task]
    assert activity.processing is not None
    slower = activity.model_copy(update={"processing": activity.processing.scaled(2.0)})
    return model.model_copy(update={"activities": {**model.activities, task: slower}})


def rerouted(model: ProcessModel, task: str, probabilities: dict[str, float]) -> ProcessModel:
    branch = model.routing.branches[task].model_copy(update={"pooled": probabilities})
    routing = model.routing.model_copy(
        update={"branches": {**model.routing.branches, task: branch}})
    return model.model_copy(update={"routing": routing})


# ------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def __str__(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'} {self.name}: {self.detail}"


def quantile_interval(values: np.ndarray, p: float) -> tuple[float, float]:
    """The sample ``p`` quantile and the half-width of its distribution-free interval.

    The interval runs between the order statistics of ranks ``n p -/+ Z sqrt(n p (1 - p))``
    (the normal approximation of the binomial count of values below the true quantile)."""
    values = np.sort(values)
    n = len(values)
    spread = Z * math.sqrt(n * p * (1 - p))
    low = max(math.floor(n * p - spread), 0)
    high = min(math.ceil(n * p + spread), n - 1)
    return float(np.quantile(values, p)), float(values[high] - values[low]) / 2


def compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> list[Check]:
    """The agreement checks of our cases against Prosimos's (see the module docstring)."""
    ks = stats.ks_2samp(ours["hours"], theirs["hours"])
    checks = [Check("cycle-time KS", bool(ks.pvalue > KS_ALPHA),
                    f"D {ks.statistic:.4f}, p {ks.pvalue:.3g} (needs p > {KS_ALPHA})")]
    for label, p in (("median", 0.5), ("P90", 0.9)):
        a, a_half = quantile_interval(ours["hours"].to_numpy(), p)
        b, b_half = quantile_interval(theirs["hours"].to_numpy(), p)
        allowed = math.hypot(a_half, b_half)
        checks.append(Check(f"{label} cycle time", abs(a - b) <= allowed,
                            f"ours {a:.1f} h, Prosimos {b:.1f} h, difference {a - b:+.1f} h, "
                            f"allowed {allowed:.1f} h"))
    n, m = len(ours), len(theirs)
    names = set(OUTCOMES.values()) | set(ours["outcome"]) | set(theirs["outcome"])
    for outcome in sorted(names):
        k = int((ours["outcome"] == outcome).sum())
        j = int((theirs["outcome"] == outcome).sum())
        pooled = (k + j) / (n + m)
        se = math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / n + 1 / m))
        z = (k / n - j / m) / se
        checks.append(Check(f"share {outcome}", abs(z) < Z,
                            f"ours {k / n:.4f}, Prosimos {j / m:.4f}, z {z:+.2f}"))
    a, b = ours["tasks"], theirs["tasks"]
    z = (a.mean() - b.mean()) / math.sqrt(a.var() / n + b.var() / m)
    checks.append(Check("task instances per case", abs(z) < Z,
                        f"ours {a.mean():.3f}, Prosimos {b.mean():.3f}, z {z:+.2f}"))
    return checks


def verdicts(model: ProcessModel, theirs: pd.DataFrame) -> dict[str, Check]:
    return {c.name: c for c in compare(our_cases(model), theirs)}


# -------------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def model() -> ProcessModel:
    return import_bps(BPMN, PARAMS).model


@pytest.fixture(scope="module")
def theirs() -> pd.DataFrame:
    return prosimos_cases()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def test_the_recorded_log_is_of_the_current_model(theirs):
    meta = json.loads(META.read_text(encoding="utf-8"))
    for path in (BPMN, PARAMS):
        assert sha256(path) == meta["model_sha256"][path.name], (
            f"{path.name} changed after Prosimos's log was recorded: re-run "
            "benchmarks/prosimos_reference_log.py (needs Prosimos) and commit its output")
    assert hashlib.sha256(LOG.read_bytes()).hexdigest() == meta["log_sha256"]
    assert len(theirs) == meta["cases"] == CASES
    assert int(theirs["tasks"].sum()) == meta["rows"]
    assert set(theirs["outcome"]) == set(OUTCOMES.values())


def test_our_engine_reproduces_prosimos_on_the_imported_model(model, theirs):
    checks = verdicts(model, theirs)
    assert len(checks) == 8
    failed = [str(c) for c in checks.values() if not c.passed]
    assert not failed, "\n".join(failed)


def test_a_task_taking_twice_as_long_fails_the_cycle_time_check(model, theirs):
    checks = verdicts(doubled(model, DOUBLED), theirs)
    assert not checks["cycle-time KS"].passed, str(checks["cycle-time KS"])
    # the paths are untouched: the shares still agree, only the time is wrong
    assert all(c.passed for name, c in checks.items() if name.startswith("share ")), (
        "\n".join(map(str, checks.values())))


def test_fewer_leads_lost_fails_the_share_and_task_count_checks(model, theirs):
    checks = verdicts(rerouted(model, "Qualify lead", {END: 0.25, "Create opportunity": 0.75}),
                      theirs)
    for name in ("share Lead lost", "task instances per case"):
        assert not checks[name].passed, str(checks[name])
