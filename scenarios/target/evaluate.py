"""Evaluating a plan of lever settings: R replications with one seed, one KPI statistic.

Every plan runs replications 0..R-1 with the same seed (common random numbers), so plan and
baseline meet the same arrivals, attributes and routing draws, and two nearby settings of a
lever differ only by the change: the search sees a smooth, repeatable curve instead of
noise. Each replication is simulated and measured in a worker process, which sends back its
KPIs, not a log; they are kept in the replication cache (``sim.replication_cache``), so the
baseline the Compare page ran, or a question asked again, is read instead of simulated.
Results are also cached by plan: a goal seek never simulates a setting twice. Each
replication's cost drivers and money KPIs are kept too, so a proposal can be priced
(``scenarios.target.money``) without running it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenarios.target.goal import check_stat, stat_of
from scenarios.target.levers import Lever, Plan, apply_plan
from sim.cost_drivers import CostDrivers
from sim.errors import PlannerError, did_you_mean
from sim.kpis.replications import t_interval
from sim.kpis.result import KpiResult
from sim.measure_many import measure_many
from sim.measured import Measured
from sim.model import ProcessModel
from sim.replication_cache import ReplicationCache
from sim.run_length import RunLength

MONEY_KPIS = ("revenue_won", "cash_collected")  # what a business case reads of the KPIs
Progress = Callable[[int, int, str], None]  # (runs done, runs expected, what is running)


@dataclass(frozen=True)
class Measure:
    """One replication's statistic, and what a worker knows when the KPI is missing."""

    value: float
    unit: str | None = None
    label: str = ""
    note: str = ""
    known: tuple[str, ...] = ()  # the KPI ids there are, when ``kpi`` is not one of them
    drivers: CostDrivers | None = None  # what the replication's costs are priced from
    money: tuple[KpiResult, ...] = ()  # its revenue and cash KPIs, for a business case


def measure_of(measured: Measured, kpi: str, stat: str) -> Measure:
    """One KPI statistic of a measured replication, with what prices it."""
    results = [r for r in measured.kpis if r.group is None]
    money = tuple(r for r in results if r.id in MONEY_KPIS)
    for r in results:
        if r.id == kpi:
            return Measure(stat_of(r, stat), r.unit, r.label, r.note, (), measured.drivers,
                           money)
    return Measure(math.nan, known=tuple(r.id for r in results))


@dataclass(frozen=True)
class Evaluation:
    """A plan's statistic per replication, its mean and 95% interval, and the paired
    difference from the baseline (same replications) with its own interval."""

    plan: Plan
    values: tuple[float, ...]
    baseline: tuple[float, ...]
    drivers: tuple[CostDrivers | None, ...] = ()  # per replication, for a business case
    money: tuple[tuple[KpiResult, ...], ...] = ()

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        v, b = np.array(self.values, float), np.array(self.baseline, float)
        keep = np.isfinite(v) & np.isfinite(b)
        return v[keep], b[keep]

    @property
    def replications(self) -> int:
        return int(np.isfinite(np.array(self.values, float)).sum())

    @property
    def mean(self) -> float | None:
        v = np.array(self.values, float)
        v = v[np.isfinite(v)]
        return float(v.mean()) if v.size else None

    @property
    def interval(self) -> tuple[float | None, float | None]:
        v = np.array(self.values, float)
        return t_interval(v[np.isfinite(v)])

    @property
    def diff(self) -> float | None:
        v, b = self._pairs()
        return float((v - b).mean()) if v.size else None

    @property
    def diff_interval(self) -> tuple[float | None, float | None]:
        v, b = self._pairs()
        return t_interval(v - b)

    @property
    def pct_change(self) -> float | None:
        v, b = self._pairs()
        return float(v.mean() / b.mean() - 1) if v.size and b.mean() != 0 else None

    def to_dict(self) -> dict[str, object]:
        low, high = self.interval
        d_low, d_high = self.diff_interval
        return {"value": _clean(self.mean), "ci_low": _clean(low), "ci_high": _clean(high),
                "diff": _clean(self.diff), "diff_ci_low": _clean(d_low),
                "diff_ci_high": _clean(d_high), "pct_change": _clean(self.pct_change),
                "replications": self.replications}


