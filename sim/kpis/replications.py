"""Across replications: the mean of each KPI and a 95% t-interval around it.

A simulated KPI varies from run to run; the interval says how far the mean could be from
the model's true value, so two scenarios are compared by more than one lucky run.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import numpy as np

from sim.eventlog import CASE_ID, REPLICATION, EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis.compute import compute_kpis
from sim.kpis.result import KpiResult

CONFIDENCE = 0.95


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(present)) if present else None


def _mean_curve(curves: list[tuple[float, ...] | None]) -> tuple[float, ...] | None:
    """Quantile curves averaged point by point (the shape charts draw)."""
    present = [c for c in curves if c is not None]
    return tuple(np.mean(np.array(present), axis=0).tolist()) if present else None


@cache
def t_quantile(df: int) -> float:
    """Student's t quantile of the 95% interval: what scipy.stats.t.ppf computes, without
    its ~60 us of checks; scipy.special is imported here, not by the simulation workers
    that import this module and never build an interval."""
    from scipy import special

    return float(special.stdtrit(df, (1 + CONFIDENCE) / 2))


def t_interval(values: np.ndarray) -> tuple[float | None, float | None]:
    """The 95% t-interval of the mean of ``values`` (None, None for fewer than two)."""
    if len(values) < 2:
        return None, None
    half = float(t_quantile(len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    mean = float(values.mean())
    return mean - half, mean + half


def by_key(per_rep: list[list[KpiResult]]) -> dict[tuple[str, str | None], list[KpiResult]]:
    """Each KPI (and group) with its result from every replication that has it."""
    runs: dict[tuple[str, str | None], list[KpiResult]] = {}
    for results in per_rep:
        for r in results:
            runs.setdefault((r.id, r.group), []).append(r)
    return runs


def summarise_replications(per_rep: list[list[KpiResult]]) -> list[KpiResult]:
    """One result per KPI (and group): mean headline across the replications that measured it.

    ``n`` is the total over replications; the interval needs at least two of them.
    """
    summary = []
    for found in by_key(per_rep).values():
        measured = [r for r in found if r.available]
        if not measured:
            summary.append(replace(found[0], n=0))
            continue
        values = np.array([r.value for r in measured])
        mean = float(values.mean())
        low, high = t_interval(values)
        note = ("" if len(measured) == len(per_rep)
                else f"measured in {len(measured)} of {len(per_rep)} replications")
        summary.append(replace(
            measured[0], n=sum(r.n for r in measured), value=mean, note=note, ci_low=low,
            ci_high=high, mean=_mean([r.mean for r in measured]),
            median=_mean([r.median for r in measured]), p90=_mean([r.p90 for r in measured]),
            quantiles=_mean_curve([r.quantiles for r in measured])))
    return summary



def compute_by_replication(log: EventLog, roles: ActivityRoles | None = None,
                           by: str | None = None) -> list[KpiResult]:
    """KPIs of a simulated log that holds several replications (a ``replication`` case
    attribute, as ``l2c simulate --reps`` writes it): measured per replication, then
    averaged with 95% intervals. A log without the column is measured as it is."""
    if REPLICATION not in log.cases.columns:
        return compute_kpis(log, roles, by=by)
    per_rep = []
    for _, cases in log.cases.groupby(REPLICATION, sort=True):
        events = log.events[log.events[CASE_ID].isin(cases.index)]
        per_rep.append(compute_kpis(replace(log, events=events, cases=cases), roles, by=by))
    return summarise_replications(per_rep)
