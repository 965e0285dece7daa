"""The process model compiled into plain lookups the case process reads per event.

The model is validated once when it is built or loaded; here each activity becomes a
``Step`` holding what the engine needs without further checks: its pool state and fast
clock, its delay and processing samplers (and delays by attribute value), its outcome role
and lost reasons, and its successors, cached per probability table. A batch-released
activity gets its run dates as seconds since the run's anchor. Each step knows the slots of
its purposes in the run's ``Keys`` (its wait, its work, and each successor and lost reason
it may choose): an activity keyed by the lead-to-cash role it alone plays, else by its name
(``sim.engine.streams``).

A choice is a race: each option draws an exponential time from its own uniform, divided by
its probability, and the first to arrive is taken (each wins with its probability). A
scenario that makes one option rarer changes only the choices that option won: the others
keep what they chose, and a case that no longer takes it takes the option that came second,
where cumulative probabilities in a list would shift every later option's share of the
uniform (the race keeps the choices of the two runs coupled as closely as one option's
change allows).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pandas as pd

from sim.calendar import DAY
from sim.distributions import AtUniform, Distribution
from sim.engine.clock import FastClock
from sim.engine.resources import PoolState
from sim.engine.streams import CaseDraws, Keys
from sim.kpi_roles import ActivityRoles
from sim.model import END, BatchRelease, Branch, ProcessModel

# A duration to draw: (value, None) when it is fixed (no draw, no uniform needed), else
# (nan, draw) where draw(u) gives the duration at the uniform u.
Sampler = AtUniform
Option = TypeVar("Option")  # what a choice picks: the next step, or a lost reason
START, ATTRIBUTES = "start", "attributes"  # the purposes of a case's first draws


def sampler(distribution: Distribution) -> Sampler:
    """``distribution`` read at one uniform (each family supplies its fast quantile)."""
    return distribution.at_uniform()


@dataclass(eq=False)
class Choice(Generic[Option]):
    """Options, their probabilities and their slots: a race of keyed exponentials picks one
    (the module docstring)."""

    options: list[Option]
    weights: list[float]
    slots: list[int]

    @classmethod
    def of(cls, probabilities: Mapping[str, float], lookup: Mapping[str, Option],
           slots: Mapping[str, int]) -> Choice[Option]:
        named = [(name, p) for name, p in probabilities.items() if p > 0]
        return cls([lookup[name] for name, _ in named], [p for _, p in named],
                   [slots[name] for name, _ in named])

    def pick(self, draws: CaseDraws, visit: int) -> Option:
        """The option that wins the race of the case's uniforms at ``visit``."""
        if len(self.options) == 1:
            return self.options[0]
        best, chosen = math.inf, self.options[0]
        for option, weight, slot in zip(self.options, self.weights, self.slots, strict=True):
            arrives = -math.log(draws.uniform(slot, visit)) / weight
            if arrives < best:
                best, chosen = arrives, option
        return chosen


@dataclass(frozen=True, slots=True)
class Release:
    """Runs every ``every`` seconds through ``first``; a case joins once ``min_age`` old."""

    first: float
    every: float
    min_age: float

    @classmethod
    def of(cls, batch: BatchRelease, anchor: pd.Timestamp) -> Release:
        first = (pd.Timestamp(batch.reference) - anchor).total_seconds()
        return cls(first, batch.every_days * DAY, batch.min_age_days * DAY)

    def ready(self, since: float) -> float:
        """The first run at or after ``since + min_age``: no draw, the calendar decides."""
        runs = math.ceil((since + self.min_age - self.first) / self.every)
        return self.first + runs * self.every


@dataclass(eq=False)
class Step:
    """One activity as the engine runs it."""

    name: str
    code: int
    staffed: bool
    pool: PoolState | None
    clock: FastClock | None
    delay_clock: FastClock | None  # the pool's working clock a delay runs on (else the wall's)
    delay: Sampler
    delay_attribute: str | None
    delay_values: dict[str, Sampler]
    delay_also: str | None  # a second factor: the keys hold both values
    delay_ahead: bool  # the delay depends on what follows: it is drawn before the wait
    processing: Sampler
    resource: str | None  # written for non-staffed activities
    won: bool
    lost: bool
    reasons: dict[str, Choice[str]]  # previous activity -> lost reasons (a lost step's)
    release: Release | None = None  # released in runs instead of after a drawn delay
    branch: Branch | None = None
    after: Choice[Step | None] | None = None  # the choice when the branch is not conditioned
    companions: tuple[Step, ...] = ()  # run side by side with this one (a parallel block)
    slots: tuple[int, int] = (0, 0)  # of its wait and its work
    next_slots: dict[str, int] = field(default_factory=dict)  # successor -> its slot
    _choices: dict[int, tuple[dict[str, float], Choice[Step | None]]] = field(
        default_factory=dict)


