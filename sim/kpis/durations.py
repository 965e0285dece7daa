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


def span_kpi(obs: Observed, kpi: KpiDefinition) -> KpiResult:
    """The distribution of one span over the cases where both ends were observed."""
    span = kpi.span
    assert span is not None, kpi.kind
    missing = obs.missing(span.start, span.end)
    if missing:
        return unavailable(kpi, missing)
    since = np.full(obs.n_cases, np.nan)
    for role in reversed(span.start):  # preferred roles overwrite the fallbacks
        first = obs.per_case(obs.is_role(role), obs.start, "min")
        since = np.where(np.isnan(first), since, first)
    after = obs.is_role(*span.end) & (obs.start >= since[obs.case])
    until = obs.per_case(after, obs.end, "min")
    observed = ~np.isnan(until)
    if span.won_only:
        observed &= obs.outcome == WON
    which = "won case" if span.won_only else "case"
    return distribution(kpi, (until - since)[observed],
                        f"no {which} in this log went from {_names(obs, span.start)} to "
                        f"{_names(obs, span.end)}")


def case_duration(obs: Observed) -> KpiResult:
    """First event to last of each finished case (open cases would bias it short)."""
    everything = np.ones(len(obs.case), dtype=bool)
    first = obs.per_case(everything, obs.start, "min")
    last = obs.per_case(everything, obs.end, "max")
    return distribution(BY_KIND["case_duration"], (last - first)[obs.finished],
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
