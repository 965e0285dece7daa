"""A comparison study: the baseline and each scenario simulated with the same seeds.

Every model runs replications 0..R-1 with one seed, so replication r of a scenario meets
the same arrivals, attributes and routing draws as replication r of the baseline (common
random numbers) and the paired differences are tight. R is fixed, or each scenario's grows
in batches until its own headline differences are decided at their thresholds
(``sim.precision``), the baseline running as far as the scenario that needs the most: a
scenario decided early does not wait, replicating, for one that is not; each
replication is measured in the worker that simulated it, and read from the replication
cache when it was simulated before (``sim.measure_many``). Besides the KPI table, a study
keeps what the charts need: cycle-time distributions, the funnel, waiting by activity, and
cash in per month and utilisation by pool with their 95% intervals across replications, and
work in progress, queues and utilisation week by week (``sim.over_time``), and the process
map of each member with its changes against the baseline (``sim.process_map``); the weeks
and maps only when asked for (``detail``: the pages and the command line's charts read them,
its table does not), the map of each part of the cases only when asked for too (``parts``:
the map filter of the Compare and Saved pages reads it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from sim import process_map
from sim.case_count import member_runs
from sim.chart_data import MemberCharts
from sim.compare import Difference, compare
from sim.cost_drivers import CostDrivers
from sim.kpis import KpiResult, summarise_replications
from sim.kpis.replications import t_interval
from sim.materiality import DEFAULT, Thresholds
from sim.measure_many import MeasureQueue, in_order
from sim.measured import Measured
from sim.model import ProcessModel
from sim.over_time import summarise
from sim.precision import Replications, undecided
from sim.replication_cache import ReplicationCache
from sim.run_length import RunLength

BASELINE = "Baseline"
Progress = Callable[[int, int], None]  # (replications done, replications planned so far)


@dataclass
class Study:
    """Results of one study: per-replication KPIs, their summaries, differences, charts."""

    names: list[str]  # baseline first
    per_rep: dict[str, list[list[KpiResult]]]
    summaries: dict[str, list[KpiResult]]
    differences: list[Difference]
    charts: dict[str, MemberCharts] = field(default_factory=dict)
    replications: int = 0  # the baseline's: as many as the scenario that needed the most
    seed: int = 0
    run: RunLength = field(default_factory=RunLength)
    stopped: bool = False  # interrupted: the replications every member finished are kept
    plan: Replications = field(default_factory=Replications)
    reused: int = 0  # replications read from the cache instead of simulated
    drivers: dict[str, list[CostDrivers]] = field(default_factory=dict)  # what costs price
    counts: dict[str, int] = field(default_factory=dict)  # replications kept per member

    @property
    def undecided(self) -> list[Difference]:
        """Headline differences whose interval still straddles a reading at the threshold."""
        return undecided(self.differences)


def run_study(baseline: ProcessModel, scenarios: list[tuple[str, ProcessModel]],
              replications: int | Replications = 10, seed: int = 1, n_jobs: int = -1,
              progress: Progress | None = None, thresholds: Thresholds = DEFAULT,
              cache: ReplicationCache | None = None, detail: bool = True,
              parts: bool = False, run: RunLength | None = None,
              counts: Mapping[str, int] | None = None) -> Study:
    """Simulate the baseline and every scenario; ``run`` is passed to ``simulate``
    (cases, days, start, warmup_days; none: the model's own default).

    ``replications`` is a fixed count or a ``Replications`` plan: with an adaptive plan
    each scenario gets batches until its own headline differences are decided at their
    thresholds by ``thresholds`` (``sim.precision``), or the cap, and the baseline runs as
    far as the slowest scenario needs. ``counts`` (a saved comparison's re-run) gives each
    member its fixed count instead. Replications found in ``cache`` (default: the user's
    cache folder) are read instead of simulated, and new ones are kept there. ``detail``:
    also the weeks and the process maps (``sim.over_time``, ``sim.process_map``);
    ``parts`` (with ``detail``): also map each part of the cases (``summarise_parts``).
    Without them the charts have none, whatever the cache holds.
    """
    run = RunLength(**run or {})  # the study's own copy, kept with its results
    parts = parts and detail  # part maps are measured with the weeks and maps, or not at all
    plan = (replications if isinstance(replications, Replications)
            else Replications(fixed=replications))
    cache = ReplicationCache.default() if cache is None else cache
    models = dict([(BASELINE, baseline), *scenarios])
    names = [BASELINE, *(name for name, _ in scenarios)]
    if len(models) != len(names):
        raise ValueError(f"scenario names must differ from each other and from "
                         f"'{BASELINE}': {names}")
    runs = member_runs(baseline, models, run)  # more leads: more of the N cases
    queue: MeasureQueue[str] = MeasureQueue(seed, run, n_jobs, cache, detail, parts)
    for name in names:
        queue.add(name, models[name], runs.get(name))
    looks = list(plan.batches()) if counts is None else [plan.fixed or plan.maximum]
    wanted = {name: looks[0] if counts is None else counts.get(name, looks[0])
              for name in names[1:]}
    measured: dict[str, dict[int, Measured]] = {name: {} for name in names}
    asked = dict.fromkeys(names, 0)
    stopped, before = False, cache.hits
    open_members = [name for name in names[1:] if plan.adaptive and counts is None]

    def ask_wanted() -> None:
        """Queue what each member wants and has not asked for, replication by replication
        across the members; the baseline as many as the scenario that wants the most."""
        wanted[BASELINE] = max([looks[0] if len(names) == 1 else 0, *wanted.values()])
        queue.ask([(name, r) for r in range(max(wanted.values()))
                   for name in names if asked[name] <= r < wanted[name]])
        asked.update(wanted)

    try:
        ask_wanted()
        while queue.pending:
            for (name, r), found in queue.done():
                measured[name][r] = found
                if progress is not None:
                    progress(sum(map(len, measured.values())), sum(wanted.values()))
            if _next_looks(open_members, wanted, looks, measured, thresholds):
                ask_wanted()
    except KeyboardInterrupt:
        stopped = True
    finally:
        queue.close()  # what a stop or a failure left unstarted
    kept = _kept(names, {name: in_order(found) for name, found in measured.items()})
    finished = list(kept)
    per_rep = {name: [m.kpis for m in kept[name]] for name in finished}
    summaries = {n: summarise_replications(per_rep[n]) for n in finished}
    charts = _charts(finished, summaries, kept, detail, parts)
    return Study(finished, per_rep, summaries, _differences(finished, kept, thresholds),
                 charts, len(kept.get(BASELINE, [])), seed, run, stopped, plan,
                 cache.hits - before,
                 {name: [m.drivers for m in kept[name]] for name in finished},
                 {name: len(kept[name]) for name in finished})


def _next_looks(open_members: list[str], wanted: dict[str, int], looks: list[int],
                measured: dict[str, dict[int, Measured]], thresholds: Thresholds) -> bool:
    """Decide each open scenario whose batch (and the baseline's as far) is in: decided, or
    at its last look, it closes; otherwise it wants its next look's count. Whether any
    scenario wants more."""
    more = False
    for name in list(open_members):
        count = wanted[name]
        mine, base = in_order(measured[name]), in_order(measured[BASELINE])
        if len(mine) < count or len(base) < count:
            continue
        paired = {name: mine, BASELINE: base[:count]}
        following = [c for c in looks if c > count]
        if following and undecided(_member_differences(name, paired, thresholds)):
            wanted[name], more = following[0], True
        else:
            open_members.remove(name)
    return more


def _kept(names: list[str], measured: dict[str, list[Measured]]
          ) -> dict[str, list[Measured]]:
    """The replications a study keeps: each scenario's, paired with the baseline's first
    as many; none when any member has none (interrupted before one finished)."""
    base = len(measured[BASELINE])
    own = {name: min(len(measured[name]), base) for name in names}
    if not all(own.values()):
        return {}
    return {name: measured[name][:own[name]] for name in names}


def _member_differences(name: str, measured: dict[str, list[Measured]],
                        thresholds: Thresholds) -> list[Difference]:
    """One scenario against the baseline's replications paired with its own."""
    own = measured[name]
    return compare(name, [m.kpis for m in measured[BASELINE][:len(own)]],
                   [m.kpis for m in own], thresholds)


def _differences(names: list[str], measured: dict[str, list[Measured]],
                 thresholds: Thresholds) -> list[Difference]:
    return [d for name in names[1:] for d in _member_differences(name, measured, thresholds)]


def _table(series: list[pd.Series]) -> pd.DataFrame:
    """One column per replication, one row per month or pool (missing: zero)."""
    return pd.concat(series, axis=1).fillna(0.0).sort_index()


def _mean_series(series: list[pd.Series]) -> dict[str, float]:
    if not series:
        return {}
    return {str(k): float(v) for k, v in _table(series).mean(axis=1).items()}


def _interval_series(series: list[pd.Series]) -> dict[str, list[float]]:
    """Per month or pool, the 95% interval of the mean across replications (none from a
    single replication); never below zero, as cash in and busy shares cannot be."""
    if len(series) < 2:
        return {}
    found = {}
    for key, values in _table(series).iterrows():
        low, high = t_interval(values.to_numpy(dtype=float))
        if low is not None and high is not None:
            found[str(key)] = [max(low, 0.0), high]
    return found


def _maps(measured: list[Measured]) -> list[pd.DataFrame]:
    return [m.process_map for m in measured if m.process_map is not None]


def _part_maps(measured: list[Measured]) -> list[pd.DataFrame]:
    return [m.process_map_parts for m in measured if m.process_map_parts is not None]


def _charts(names: list[str], summaries: dict[str, list[KpiResult]],
            measured: dict[str, list[Measured]], detail: bool, parts: bool
            ) -> dict[str, MemberCharts]:
    """Chart data per study member, as plain JSON-ready values; the weeks, maps and part
    maps only when asked for (a cached replication may carry them when the study did not
    ask)."""
    charts: dict[str, MemberCharts] = {}
    for name in names:
        kpis = {r.id: r for r in summaries[name] if r.group is None}
        charts[name] = {
            "cycle_times": {k: list(r.quantiles) for k, r in kpis.items()
                            if r.quantiles is not None and r.item is None and r.available},
            "funnel": {r.item: r.value for r in kpis.values()
                       if r.kind == "funnel" and r.item is not None and r.available},
            "waiting": {r.item: r.value for r in kpis.values()
                        if r.kind == "waiting_time" and r.item is not None and r.available},
            "cash": _mean_series([m.cash for m in measured[name]]),
            "cash_ci": _interval_series([m.cash for m in measured[name]]),
            "utilisation": _mean_series([m.utilisation for m in measured[name]]),
            "utilisation_ci": _interval_series([m.utilisation for m in measured[name]]),
            "over_time": summarise([m.over_time for m in measured[name]
                                    if m.over_time is not None]) if detail else {},
            "process_map": process_map.summarise(_maps(measured[name])) if detail else [],
        }
        paired = measured[BASELINE][:len(measured[name])]  # its replications, the baseline's
        charts[name]["process_map_parts"] = process_map.summarise_parts(
            None if name == BASELINE else _part_maps(paired),
            _part_maps(measured[name])) if parts else []
        if name != BASELINE:
            charts[name]["process_map_diff"] = process_map.differences(
                _maps(paired), _maps(measured[name])) if detail else []
    return charts
