"""The process model compiled into plain lookups the case process reads per event.

The model is validated once when it is built or loaded; here each activity becomes a
``Step`` holding what the engine needs without further checks: its pool state and fast
clock, its delay and processing samplers (and delays by attribute value), its outcome role
and lost reasons, and its successors. Branch probabilities become cumulative lists drawn
with one uniform and a ``bisect``, cached per probability table. A batch-released activity
gets its run dates as seconds since the run's anchor.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import pandas as pd

from sim.calendar import DAY
from sim.distributions import Distribution
from sim.engine.clock import FastClock
from sim.engine.resources import PoolState
from sim.model import END, BatchRelease, Branch, ProcessModel

# A duration to draw: (value, None) when it is fixed (no draw, no stream needed), else
# (None, draw) where draw(rng) gives one value.
Draw = Callable[[np.random.Generator], float]
Sampler = tuple[float | None, Draw | None]


def sampler(distribution: Distribution) -> Sampler:
    """One draw of ``distribution``: the very value ``distribution.sample(rng)`` gives (each
    family supplies its fast single draw)."""
    return distribution.one_draw()


@dataclass(eq=False)
class Choice:
    """Options and their cumulative probabilities: one uniform picks one."""

    options: list[object]
    cumulative: list[float]

    @classmethod
    def of(cls, probabilities: dict[str, float], lookup: dict[str, object]) -> Choice:
        return cls([lookup[name] for name in probabilities],
                   list(accumulate(probabilities.values())))

    def pick(self, rng: np.random.Generator) -> object:
        index = bisect_right(self.cumulative, rng.random())
        return self.options[min(index, len(self.options) - 1)]


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
    working_delay: bool  # the delay runs on the pool's working clock (staffed only)
    delay: Sampler
    delay_attribute: str | None
    delay_values: dict[str, Sampler]
    delay_also: str | None  # a second factor: the keys hold both values
    delay_ahead: bool  # the delay depends on what follows: it is drawn before the wait
    processing: Sampler
    resource: str | None  # written for non-staffed activities
    won: bool
    lost: bool
    reasons: dict[str, Choice]  # previous activity -> lost reasons
    release: Release | None = None  # released in runs instead of after a drawn delay
    branch: Branch | None = None
    after: Choice | None = None  # the choice when the branch is not conditioned
    companions: tuple[Step, ...] = ()  # run side by side with this one (a parallel block)
    _choices: dict[int, tuple[dict[str, float], Choice]] = field(default_factory=dict)


@dataclass(eq=False)
class Plan:
    """Every activity's step, the start choice and the pools of one run."""

    steps: dict[str, Step]
    start: Choice
    pools: dict[str, PoolState]
    lookup: dict[str, Step | None]

    def choice(self, step: Step, visit: int, attributes: dict[str, object],
               previous: Step | None = None, earlier: Step | None = None) -> Choice | None:
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
            cached = (probabilities, Choice.of(probabilities, self.lookup))  # type: ignore[arg-type]
            step._choices[id(probabilities)] = cached
        return cached[1]


def compile_model(model: ProcessModel, anchor: pd.Timestamp,
                  pools: dict[str, PoolState] | None = None) -> Plan:
    """Steps, pools and choices for one run (pools are fresh: they hold the run's state,
    unless ``pools`` of the run are given: a segment's plan shares the people of the run);
    ``anchor`` is the moment simulated time counts from."""
    if pools is None:
        pools = {name: PoolState(name, pool, FastClock(pool.calendar.clock),
                                 FastClock(pool.calendar.work_clock))
                 for name, pool in model.pools.items()}
    won, lost = set(model.outcomes.won), set(model.outcomes.lost)
    reasons = {previous: Choice.of(shares, {r: r for r in shares})
               for previous, shares in model.outcomes.lost_reasons.items()}
    steps: dict[str, Step] = {}
    for code, (name, activity) in enumerate(model.activities.items()):
        staffed = activity.kind == "staffed"
        pool = pools[activity.pool] if staffed and activity.pool is not None else None
        by = activity.delay_by
        steps[name] = Step(
            name=name, code=code, staffed=staffed, pool=pool,
            clock=pool.clock if pool is not None else None,
            working_delay=staffed and activity.delay_clock == "working",
            delay=sampler(activity.delay), delay_attribute=by.attribute if by else None,
            delay_values={k: sampler(v) for k, v in by.values.items()} if by else {},
            delay_also=by.also if by else None, delay_ahead=by.ahead if by else False,
            processing=sampler(activity.processing) if activity.processing else (0.0, None),
            resource=None if staffed else activity.resource,
            won=name in won, lost=name in lost, reasons=reasons,
            release=Release.of(activity.batch, anchor) if activity.batch else None,
            branch=model.routing.branches.get(name))
    for name, companions in model.routing.parallel.items():
        steps[name].companions = tuple(steps[c] for c in companions if c != END)
    lookup: dict[str, Step | None] = {END: None, **steps}
    for step in steps.values():
        if step.branch is not None and step.branch.conditioned_on is None:
            step.after = Choice.of(step.branch.pooled, lookup)  # type: ignore[arg-type]
    return Plan(steps=steps, start=Choice.of(model.routing.start, lookup),  # type: ignore[arg-type]
                pools=pools, lookup=lookup)


def plans_by_row(model: ProcessModel, plan: Plan, anchor: pd.Timestamp) -> list[Plan] | None:
    """The plan each attribute row's cases run: ``plan`` for most, a segment's own plan
    (with the run's pools) for the rows of a variant; None when the model has no variant."""
    if not model.variants:
        return None
    by_row = [plan] * len(model.attributes.rows)
    for variant in model.variants:
        own = compile_model(model.variant_model(variant), anchor, pools=plan.pools)
        for row in variant.rows:
            by_row[row] = own
    return by_row
