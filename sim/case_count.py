"""How many new cases each member of a study simulates in a run of a fixed number of cases.

A run of N new cases (``--cases N``) is the baseline's: at the baseline's arrival rate its N
cases arrive over some weeks. A scenario that brings 30% more leads meets those same weeks,
so it simulates 30% more cases. Given the same N instead, it would only squeeze the N
cases into fewer weeks, and the per-month volume KPIs (cases started, throughput, work in
progress), whose period runs on to the last case's end, would rise by a few percent
instead of the promised 30%. Runs of a fixed period need nothing: the rate does it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from sim.model import Arrivals, ProcessModel
from sim.run_length import RunLength

Name = TypeVar("Name", bound=Hashable)


def arrival_rate(arrivals: Arrivals) -> float:
    """New cases per week at the reference date, up to a factor shared by models of one log
    (a renewal process: its gaps set the rate, the hourly rates only mark open hours)."""
    if arrivals.process == "renewal" and arrivals.interarrival is not None:
        return 1.0 / arrivals.interarrival.mean()
    return float(arrivals.week_profile().sum())


def member_runs(baseline: ProcessModel, models: Mapping[Name, ProcessModel],
                run: RunLength) -> dict[Name, RunLength]:
    """Each model's run: ``run`` itself, except that a run of ``cases`` new cases gives a
    model arriving k times as fast as the baseline round(k × cases) cases (at least one)."""
    cases = run.get("cases")
    if not isinstance(cases, int) or isinstance(cases, bool):
        return {name: run.copy() for name in models}
    base = arrival_rate(baseline.arrivals)
    return {name: {**run, "cases": max(1, round(cases * arrival_rate(model.arrivals) / base))}
            for name, model in models.items()}
