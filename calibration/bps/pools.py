"""Resources to pools: who can do which task, how many of them, and when they work.

In Prosimos each task lists the resources that can do it, and a resource may serve several
tasks and appear in several profiles. Our model gives each activity one pool, and pools do
not share people. So resources linked through the tasks they share form one pool (the
connected groups of the task-resource graph): capacity is never counted twice, but a task
that only some of its pool's members could do in Prosimos may be done by any member here
(a note lists those tasks). A resource entry with ``amount`` n becomes n members ("Clerk 1",
"Clerk 2", ...). A pool has one calendar: the hours in which any member works; when the
members' calendars differ, a note says how much more working time that offers.
"""

from __future__ import annotations

from dataclasses import dataclass

from calibration.bps.calendars import Periods
from calibration.bps.params import Params, Resource
from sim.calendar import HOUR
from sim.errors import PlannerError
from sim.model import Pool

MAX_NAME = 60
CAPACITY_SLACK = 0.05  # more offered working time than this share is worth a note


@dataclass
class Pools:
    """The pools and, for every task id, the name of its pool."""

    pools: dict[str, Pool]
    task_pool: dict[str, str]


def build_pools(task_ids: list[str], params: Params, task_names: dict[str, str],
                notes: list[str]) -> Pools:
    """Pools for the tasks (in BPMN order), from ``params``' resources and calendars."""
    groups = _groups(task_ids, params)
    pools: dict[str, Pool] = {}
    task_pool: dict[str, str] = {}
    for resource_ids, tasks in groups:
        name = _unique(_pool_name(resource_ids, params), pools)
        members = [params.resources[r] for r in resource_ids]
        pools[name] = _pool(name, members, params, notes)
        for task in tasks:
            task_pool[task] = name
            own = {r for r, _, _ in params.tasks[task]}
            if own != set(resource_ids):
                who = ", ".join(params.resources[r].name for r in resource_ids if r in own)
                notes.append(f"'{task_names[task]}' is done only by {who} in the Prosimos "
                             f"model; here anyone in pool '{name}' can do it (its pool is "
                             "shared with other activities' resources).")
    return Pools(pools, task_pool)


def _groups(task_ids: list[str], params: Params) -> list[tuple[list[str], list[str]]]:
    """Resources joined by shared tasks: (resource ids, task ids), first task first."""
    parent: dict[str, str] = {}

    def root(r: str) -> str:
        while parent.setdefault(r, r) != r:
            r = parent[r]
        return r

    for task in task_ids:
        ids = [r for r, _, _ in params.tasks[task]]
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
    order = {r: i for i, r in enumerate(params.resources)}
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for task in task_ids:
        key = root(params.tasks[task][0][0])
        resources, tasks = grouped.setdefault(key, ([], []))
        tasks.append(task)
        for r, _, _ in params.tasks[task]:
            if r not in resources:
                resources.append(r)
    return [(sorted(rs, key=order.__getitem__), ts) for rs, ts in grouped.values()]


def _pool(name: str, members: list[Resource], params: Params, notes: list[str]) -> Pool:
    working = [m for m in members if m.amount > 0]
    if not working:
        raise PlannerError(f"{params.source}: pool '{name}' has no one to work (every resource "
                           "has amount 0); give a resource an amount of 1 or more.")
    names: list[str] = []
    for m in working:
        names += [m.name] if m.amount == 1 else [f"{m.name} {k}" for k in range(1, m.amount + 1)]
    calendars = {m.calendar: Periods.parse(params.calendars[m.calendar],
                                           f"{params.source}: calendar '{m.calendar}'")
                 for m in working}
    union = next(iter(calendars.values()))
    for periods in calendars.values():
        union = union.union(periods)
    calendar = union.to_calendar(f"{params.source}: calendar of pool '{name}'", notes)
    size = sum(m.amount for m in working)
    if len(set(calendars.values())) > 1:
        person_hours = sum(m.amount * calendars[m.calendar].seconds_per_week()
                           for m in working) / HOUR
        offered = size * float(calendar.grid().sum())
        if offered > (1 + CAPACITY_SLACK) * person_hours:
            notes.append(f"Pool '{name}': its members work different hours; the pool has all "
                         f"{size} at work {calendar.describe()}, {offered:.0f} person-hours a "
                         f"week against {person_hours:.0f} in the Prosimos model "
                         f"({offered / person_hours - 1:+.0%}).")
    return Pool(members=tuple(names), size=size, calendar=calendar, assignment="any")


def _pool_name(resource_ids: list[str], params: Params) -> str:
    """The profile's name when a profile is exactly this group, else the members' names."""
    group = set(resource_ids)
    exact = [p.name for p in params.profiles if set(p.resources) == group]
    if exact:
        name = " / ".join(dict.fromkeys(exact))
    else:
        inside = [p for p in params.profiles if p.resources and set(p.resources) <= group]
        covered = {r for p in inside for r in p.resources}
        parts = ([p.name for p in inside] if covered == group
                 else [params.resources[r].name for r in resource_ids])
        name = " + ".join(dict.fromkeys(parts))
    if len(name) > MAX_NAME:
        first = name.split(" / ")[0].split(" + ")[0]
        name = f"{first[:MAX_NAME - 12]} and others"
    return name


def _unique(name: str, taken: dict[str, Pool]) -> str:
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name} {k}", k + 1
    return candidate
