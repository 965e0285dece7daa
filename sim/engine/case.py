"""One case's life in the SimPy environment: route, wait, seize a person, work, repeat.

A case only has to be *at* a simulated moment when it asks a pool for a person, because
that is the one thing other cases can change. Everything else (instant customer and system
events, delays on the wall clock) is arithmetic on the case's own draws, so a case yields
to SimPy once per staffed activity: it sleeps until that activity is ready, seizes a member
(first come, first served), and computes when the work ends. Events are kept only when
they have ended by the horizon; a case that has not reached the end of its routing by then
is *open*.

A batch-released activity draws no delay: it is ready at the first run of its batch once
the case has waited the batch's minimum age (``Release.ready``).

A parallel block (``routing.parallel``: a lead activity and its companions) starts all its
activities from the same moment, each after its own delay; when the last has ended the
case goes on from the lead's branch.

Every draw is read at the case's uniforms for its purpose and visit (``CaseDraws``): the
wait before the activity's n-th visit, its work, each step that may follow it and each lost
reason at it have their own, whatever else the case drew before.

A case is a generator of the timeouts it waits for, resumed by a callback on each timeout
rather than wrapped in ``simpy.Process``: the same resumption, without the two extra events
(start and finish) a process schedules.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

import numpy as np
import simpy

from sim.engine.plan import ATTRIBUTES, Plan, Sampler, Step
from sim.engine.streams import CaseDraws
from sim.eventlog import LOST, WON
from sim.model import (
    AHEAD,
    END,
    FIRST,
    LEVEL_SEPARATOR,
    NEXT,
    PATH_SEPARATOR,
    PREVIOUS,
    VISIT,
    visit_key,
)


class _Unchosen(Enum):
    """What follows a step before it is drawn: an enum's one member, so that the type
    checker tells it apart from a step and from the end (None)."""

    UNCHOSEN = "unchosen"


UNCHOSEN = _Unchosen.UNCHOSEN  # what follows a step, not drawn yet
Chosen = Step | None | Literal[_Unchosen.UNCHOSEN]  # what follows: a step, the end, or not drawn

RUNNING, FINISHED, OPEN = 0, 1, 2


class Case:
    """What the output needs of one case: its number, attribute row, outcome and state."""

    __slots__ = ("arrival", "attributes", "lost_reason", "number", "outcome", "row", "state",
                 "visits")

    def __init__(self, number: int, arrival: float) -> None:
        self.number = number
        self.arrival = arrival
        self.row = -1
        self.attributes: dict[str, object] = {}
        self.visits: dict[int, int] = {}
        self.outcome: str | None = None
        self.lost_reason: str | None = None
        self.state = RUNNING


@dataclass
class Recorder:
    """The events of a run, one list per column (cheap appends, one array each at the end)."""

    case: list[int] = field(default_factory=list)
    activity: list[int] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    end: list[float] = field(default_factory=list)
    resource: list[str | None] = field(default_factory=list)

    def add(self, case: int, activity: int, start: float, end: float,
            resource: str | None) -> None:
        self.case.append(case)
        self.activity.append(activity)
        self.start.append(start)
        self.end.append(end)
        self.resource.append(resource)


class CaseRunner:
    """Runs cases of one plan in one SimPy environment up to a horizon."""

    def __init__(self, env: simpy.Environment, plan: Plan, horizon: float,
                 rows: list[dict[str, object]], owner_attribute: str | None,
                 row_weights: tuple[float, ...] | None = None,
                 row_plans: list[Plan] | None = None) -> None:
        self.env = env
        self.plan = plan
        self.row_plans = row_plans  # a segment's cases run their own plan (by attribute row)
        self.horizon = horizon
        self.rows = rows
        # A scenario's segment mix draws rows by weight; the baseline draws them uniformly.
        self.cumulative = (None if row_weights is None
                           else np.cumsum(row_weights) / float(np.sum(row_weights)))
        self.owner_attribute = owner_attribute
        self.events = Recorder()
        self.row_slot = plan.keys.slot(ATTRIBUTES)

    def start(self, case: Case, draws: CaseDraws) -> None:
        """Run ``case`` from now (its arrival) on its ``draws``, resuming it whenever its
        timeout fires (the draws live as long as the case runs)."""
        steps = self.process(case, draws)

        def resume(_: object = None) -> None:
            try:
                event = next(steps)
            except StopIteration:
                return
            event.callbacks.append(resume)

        resume()

    def process(self, case: Case, draws: CaseDraws) -> Generator[simpy.Event, object, None]:
        """The life of ``case``: a generator of the timeouts it waits for."""
        if self.rows:
            u = draws.uniform(self.row_slot, 1)
            row = (int(u * len(self.rows)) if self.cumulative is None
                   else int(np.searchsorted(self.cumulative, u, side="right")))
            case.row = min(row, len(self.rows) - 1)
            case.attributes = self.rows[case.row]
        plan = self.plan if self.row_plans is None else self.row_plans[case.row]
        env, horizon, add = self.env, self.horizon, self.events.add
        step = plan.start.pick(draws, 1)
        previous: Step | None = None
        earlier: Step | None = None  # the step before ``previous``
        chosen: Step | None = None  # what follows ``step``, when drawn before its wait
        drawn = False
        ready_from = case.arrival
        try:
            while step is not None:
                if step.companions:
                    block_end = yield from self._block(step, case, draws, ready_from,
                                                       previous)
                    if block_end is None:
                        return
                    end = block_end
                else:
                    if step.delay_ahead:  # chosen before the wait it shapes
                        drawn, chosen = True, self._choose(
                            plan, step, case, draws, previous, earlier,
                            case.visits.get(step.code, 0) + 1)
                    ready = self._ready(step, case, draws, ready_from, previous,
                                        chosen if drawn else UNCHOSEN)
                    if step.staffed:
                        if ready >= horizon:
                            return
                        if ready > env.now:
                            yield env.timeout(ready - env.now)
                        start, end, member = self._work(step, case, draws, ready)
                    else:
                        start = end = ready
                        member = step.resource
                    if end > horizon:
                        return
                    add(case.number, step.code, start, end, member)
                    self._finish(step, case, draws, previous)
                following = (chosen if drawn else self._choose(
                    plan, step, case, draws, previous, earlier, case.visits[step.code]))
                earlier, previous, ready_from, drawn = previous, step, end, False
                step = following
            case.state = FINISHED
        finally:
            if case.state == RUNNING:
                case.state = OPEN

    @staticmethod
    def _choose(plan: Plan, step: Step, case: Case, draws: CaseDraws, previous: Step | None,
                earlier: Step | None, visit: int) -> Step | None:
        """Draw what follows ``step`` at its ``visit``-th time (None: the case ends)."""
        choice = plan.choice(step, visit, case.attributes, previous, earlier)
        return None if choice is None else choice.pick(draws, visit)

    def _ready(self, step: Step, case: Case, draws: CaseDraws, since: float,
               previous: Step | None, chosen: Chosen = UNCHOSEN) -> float:
        """When ``step`` can start, the previous activity having ended at ``since``
        (``chosen``: what follows it, for a delay that depends on that)."""
        if step.release is not None:
            return step.release.ready(since)
        delay = self._delay(step, case, draws, previous, chosen)
        if step.delay_clock is not None:
            return step.delay_clock.advance(since, delay)
        return since + delay

    def _delay(self, step: Step, case: Case, draws: CaseDraws, previous: Step | None,
               chosen: Chosen = UNCHOSEN) -> float:
        sampler: Sampler = step.delay
        if step.delay_attribute is not None:
            key = _delay_key(step.delay_attribute, step, case, previous, chosen)
            if key is not None:
                sampler = step.delay_values.get(key, sampler)  # a pair falls back on it
                also = (None if step.delay_also is None else
                        _delay_key(step.delay_also, step, case, previous, chosen))
                if also is not None:
                    sampler = step.delay_values.get(f"{key}{LEVEL_SEPARATOR}{also}", sampler)
        visit = case.visits.get(step.code, 0) + 1  # visits count the finished ones
        fixed, draw = sampler
        if draw is None:
            return fixed
        return draw(draws.uniform(step.slots[0], visit))

    def _work(self, step: Step, case: Case, draws: CaseDraws, ready: float
              ) -> tuple[float, float, str | None]:
        """Seize a member at ``ready`` (now), hold them for the drawn work: start, end, who
        (as the log's resource column reads it, where a system step has none)."""
        pool, clock = step.pool, step.clock
        assert pool is not None and clock is not None
        owner = (case.attributes.get(self.owner_attribute)
                 if pool.by_owner and self.owner_attribute is not None else None)
        member, gets = pool.seize(ready, owner)
        start = clock.next_open(gets)
        fixed, draw = step.processing
        work = (fixed if draw is None else draw(draws.uniform(
            step.slots[1], case.visits.get(step.code, 0) + 1)))
        end = pool.work_clock.advance(start, work * pool.speed[member])
        pool.hold(member, start, end)
        return start, end, pool.members[member]

    def _finish(self, step: Step, case: Case, draws: CaseDraws, previous: Step | None
                ) -> None:
        """Count the visit and apply the activity's outcome."""
        case.visits[step.code] = case.visits.get(step.code, 0) + 1
        if step.won:
            case.outcome, case.lost_reason = WON, None
        elif step.lost:
            case.outcome, case.lost_reason = LOST, None
            reasons = step.reasons.get(previous.name) if previous is not None else None
            if reasons is not None:
                case.lost_reason = reasons.pick(draws, case.visits[step.code])

    def _block(self, lead: Step, case: Case, draws: CaseDraws, at: float,
               previous: Step | None) -> Generator[simpy.Event, object, float | None]:
        """Run ``lead`` and its companions side by side from ``at``: when the last of them
        ends (None if that is after the horizon).

        Each draws its own delay, in the listed order (lead first); members are seized in
        order of readiness, each at its own ready moment.
        """
        env, horizon = self.env, self.horizon
        waiting = []
        for index, step in enumerate((lead, *lead.companions)):
            waiting.append((self._ready(step, case, draws, at, previous), index, step))
        waiting.sort(key=lambda item: (item[0], item[1]))
        done: list[tuple[float, int, Step]] = []
        complete = True
        for ready, index, step in waiting:
            if ready > horizon or (step.staffed and ready == horizon):
                complete = False
                break
            if step.staffed:
                if ready > env.now:
                    yield env.timeout(ready - env.now)
                start, end, member = self._work(step, case, draws, ready)
            else:
                start = end = ready
                member = step.resource
            if end > horizon:
                complete = False
                continue
            self.events.add(case.number, step.code, start, end, member)
            done.append((end, index, step))
        done.sort(key=lambda item: (item[0], item[1]))
        for _, _, step in done:
            self._finish(step, case, draws, previous)
        return done[-1][0] if complete else None


def _delay_key(factor: str, step: Step, case: Case, previous: Step | None,
               chosen: Chosen) -> str | None:
    """The value of ``factor`` that picks the delay before ``step`` (None: not known, as
    what follows for a block's companion, which draws nothing ahead)."""
    if factor == PREVIOUS:
        return FIRST if previous is None else previous.name
    if factor == VISIT:  # visits count the finished ones: this is the next
        return visit_key(case.visits.get(step.code, 0) + 1)
    if factor in AHEAD:
        if chosen is UNCHOSEN:
            return None
        after = END if chosen is None else chosen.name
        if factor == NEXT:
            return str(after)
        return f"{FIRST if previous is None else previous.name}{PATH_SEPARATOR}{after}"
    return str(case.attributes.get(factor))
