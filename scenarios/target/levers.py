"""Levers: the knobs a process owner can turn, read off the model itself.

Every lever has a stable id (``duration:Quote Approved``, ``pool:Approvers``, ``payment``)
usable on the command line, a label in business terms, a range from "no change" (amount 0)
to its extreme, a standard step for the sensitivity table, and a cost in plain units so
"cheapest" means something a person can check. A lever turns an amount into a changed copy
of the model through the same change functions scenario files use.

What is generated, for any model:

- ``duration:<A>``  "<A> work time", for each staffed activity: 0-90% faster;
- ``delay:<A>``     "<A> waiting", for each activity with a real delay: 0-90% shorter;
- ``pool:<P>``      "<P> people", for each pool that hands out work: +1 .. +N people;
- ``rework:<F>-><T>`` "<F> → <T> rework", for each transition that goes back: cut 0-100%;
- ``automate:<A>``  "automate <A>", for each staffed activity: off or on;
- ``payment``       "payment days", when a payment activity exists: 0-30 days sooner.

A lever is *controllable* when the process owner's people can turn it. The wait before a
customer's own activity (accepting a quote, signing, paying) is the customer's: it is not
offered as a lever unless the user says so (``scenarios.target.control``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from scenarios.changes import (
    automate,
    change_delay,
    change_duration,
    change_payment,
    change_pool,
    cut_rework,
    payment_activity,
)
from scenarios.schema import Automate, PaymentChange, PoolChange, ReworkCut, TimeChange
from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import name_key
from sim.model import END, ProcessModel

KINDS = ("duration", "delay", "pool", "rework", "automate", "payment")
MAX_SCALE_CUT = 0.9  # work and waiting times go down to 10% of today's, never to nothing
MAX_PAYMENT_DAYS = 30.0
MIN_EXTRA_PEOPLE = 5  # a pool may grow by this many people, or double if it is larger
NEGLIGIBLE = 0.01  # times under 1% of the model's largest work (or waiting) time: no lever


@dataclass(frozen=True)
class Costs:
    """The cost model behind "cheapest": units per step, the same for every model.

    Deliberately simple and printed with every combination, so a reader can redo the sums
    or change the numbers here.
    """

    per_quarter_faster: float = 1.0  # work time or waiting 25% shorter
    per_quarter_rework: float = 1.0  # a quarter of a rework loop cut
    per_person: float = 2.0
    automation: float = 3.0
    per_payment_day: float = 0.2  # 1 unit per 5 days sooner

    def of(self, kind: str, amount: float) -> float:
        if amount <= 0:
            return 0.0
        if kind in ("duration", "delay"):
            return self.per_quarter_faster * amount / 0.25
        if kind == "rework":
            return self.per_quarter_rework * amount / 0.25
        if kind == "pool":
            return self.per_person * amount
        if kind == "automate":
            return self.automation
        return self.per_payment_day * amount

    unit = "units"

    def lever_cost(self, lever: Lever, amount: float) -> float:
        return self.of(lever.kind, amount)

    def describe(self) -> str:
        return (f"cost units: {self.per_quarter_faster:g} per 25% less work time or waiting, "
                f"{self.per_quarter_rework:g} per 25% of a rework loop cut, "
                f"{self.per_person:g} per person added, {self.automation:g} per automated "
                f"activity, {self.per_payment_day * 5:g} per 5 payment days sooner")


COSTS = Costs()


class Pricing(Protocol):
    """What "cheapest" is counted in: effort units (``Costs``) or money
    (``scenarios.target.money``)."""

    unit: str

    def lever_cost(self, lever: Lever, amount: float) -> float: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Lever:
    """One knob: amount 0 is today's process, ``maximum`` the most it can be turned."""

    id: str
    kind: str
    label: str
    subject: str  # the activity or pool it changes (for rework: the activity it leaves)
    maximum: float
    step: float  # the standard step of the sensitivity table
    tolerance: float  # how finely a goal seek resolves it (1 for whole-number levers)
    integer: bool = False
    to: str | None = None  # rework: where the loop goes back to
    controllable: bool = True  # False: the customer's own wait (see the module docstring)

    def describe(self, amount: float) -> str:
        """The change in words: '50% faster', '+2 people', 'automated'."""
        if amount <= 0:
            return "no change"
        if self.kind == "duration":
            return f"{amount:.0%} faster"
        if self.kind == "delay":
            return f"{amount:.0%} shorter"
        if self.kind == "pool":
            people = round(amount)
            return f"+{people} {'person' if people == 1 else 'people'}"
        if self.kind == "rework":
            return f"cut by {amount:.0%}"
        if self.kind == "automate":
            return "automated"
        return f"{amount:.3g} days sooner"

    def cost(self, amount: float, costs: Pricing | None = None) -> float:
        """What turning the lever by ``amount`` costs: effort units, or money per month."""
        return (costs or COSTS).lever_cost(self, amount)

    def levels(self) -> list[float]:
        """Whole-number levers: every amount from one step to the maximum."""
        return [float(k) for k in range(1, int(self.maximum) + 1)]

    def apply(self, model: ProcessModel, amount: float) -> ProcessModel:
        """The model with this lever turned by ``amount`` (0: the model itself)."""
        if amount <= 0:
            return model
        if not 0 < amount <= self.maximum + 1e-9:
            raise PlannerError(f"lever {self.id}: amount {amount:g} is outside "
                               f"0..{self.maximum:g}.")
        return _APPLY[self.kind](self, model, amount)


