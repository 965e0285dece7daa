"""Cycle times between two milestones of a case, in days.

A span runs from the start of the case's first *from* activity to the end of its first *to*
activity that starts after it. A case whose *to* activity has not happened is not observed:
it is left out rather than measured up to the end of the log, which would bias the cycle
time short.
"""

from __future__ import annotations

import numpy as np

from sim.kpis.catalogue import BY_KIND, KpiDefinition
from sim.kpis.observed import WON, Observed
from sim.kpis.result import KpiResult, distribution, unavailable


def _names(obs: Observed, roles: tuple[str, ...]) -> str:
    return " or ".join(f"'{obs.roles.display(r)}'" for r in roles)


Bounds = tuple[np.ndarray, np.ndarray, np.ndarray]  # per case: since, until, observed


def span_bounds(obs: Observed, kpi: KpiDefinition) -> Bounds | str:
    """Per case where one span of ``kpi`` begins and ends (days), and whether both ends
    were observed; or why the log cannot tell (the roles no activity plays)."""
    span = kpi.span
    assert span is not None, kpi.kind
    missing = obs.missing(span.start, span.end)
    if missing:
        return missing
    since = np.full(obs.n_cases, np.nan)
    for role in reversed(span.start):  # preferred roles overwrite the fallbacks
        first = obs.per_case(obs.is_role(role), obs.start, "min")
        since = np.where(np.isnan(first), since, first)
    after = obs.is_role(*span.end) & (obs.start >= since[obs.case])
    until = obs.per_case(after, obs.end, "min")
    observed = ~np.isnan(until)
    if span.won_only:
        observed &= obs.outcome == WON
    return since, until, observed


def case_bounds(obs: Observed) -> Bounds:
    """Per case its first event's start and its last event's end, and whether it finished
    (open cases would bias a duration short)."""
    everything = np.ones(len(obs.case), dtype=bool)
    return (obs.per_case(everything, obs.start, "min"),
            obs.per_case(everything, obs.end, "max"), obs.finished)


def span_kpi(obs: Observed, kpi: KpiDefinition) -> KpiResult:
    """The distribution of one span over the cases where both ends were observed."""
    bounds = span_bounds(obs, kpi)
    if isinstance(bounds, str):
        return unavailable(kpi, bounds)
    since, until, observed = bounds
    span = kpi.span
    assert span is not None, kpi.kind
    which = "won case" if span.won_only else "case"
    return distribution(kpi, (until - since)[observed],
                        f"no {which} in this log went from {_names(obs, span.start)} to "
                        f"{_names(obs, span.end)}")


def case_duration(obs: Observed) -> KpiResult:
    """First event to last of each finished case."""
    first, last, finished = case_bounds(obs)
    return distribution(BY_KIND["case_duration"], (last - first)[finished],
                        "no case in this log has finished yet")


def quote_approval(obs: Observed) -> KpiResult:
    """Each quote created to the approval that follows it, before any newer quote."""
    kpi = BY_KIND["quote_approval"]
    missing = obs.missing(("quote_created",), ("quote_approved",))
    if missing:
        return unavailable(kpi, missing)
    return distribution(kpi, each_to_next(obs, obs.is_role("quote_created"),
                                          obs.is_role("quote_approved")),
                        "no quote in this log was approved after it was created")


def each_to_next(obs: Observed, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Days from each ``start`` event to the ``end`` event right after it in its case (a
    start followed by another start first is not paired: it was superseded)."""
    at = np.flatnonzero(start | end)
    this, following = at[:-1], at[1:]
    paired = start[this] & end[following] & (obs.case[this] == obs.case[following])
    return obs.end[following[paired]] - obs.start[this[paired]]
