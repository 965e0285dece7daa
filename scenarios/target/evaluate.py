"""Evaluating a plan of lever settings: replications with one seed, one KPI statistic.

Every plan runs replications 0..R-1 with the same seed (common random numbers), so plan and
baseline meet the same arrivals, attributes and routing draws, and two nearby settings of a
lever differ only by the change: the search sees a smooth, repeatable curve instead of
noise. R is fixed, or grows in batches per plan until the question the plan answers is
decided at the KPI's practical threshold (``scenarios.target.decide``: the rule a
comparison stops by), at most a cap; the baseline then runs the cap once, and a plan run on
fewer replications is read as the baseline's mean plus its paired difference on its own
replications (with a fixed R, its plain mean). Each replication is simulated and measured
in a worker process, which sends back its KPIs, not a log; they are kept in the replication
cache (``sim.replication_cache``), so the baseline the Compare page ran, or a question asked
again, is read instead of simulated. Results are also cached by plan: a goal seek never
simulates a setting twice, and a plan asked for more replications runs only the new ones.
Each replication's cost drivers and money KPIs are kept too, so a proposal can be priced
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
from sim.measure_many import MeasureQueue, in_order
from sim.measured import Measured
from sim.model import ProcessModel
from sim.precision import Replications
from sim.replication_cache import ReplicationCache
from sim.run_length import RunLength

MONEY_KPIS = ("revenue_won", "cash_collected")  # what a business case reads of the KPIs
Progress = Callable[[int, int, str], None]  # (runs done, runs expected, what is running)
Settled = Callable[["Evaluation"], bool]  # whether a plan needs no more replications


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
    reference: float | None = None  # the baseline's mean over more replications than these

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        v, b = np.array(self.values, float), np.array(self.baseline, float)
        keep = np.isfinite(v) & np.isfinite(b)
        return v[keep], b[keep]

    @property
    def replications(self) -> int:
        return int(np.isfinite(np.array(self.values, float)).sum())

    @property
    def _own_mean(self) -> float | None:
        v = np.array(self.values, float)
        v = v[np.isfinite(v)]
        return float(v.mean()) if v.size else None

    @property
    def mean(self) -> float | None:
        """The plan's mean statistic: on fewer replications than the baseline's, the
        baseline's mean plus the paired difference (common random numbers make that far
        more precise than the plan's own few values)."""
        own, diff = self._own_mean, self.diff
        if self.reference is None or own is None or diff is None:
            return own
        return self.reference + diff

    @property
    def interval(self) -> tuple[float | None, float | None]:
        """The 95% interval of the plan's own values, centred on ``mean``."""
        v = np.array(self.values, float)
        low, high = t_interval(v[np.isfinite(v)])
        own, mean = self._own_mean, self.mean
        if low is None or high is None or own is None or mean is None:
            return low, high
        return low + mean - own, high + mean - own

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
                 stat: str = "median", replications: int | Replications = 5, seed: int = 1,
                 n_jobs: int = -1, run: RunLength | None = None,
                 progress: Progress | None = None, store: ReplicationCache | None = None
                 ) -> None:
        if not isinstance(replications, Replications) and (
                isinstance(replications, bool) or not isinstance(replications, int)
                or replications < 1):
            raise PlannerError(f"replications must be a whole number >= 1 (got "
                               f"{replications!r}).")
        self.plan = (replications if isinstance(replications, Replications)
                     else Replications(fixed=replications))
        self.model = baseline
        self.levers = levers
        self.kpi = kpi
        self.stat = check_stat(stat)
        # each plan's first replications; the baseline runs the most any plan may need
        self.replications = next(iter(self.plan.batches()))
        self.base_replications = self.plan.fixed or self.plan.maximum
        self.seed = seed
        self.n_jobs = n_jobs
        self.run = RunLength(**run or {})
        self.progress = progress
        self.store = ReplicationCache.default() if store is None else store
        self.cache: dict[Plan, Evaluation] = {}
        self.measures: dict[Plan, list[Measure]] = {}  # each plan's, replications 0, 1, ...
        self._arrived: dict[Plan, dict[int, Measure]] = {}  # by number, as they finished
        self._asked: dict[Plan, int] = {}
        self.queue: MeasureQueue[Plan] = MeasureQueue(seed, self.run, n_jobs, self.store,
                                                      detail=False)
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

    def evaluate(self, plan: Plan, what: str = "", settled: Settled | None = None
                 ) -> Evaluation:
        return self.evaluate_many([plan], what, settled)[0]

    def evaluate_many(self, plans: list[Plan], what: str = "",
                      settled: Settled | None = None) -> list[Evaluation]:
        """Evaluate several plans on every core: each on its first replications (none run
        twice), then, with an adaptive plan and a rule, more for each plan ``settled`` says
        is not yet decided, a batch at a time up to the cap, queued as soon as that plan's
        batch is in (the others' still running)."""
        if self._baseline is None and () not in plans:
            self.evaluate((), "baseline")
        wanted = {p: self.base_replications if p == () else
                  max(self.replications, len(self.measures.get(p, ()))) for p in plans}
        try:
            return self._until_settled(plans, wanted, what, settled)
        except BaseException:
            self.queue.close()  # a failed or stopped search leaves no work running
            raise

    def _until_settled(self, plans: list[Plan], wanted: dict[Plan, int], what: str,
                       settled: Settled | None) -> list[Evaluation]:
        """Run each plan to its wanted count, and further while ``settled`` says it is not
        decided; each plan judged as soon as its own replications are in."""
        self._ask(wanted, what)
        judged: dict[Plan, int] = {}  # replications each plan was last looked at on
        while True:
            for plan in plans:
                count = len(self.measures.get(plan, ()))
                if self._baseline is None or count < wanted[plan] or judged.get(plan) == count:
                    continue
                judged[plan] = count
                if plan not in self.cache or len(self.cache[plan].values) != count:
                    self.cache[plan] = self._evaluation(plan)
                if (plan != () and self.plan.adaptive and settled is not None
                        and count < self.plan.maximum and not settled(self.cache[plan])):
                    wanted[plan] = min(count + self.plan.batch, self.plan.maximum)
                    self._ask({plan: wanted[plan]}, what)
            if not self.queue.pending:
                return [self.cache[p] for p in plans]
            self._collect(what)

    def _ask(self, wanted: dict[Plan, int], what: str) -> None:
        """Queue each plan's replications up to its count that are neither in nor asked."""
        jobs = [(plan, r) for plan, n in wanted.items()
                for r in range(self._asked.get(plan, 0), n)]
        for plan in dict.fromkeys(plan for plan, _ in jobs):
            if plan not in self.queue.models:
                self.queue.add(plan, apply_plan(self.model, self.levers, plan))
            self._asked[plan] = wanted[plan]
        self.runs_expected = max(self.runs_expected, self.runs_done + self.queue.pending
                                 + len(jobs))
        self.queue.ask(jobs)

    def _collect(self, what: str) -> None:
        """Keep the replications finished since the last call, each plan's in order."""
        for (plan, r), measured in self.queue.done():
            arrived = self._arrived.setdefault(plan, {})
            arrived[r] = measure_of(measured, self.kpi, self.stat)
            self.runs_done += 1
            if self.progress is not None:
                self.progress(self.runs_done, self.runs_expected, what)
            kept = self.measures[plan] = in_order(arrived)
            if plan == () and len(kept) == self.base_replications and self._baseline is None:
                self._check_baseline(kept)  # a wrong KPI stops before the rest runs

    def _evaluation(self, plan: Plan) -> Evaluation:
        """A plan's values paired with the baseline's on the same replications."""
        assert self._baseline is not None
        kept = self.measures[plan]
        base = self._baseline[:len(kept)]
        fewer = len(kept) < len(self._baseline)
        reference = float(np.nanmean(self._baseline)) if fewer else None
        return Evaluation(plan, tuple(m.value for m in kept), base,
                          tuple(m.drivers for m in kept), tuple(m.money for m in kept),
                          reference)

    @property
    def simulated(self) -> int:
        """Replications of every plan so far (simulated or read from the cache)."""
        return sum(map(len, self.measures.values()))

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
