"""What the comparison charts need besides the means a study keeps: the 95% interval of each
point across replications, and which months lie only partly inside the run.

A mean alone reads as certain, and a month the run covers for ten days reads as a collapse
of cash; both are added to the chart data (JSON-ready, so saved comparisons keep them).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from scenarios.comparison import Comparison
from sim.chart_data import Interval, MemberCharts
from sim.kpis import KpiResult
from sim.kpis.replications import t_interval
from sim.study import Study


def _curve_band(curves: list[tuple[float, ...]]) -> list[list[float]] | None:
    """Per point of the quantile grid, the interval of the days across replications."""
    if len(curves) < 2 or len({len(c) for c in curves}) != 1:
        return None
    table = np.array(curves, dtype=float)
    lows, highs = [], []
    for i in range(table.shape[1]):
        low, high = t_interval(table[:, i])
        if low is None or high is None:
            return None
        lows.append(max(float(low), 0.0))
        highs.append(float(high))
    return [lows, highs]


def _intervals(runs: list[list[KpiResult]]) -> MemberCharts:
    """The interval sections of one member's chart data."""
    values: dict[tuple[str, str], list[float]] = {}  # (kind, item) -> per replication
    curves: dict[str, list[tuple[float, ...]]] = {}
    for results in runs:
        for r in results:
            if r.group is not None or not r.available:
                continue
            if r.item is not None:
                values.setdefault((r.kind, r.item), []).append(float(r.value))
            elif r.quantiles is not None:
                curves.setdefault(r.id, []).append(tuple(r.quantiles))
    def bands(kind: str, top: float) -> dict[str, Interval]:
        return {item: [max(low, 0.0), float(min(high, top))]
                for (of, item), v in values.items() if of == kind
                for low, high in [t_interval(np.array(v))]
                if low is not None and high is not None}

    return {"cycle_band": {k: band for k, c in curves.items()
                           if (band := _curve_band(c)) is not None},
            "funnel_ci": bands("funnel", 1.0),  # a share cannot pass 100%
            "waiting_ci": bands("waiting_time", np.inf)}


def partial_months(months: Iterable[str], start: pd.Timestamp, days: float | None
                   ) -> list[str]:
    """The months ('2024-03') only partly inside a run from ``start`` lasting ``days`` (no
    length: the run ends where its last month does, so that month is partial)."""
    shown = sorted(months)
    if not shown:
        return []
    partial = set()
    if start != start.to_period("M").start_time:
        partial.add(str(start.to_period("M")))
    if days is None:
        partial.add(shown[-1])
    else:
        end = start + pd.Timedelta(days=days)
        last = end.to_period("M") if end != end.to_period("M").start_time else (
            end - pd.Timedelta(seconds=1)).to_period("M")
        partial |= {m for m in shown if pd.Period(m, "M") > last}
        if end != (last + 1).start_time:
            partial.add(str(last))
    return [m for m in shown if m in partial]


def _start(study: Study, period_start: str) -> pd.Timestamp:
    start = pd.Timestamp(study.run.get("start") or period_start)
    return start.tz_localize(None) if start.tzinfo is not None else start


def with_intervals(study: Study, period_start: str) -> dict[str, MemberCharts]:
    """The study's chart data, each member with its intervals and the partial months."""
    months = {m for member in study.charts.values() for m in (member.get("cash") or {})}
    days = study.run.get("days")
    partial = partial_months(months, _start(study, period_start),
                             float(days) if isinstance(days, int | float) else None)
    return {name: data | _intervals(study.per_rep.get(name, [])) | {"partial_months": partial}
            for name, data in study.charts.items()}


def enrich(comparison: Comparison) -> Comparison:
    """Add the intervals and partial months to the comparison's chart data (kept when saved)."""
    study = comparison.study
    study.charts = with_intervals(study, comparison.baseline.model.provenance.period_start)
    return comparison

