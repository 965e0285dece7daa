"""One replication simulated and measured where it runs: what a study keeps of it.

A replication's log has tens of thousands of rows, and a study needs only its KPIs, its cash
in per month, its pools' utilisation, its behaviour week by week (``sim.over_time``), its
process map (``sim.process_map``) and the counts its costs are priced from. Measuring in
the worker process that simulated it spreads the KPI work over every core and sends back a
few kilobytes instead of the log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sim.cashflow import monthly_cash
from sim.cost_drivers import CostDrivers, measure_drivers
from sim.engine import simulate
from sim.kpi_roles import ActivityRoles
from sim.kpis import KpiResult
from sim.kpis.compute import measure
from sim.kpis.observed import observe
from sim.kpis.pools import pool_utilisation
from sim.model import ProcessModel
from sim.over_time import log_behaviour
from sim.process_map import part_maps, process_map
from sim.run_length import RunLength


@dataclass(frozen=True)
class Measured:
    """What a study keeps of one replication."""

    kpis: list[KpiResult]
    cash: pd.Series  # cash in per month
    utilisation: pd.Series  # mean share of working time busy, per pool
    drivers: CostDrivers  # working hours, occurrences, deals won, days to cash
    # what only a comparison's charts need (None when not asked for: a target search)
    over_time: pd.DataFrame | None = None  # weekly work in progress, queues, busy shares
    process_map: pd.DataFrame | None = None  # per activity and step: count, median time
    process_map_parts: pd.DataFrame | None = None  # the same per part of the cases (the
    # map filter's: None unless asked for)


def measure_replication(model: ProcessModel, seed: int, replication: int,
                        run: RunLength, detail: bool = True, parts: bool = False
                        ) -> Measured:
    """Simulate replication ``replication`` of ``model`` and measure it (runs in a worker);
    ``detail``: also its weeks and its process map (7-11% more time on the sample);
    ``parts`` (with ``detail``): also the map of each part of its cases, which only the
    map filter of the Compare and Saved pages reads (a quarter more time on the sample)."""
    result = simulate(model, seed=seed, replication=replication, **run)
    pools = (result.utilisation.groupby("pool")["share"].mean()
             if not result.utilisation.empty else pd.Series(dtype=float))
    log = result.log
    obs = observe(log.events, log.cases, log.roles or ActivityRoles.default())
    if run.get("cases") is not None:  # arrivals stop at the last case: the rest is its drain
        first = obs.per_case(np.ones(len(obs.case), dtype=bool), obs.start, "min")
        obs = replace(obs, arrivals_until=float(np.nanmax(first)))
    kpis = measure(obs, log.custom_kpis) + pool_utilisation(result.utilisation)
    found = Measured(kpis, monthly_cash(log), pools, measure_drivers(log, obs, model))
    if not detail:
        return found
    found = replace(found, over_time=log_behaviour(log.events, obs, model),
                    process_map=process_map(obs))
    return replace(found, process_map_parts=part_maps(obs, log.events)) if parts else found
