"""Which levers can move a KPI at all, so the sensitivity table simulates only those.

A cycle-time KPI runs from one milestone to another; a lever acting wholly outside that
window (invoicing, for the sales cycle) cannot shorten it. A lever counts when it changes an
activity that can happen inside the window, or a pool that also serves such an activity
(people freed elsewhere serve the window sooner). Waiting before the first milestone is
outside. Other KPIs (rates, counts, levels) may depend on anything: every lever counts.
"""

from __future__ import annotations

from scenarios.target.levers import Lever, reachable, successors
from sim.kpi_roles import ActivityRoles
from sim.kpis.catalogue import KPIS
from sim.model import ProcessModel

WINDOWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    k.kind: (k.span.start, k.span.end) for k in KPIS if k.span is not None}


def window(model: ProcessModel, kpi: str, roles: ActivityRoles | None = None
           ) -> tuple[set[str], set[str]] | None:
    """The activities that can happen between the KPI's milestones, and its first
    milestones; None when the KPI is not a cycle time (or its milestones are absent)."""
    if kpi not in WINDOWS:
        return None
    start_roles, end_roles = WINDOWS[kpi]
    present = (roles or ActivityRoles.default()).resolve(model.activities)
    starts = {name for role in start_roles for name in present.get(role, ())}
    ends = {name for role in end_roles for name in present.get(role, ())}
    if not starts or not ends:
        return None
    after = successors(model)
    before: dict[str, set[str]] = {name: set() for name in after}
    for source, targets in after.items():
        for target in targets:
            before[target].add(source)
    inside = set(reachable(after, starts)) & set(reachable(before, ends))
    return inside, starts


def split_relevant(model: ProcessModel, levers: tuple[Lever, ...], kpi: str,
                   roles: ActivityRoles | None = None) -> tuple[list[Lever], list[Lever]]:
    """(levers that can move the KPI, levers that act only outside its window)."""
    found = window(model, kpi, roles)
    if found is None:
        return list(levers), []
    inside, starts = found
    pools = {model.activities[a].pool for a in inside} - {None}
    relevant: list[Lever] = []
    outside: list[Lever] = []
    for lever in levers:
        activity = model.activities.get(lever.subject)
        if lever.kind == "pool":
            counts = lever.subject in pools
        elif lever.kind == "delay":
            counts = lever.subject in inside and lever.subject not in starts
        else:  # work time, automation, rework, payment: an activity and its pool
            counts = lever.subject in inside or (activity is not None
                                                 and activity.pool in pools)
        (relevant if counts else outside).append(lever)
    return relevant, outside