@dataclass(eq=False)
class Plan:
    """Every activity's step, the start choice and the pools of one run."""

    steps: dict[str, Step]
    start: Choice[Step | None]
    pools: dict[str, PoolState]
    lookup: dict[str, Step | None]
    keys: Keys

    def choice(self, step: Step, visit: int, attributes: dict[str, object],
               previous: Step | None = None, earlier: Step | None = None
               ) -> Choice[Step | None] | None:
        """The choice that applies after ``step``, ``earlier`` and then ``previous`` having
        come just before it (None: the case ends here)."""
        if step.after is not None:
            return step.after
        branch = step.branch
        if branch is None:
            return None
        probabilities = branch.options(visit, attributes,
                                       None if previous is None else previous.name,
                                       None if earlier is None else earlier.name)
        cached = step._choices.get(id(probabilities))
        if cached is None:  # the dict is the model's own, alive as long as the model
            cached = (probabilities, Choice.of(probabilities, self.lookup, step.next_slots))
            step._choices[id(probabilities)] = cached
        return cached[1]


def identities(model: ProcessModel) -> dict[str, str]:
    """What keys each activity's draws: the lead-to-cash role it plays, where no other
    activity of the model plays it (the model's own mapping over the built-in names); for
    an activity named after one that does (a scenario's "Invoice Generated (fix)"), that
    role and the rest of its name; else its name."""
    roles = ActivityRoles.builtin().with_overrides(model.roles)
    played = {name: roles.role_of(name) for name in model.activities}
    count = Counter(played.values())
    keyed = {name: f"role:{role}" for name, role in played.items()
             if role is not None and count[role] == 1}
    found = {}
    for name in model.activities:
        if name in keyed:
            found[name] = keyed[name]
            continue
        after = max((n for n in keyed if name.startswith(n)), key=len, default=None)
        found[name] = (f"activity:{name}" if after is None
                       else f"{keyed[after]}+{name[len(after):]}")
    return found


def compile_model(model: ProcessModel, anchor: pd.Timestamp,
                  pools: dict[str, PoolState] | None = None, keys: Keys | None = None) -> Plan:
    """Steps, pools and choices for one run (pools are fresh: they hold the run's state,
    unless ``pools`` of the run are given: a segment's plan shares the people of the run,
    and its ``keys``); ``anchor`` is the moment simulated time counts from."""
    keys = Keys() if keys is None else keys
    keys.slot(ATTRIBUTES)
    identity = {**identities(model), END: END}
    if pools is None:
        pools = {name: PoolState(name, pool, FastClock(pool.calendar.clock),
                                 FastClock(pool.calendar.work_clock))
                 for name, pool in model.pools.items()}
    won, lost = set(model.outcomes.won), set(model.outcomes.lost)
    lost_reasons = model.outcomes.lost_reasons
    every_reason = sorted({r for shares in lost_reasons.values() for r in shares})
    steps: dict[str, Step] = {}
    for code, (name, activity) in enumerate(model.activities.items()):
        staffed = activity.kind == "staffed"
        pool = pools[activity.pool] if staffed and activity.pool is not None else None
        by = activity.delay_by
        steps[name] = Step(
            name=name, code=code, staffed=staffed, pool=pool,
            clock=pool.clock if pool is not None else None,
            delay_clock=(pool.clock if pool is not None and activity.delay_clock == "working"
                         else None),
            delay=sampler(activity.delay), delay_attribute=by.attribute if by else None,
            delay_values={k: sampler(v) for k, v in by.values.items()} if by else {},
            delay_also=by.also if by else None, delay_ahead=by.ahead if by else False,
            processing=sampler(activity.processing) if activity.processing else (0.0, None),
            resource=None if staffed else activity.resource,
            won=name in won, lost=name in lost,
            reasons=_reasons(lost_reasons, {r: keys.slot(f"reason|{identity[name]}>{r}")
                                            for r in every_reason}) if name in lost else {},
            release=Release.of(activity.batch, anchor) if activity.batch else None,
            branch=model.routing.branches.get(name),
            slots=(keys.slot(f"wait|{identity[name]}"), keys.slot(f"work|{identity[name]}")))
    for name, companions in model.routing.parallel.items():
        steps[name].companions = tuple(steps[c] for c in companions if c != END)
    lookup: dict[str, Step | None] = {END: None, **steps}
    for step in steps.values():
        branch = step.branch
        if branch is None:
            continue
        successors = sorted({n for table in (branch.pooled, *branch.table.values())
                             for n in table})
        step.next_slots = {n: keys.slot(f"next|{identity[step.name]}>{identity[n]}")
                           for n in successors}
        if branch.conditioned_on is None:
            step.after = Choice.of(branch.pooled, lookup, step.next_slots)
    start = {n: keys.slot(f"{START}>{identity[n]}") for n in model.routing.start}
    return Plan(steps=steps, start=Choice.of(model.routing.start, lookup, start),
                pools=pools, lookup=lookup, keys=keys)


def _reasons(shares_after: dict[str, dict[str, float]], slots: dict[str, int]
             ) -> dict[str, Choice[str]]:
    """A lost step's reasons by the activity before it, each keyed by reason."""
    return {previous: Choice.of(shares, {r: r for r in shares}, slots)
            for previous, shares in shares_after.items()}


def plans_by_row(model: ProcessModel, plan: Plan, anchor: pd.Timestamp) -> list[Plan] | None:
    """The plan each attribute row's cases run: ``plan`` for most, a segment's own plan
    (with the run's pools) for the rows of a variant; None when the model has no variant."""
    if not model.variants:
        return None
    by_row = [plan] * len(model.attributes.rows)
    for variant in model.variants:
        own = compile_model(model.variant_model(variant), anchor, pools=plan.pools,
                            keys=plan.keys)
        for row in variant.rows:
            by_row[row] = own
    return by_row