def _clean(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


class Evaluator:
    """Runs plans on one baseline model with fixed replications and seed, and caches them.

    ``run`` is passed to ``simulate`` (cases, days, start, warmup_days). ``n_jobs`` is
    joblib's (-1: every core; 1: in this process).
    """

    def __init__(self, baseline: ProcessModel, levers: dict[str, Lever], kpi: str,
                 stat: str = "median", replications: int = 5, seed: int = 1,
                 n_jobs: int = -1, run: RunLength | None = None,
                 progress: Progress | None = None, store: ReplicationCache | None = None
                 ) -> None:
        if isinstance(replications, bool) or not isinstance(replications, int) \
                or replications < 1:
            raise PlannerError(f"replications must be a whole number >= 1 (got "
                               f"{replications!r}).")
        self.model = baseline
        self.levers = levers
        self.kpi = kpi
        self.stat = check_stat(stat)
        self.replications = replications
        self.seed = seed
        self.n_jobs = n_jobs
        self.run = RunLength(**run or {})
        self.progress = progress
        self.store = ReplicationCache.default() if store is None else store
        self.cache: dict[Plan, Evaluation] = {}
        self.unit: str | None = None
        self.label = kpi
        self.runs_done = 0
        self.runs_expected = 0
        self._baseline: tuple[float, ...] | None = None

    def expect(self, evaluations: int) -> None:
        """Tell the progress display about up to this many more evaluations."""
        self.runs_expected += evaluations * self.replications

    @property
    def baseline(self) -> Evaluation:
        return self.evaluate(())

    def evaluate(self, plan: Plan, what: str = "") -> Evaluation:
        return self.evaluate_many([plan], what)[0]

    def evaluate_many(self, plans: list[Plan], what: str = "") -> list[Evaluation]:
        """Evaluate several plans in one parallel batch (cached ones are not rerun)."""
        if self._baseline is None and () not in plans:
            self.evaluate((), "baseline")
        todo = list(dict.fromkeys(p for p in plans if p not in self.cache))
        if todo:
            measured = self._run(todo, what)
            for plan in todo:
                values = tuple(m.value for m in measured[plan])
                assert self._baseline is not None
                self.cache[plan] = Evaluation(plan, values, self._baseline,
                                              tuple(m.drivers for m in measured[plan]),
                                              tuple(m.money for m in measured[plan]))
        return [self.cache[p] for p in plans]

    def _run(self, plans: list[Plan], what: str) -> dict[Plan, list[Measure]]:
        models = {plan: apply_plan(self.model, self.levers, plan) for plan in plans}
        jobs = [(plan, r) for plan in plans for r in range(self.replications)]
        self.runs_expected = max(self.runs_expected, self.runs_done + len(jobs))
        found: dict[Plan, list[Measure]] = {plan: [] for plan in plans}
        for plan, measured in measure_many(models, jobs, self.seed, self.run, self.n_jobs,
                                           self.store, detail=False):
            found[plan].append(measure_of(measured, self.kpi, self.stat))
            self.runs_done += 1
            if self.progress is not None:
                self.progress(self.runs_done, self.runs_expected, what)
            if plan == () and len(found[()]) == self.replications:
                self._check_baseline(found[()])  # a wrong KPI stops before the rest runs
        return found

    def _check_baseline(self, measures: list[Measure]) -> None:
        """The KPI must exist and be measured in the baseline's replications."""
        known = next((m.known for m in measures if m.known), ())
        if known:
            raise PlannerError(f"No KPI '{self.kpi}'.{did_you_mean(self.kpi, known)} KPIs: "
                               f"{', '.join(k for k in known if ':' not in k)} (and per "
                               "activity, e.g. waiting_time:<activity>).")
        values = [m.value for m in measures]
        if not any(math.isfinite(v) for v in values):
            note = next((m.note for m in measures if m.note), "")
            raise PlannerError(f"KPI '{self.kpi}' cannot be measured on this model's runs"
                               f"{': ' + note if note else ''}. Try a longer run (--days) or "
                               "another KPI.")
        self.unit = next(m.unit for m in measures if m.unit)
        self.label = next(m.label for m in measures if m.label)
        self._baseline = tuple(values)