Plan = tuple[tuple[str, float], ...]  # (lever id, amount) sorted by id, amounts > 0


def plan_of(settings: dict[str, float] | Iterable[tuple[str, float]]) -> Plan:
    """A canonical, hashable plan: the same settings always give the same key."""
    items = settings.items() if isinstance(settings, dict) else settings
    return tuple(sorted((lever, float(amount)) for lever, amount in items if amount > 0))


def apply_plan(model: ProcessModel, levers: dict[str, Lever], plan: Plan) -> ProcessModel:
    """All the plan's levers at once. Automation goes last and overrides the work time and
    waiting of the activity it automates (an automated step has neither)."""
    automated = {levers[i].subject for i, _ in plan if levers[i].kind == "automate"}
    order = {kind: n for n, kind in enumerate(("payment", "rework", "pool", "delay",
                                               "duration", "automate"))}
    for lever_id, amount in sorted(plan, key=lambda item: order[levers[item[0]].kind]):
        lever = levers[lever_id]
        if lever.kind in ("duration", "delay") and lever.subject in automated:
            continue
        model = lever.apply(model, amount)
    return model


def _where(lever: Lever) -> str:
    return f"lever {lever.id}"


def _duration(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    change = TimeChange(activity=lever.subject, scale=1.0 - amount)
    return change_duration(model, change, _where(lever), [])


def _delay(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    change = TimeChange(activity=lever.subject, scale=1.0 - amount)
    return change_delay(model, change, _where(lever), [])


def _pool(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    return change_pool(model, PoolChange(name=lever.subject, add=round(amount)),
                       _where(lever), [])


def _rework(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    change = ReworkCut(source=lever.subject, target=str(lever.to), cut=min(amount, 1.0))
    return cut_rework(model, change, _where(lever), [])


def _automate(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    return automate(model, Automate(activity=lever.subject), _where(lever), [])


def _payment(lever: Lever, model: ProcessModel, amount: float) -> ProcessModel:
    return change_payment(model, PaymentChange(days=-amount), _where(lever), [])


_APPLY: dict[str, Callable[[Lever, ProcessModel, float], ProcessModel]] = {
    "duration": _duration, "delay": _delay, "pool": _pool, "rework": _rework,
    "automate": _automate, "payment": _payment,
}


@dataclass(frozen=True)
class Catalogue:
    """The levers of one model, and what was left out and why."""

    levers: tuple[Lever, ...]
    skipped: tuple[str, ...] = field(default=())

    @property
    def by_id(self) -> dict[str, Lever]:
        return {lever.id: lever for lever in self.levers}

    def find(self, name: str) -> Lever:
        """A lever by id or label, ignoring case, spaces and arrows; else a did-you-mean."""
        wanted = name_key(name.replace("→", "->"))
        for lever in self.levers:
            if wanted in (name_key(lever.id), name_key(lever.label.replace("→", "->"))):
                return lever
        ids = [lever.id for lever in self.levers]
        hint = did_you_mean(name, ids) or did_you_mean(name, [lv.label for lv in self.levers])
        raise PlannerError(f"No lever '{name}' in this model.{hint} See them all with "
                           "'l2c target MODEL --list-levers'.")


def successors(model: ProcessModel) -> dict[str, set[str]]:
    """Where each activity can go next (every branch key, parallel companions too)."""
    after: dict[str, set[str]] = {name: set() for name in model.activities}
    for source, branch in model.routing.branches.items():
        for shares in (branch.pooled, *branch.table.values()):
            after[source].update(t for t, p in shares.items() if t != END and p > 0)
    for lead, companions in model.routing.parallel.items():
        after[lead].update(companions)
    return after


def reachable(after: dict[str, set[str]], sources: Iterable[str]) -> dict[str, int]:
    """Each activity reachable from ``sources`` with its fewest steps (sources: 0)."""
    distance = dict.fromkeys(sources, 0)
    queue = deque(distance)
    while queue:
        name = queue.popleft()
        for nxt in after.get(name, ()):
            if nxt not in distance:
                distance[nxt] = distance[name] + 1
                queue.append(nxt)
    return distance


def rework_transitions(model: ProcessModel) -> list[tuple[str, str]]:
    """Transitions that go back: ``to`` lies no further from the start than ``from`` and
    leads back to it (a self-loop, or a revised quote that is approved again)."""
    after = successors(model)
    depth = reachable(after, [a for a, p in model.routing.start.items() if p > 0])
    lost = set(model.outcomes.lost)
    found = []
    for source in sorted(after):
        for target in sorted(after[source] - lost):
            if (source in reachable(after, [target])
                    and depth.get(target, 0) <= depth.get(source, 0)):
                found.append((source, target))
    return found


def _hours(seconds: float) -> str:
    return f"{seconds / 86400:.3g} days" if seconds >= 86400 else f"{seconds / 3600:.2g} h"


def _delay_mean(model: ProcessModel, name: str) -> float:
    activity = model.activities[name]
    means = [activity.delay.mean()]
    if activity.delay_by is not None:
        means += [d.mean() for d in activity.delay_by.values.values()]
    return max(means)


def _controllable(model: ProcessModel, lever: Lever) -> bool:
    """By default every lever but the customer's own waits: the delay before a customer
    activity, and the days a customer takes to pay."""
    if lever.kind not in ("delay", "payment"):
        return True
    activity = model.activities.get(lever.subject)
    return activity is None or activity.kind != "customer"


def generate_levers(model: ProcessModel) -> Catalogue:
    """Every lever this model offers (see the module docstring), each checked by turning it
    to its extreme once; levers that change nothing are left out with the reason."""
    skipped: list[str] = []
    levers: list[Lever] = []
    work = {n: a.processing.mean() for n, a in model.activities.items()
            if a.kind == "staffed" and a.processing is not None}
    staffed = sorted(work)
    largest_work = max(work.values(), default=0.0)
    for name in staffed:
        if work[name] > NEGLIGIBLE * largest_work:
            levers.append(Lever(f"duration:{name}", "duration", f"{name} work time", name,
                                MAX_SCALE_CUT, 0.5, 0.01))
        else:
            skipped.append(f"{name} work time: {_hours(work[name])} on average, under "
                           f"{NEGLIGIBLE:.0%} of the longest work time "
                           f"({_hours(largest_work)})")
    payment = payment_activity(model)
    lost = set(model.outcomes.lost)
    waits = {n: _delay_mean(model, n) for n in sorted(model.activities)
             if n not in lost and n != payment}  # payment days are their own lever
    largest_wait = max(waits.values(), default=0.0)
    for name, mean in waits.items():
        if mean > NEGLIGIBLE * largest_wait:
            levers.append(Lever(f"delay:{name}", "delay", f"{name} waiting", name,
                                MAX_SCALE_CUT, 0.5, 0.01))
        elif mean > 0:
            skipped.append(f"{name} waiting: {_hours(mean)} on average, under "
                           f"{NEGLIGIBLE:.0%} of the longest waiting ({_hours(largest_wait)})")
    used = {a.pool for a in model.activities.values() if a.pool is not None}
    for name, pool in sorted(model.pools.items()):
        if name not in used:
            continue
        if pool.assignment == "case_owner":
            skipped.append(f"{name} people: each case is served by its own owner, so added "
                           "people would take over no work")
            continue
        levers.append(Lever(f"pool:{name}", "pool", f"{name} people", name,
                            float(max(MIN_EXTRA_PEOPLE, pool.size)), 1.0, 1.0, integer=True))
    for source, target in rework_transitions(model):
        levers.append(Lever(f"rework:{source}->{target}", "rework",
                            f"{source} → {target} rework", source, 1.0, 0.5, 0.01, to=target))
    for name in staffed:
        levers.append(Lever(f"automate:{name}", "automate", f"automate {name}", name, 1.0,
                            1.0, 1.0, integer=True))
    if payment is not None:
        levers.append(Lever("payment", "payment", "payment days", payment, MAX_PAYMENT_DAYS,
                            10.0, 0.5))
    usable = []
    for lever in (replace(lv, controllable=_controllable(model, lv)) for lv in levers):
        try:
            lever.apply(model, lever.maximum)
        except PlannerError as exc:
            skipped.append(f"{lever.label}: {exc}")
            continue
        usable.append(lever)
    return Catalogue(tuple(usable), tuple(skipped))
