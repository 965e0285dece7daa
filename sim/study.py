"""A comparison study: the baseline and each scenario simulated with the same seeds.

Every model runs replications 0..R-1 with one seed, so replication r of a scenario meets
the same arrivals, attributes and routing draws as replication r of the baseline (common
random numbers) and the paired differences are tight. Besides the KPI table, a study keeps
what the charts need: cycle-time distributions, the funnel, cash in per month, waiting by
activity and utilisation by pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from sim.cashflow import monthly_cash
from sim.compare import Difference, compare
from sim.engine import iter_replications
from sim.kpis import KpiResult, compute_kpis, summarise_replications
from sim.model import ProcessModel

BASELINE = "Baseline"
Progress = Callable[[int, int], None]  # (replications done, replications in all)


@dataclass
class Study:
    """Results of one study: per-replication KPIs, their summaries, differences, charts."""

    names: list[str]  # baseline first
    per_rep: dict[str, list[list[KpiResult]]]
    summaries: dict[str, list[KpiResult]]
    differences: list[Difference]
    charts: dict[str, dict[str, object]] = field(default_factory=dict)
    replications: int = 0
    seed: int = 0
    run: dict[str, object] = field(default_factory=dict)
    stopped: bool = False  # interrupted: what finished is kept, the rest is missing


def run_study(baseline: ProcessModel, scenarios: list[tuple[str, ProcessModel]],
              replications: int = 10, seed: int = 1, n_jobs: int = -1,
              progress: Progress | None = None, **run: object) -> Study:
    """Simulate the baseline and every scenario; ``run`` is passed to ``simulate``
    (cases, days, start, warmup_days)."""
    models = [(BASELINE, baseline), *scenarios]
    names = [name for name, _ in models]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ from each other and from "
                         f"'{BASELINE}': {names}")
    per_rep: dict[str, list[list[KpiResult]]] = {}
    cash: dict[str, list[pd.Series]] = {}
    pools: dict[str, list[pd.Series]] = {}
    total, done = replications * len(models), 0
    stopped = False
    try:
        for name, model in models:
            per_rep[name], cash[name], pools[name] = [], [], []
            for result in iter_replications(model, replications, seed=seed, n_jobs=n_jobs,
                                            **run):
                per_rep[name].append(compute_kpis(result.log))
                cash[name].append(monthly_cash(result.log))
                pools[name].append(result.utilisation.groupby("pool")["share"].mean()
                                   if not result.utilisation.empty else pd.Series(dtype=float))
                done += 1
                if progress is not None:
                    progress(done, total)
    except KeyboardInterrupt:
        stopped = True
    finished = [n for n in names if len(per_rep.get(n, [])) == replications]
    summaries = {n: summarise_replications(per_rep[n]) for n in finished}
    differences = [d for n in finished[1:] if finished[0] == BASELINE
                   for d in compare(n, per_rep[BASELINE], per_rep[n])]
    charts = _charts(finished, summaries, cash, pools)
    return Study(finished, {n: per_rep[n] for n in finished}, summaries, differences, charts,
                 replications, seed, dict(run), stopped)


def _mean_series(series: list[pd.Series]) -> dict[str, float]:
    if not series:
        return {}
    table = pd.concat(series, axis=1).fillna(0.0)
    return {str(k): float(v) for k, v in table.mean(axis=1).sort_index().items()}


def _charts(names: list[str], summaries: dict[str, list[KpiResult]],
            cash: dict[str, list[pd.Series]], pools: dict[str, list[pd.Series]]
            ) -> dict[str, dict[str, object]]:
    """Chart data per study member, as plain JSON-ready values."""
    charts: dict[str, dict[str, object]] = {}
    for name in names:
        kpis = {r.id: r for r in summaries[name] if r.group is None}
        charts[name] = {
            "cycle_times": {k: list(r.quantiles) for k, r in kpis.items()
                            if r.quantiles is not None and r.item is None and r.available},
            "funnel": {r.item: r.value for r in kpis.values()
                       if r.kind == "funnel" and r.item is not None and r.available},
            "waiting": {r.item: r.value for r in kpis.values()
                        if r.kind == "waiting_time" and r.item is not None and r.available},
            "cash": _mean_series(cash[name]),
            "utilisation": _mean_series(pools[name]),
        }
    return charts
