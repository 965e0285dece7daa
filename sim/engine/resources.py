"""Pools of people, served first come, first served, who work only inside their calendar.

A member is *seized* when a case asks for one and *held* until the task's end. Because the
engine knows a task's end the moment it is seized (start at the next open moment, end when
the drawn working seconds are done), a pool needs no queue of waiting processes: a request
made at time ``t`` gets the member who is free first, at ``max(t, free_at)``. Requests are
made in time order, so this is exactly first come, first served (the Kiefer-Wolfowitz
recursion of a multi-server queue), and a case waits by scheduling its next event later.
In a case_owner pool a case waits for its own member in the same way. A test checks the
result against a plain ``simpy.FilterStore`` model, event for event.

Members free at the same moment are handed out in the order they were released (initially
in the pool's member order), like ``simpy.Store``: the order is deterministic and spends no
random draw.
"""

from __future__ import annotations

import heapq

import numpy as np

from sim.engine.clock import FastClock
from sim.model import Pool

INITIAL = float("-inf")
STALE_FACTOR = 4  # a case_owner pool's heap is rebuilt from its members past this many entries each


def member_names(name: str, pool: Pool) -> list[str]:
    """The ``size`` members who work: the first named ones, then ``"<pool> <k>"`` extras."""
    named = list(pool.members[: pool.size])
    return named + [f"{name} {k}" for k in range(len(named) + 1, pool.size + 1)]


class PoolState:
    """Who in one pool is free when, and what each of them has worked."""

    __slots__ = ("busy_end", "busy_start", "by_owner", "clock", "free_at", "heap", "index",
                 "members", "order", "released", "set_aside", "speed", "work_clock")

    def __init__(self, name: str, pool: Pool, clock: FastClock, work_clock: FastClock
                 ) -> None:
        self.members = member_names(name, pool)
        self.speed = [pool.speed.get(member, 1.0) for member in self.members]
        self.clock = clock  # waits (``WeekCalendar.clock``)
        self.work_clock = work_clock  # work (``WeekCalendar.work_clock``)
        self.by_owner = pool.assignment == "case_owner"
        self.index = {member: i for i, member in enumerate(self.members)}
        self.free_at = [INITIAL] * len(self.members)
        self.order = list(range(len(self.members)))  # release order, ties of free_at
        self.released = len(self.members)
        # a heap of (free_at, release order, member); in a case_owner pool an owner's own
        # request bypasses it, so its entries are checked against ``order`` when read
        self.heap = [(INITIAL, i, i) for i in range(len(self.members))]
        self.busy_start: list[float] = []
        self.busy_end: list[float] = []
        self.set_aside: list[tuple[np.ndarray, np.ndarray]] = []  # earlier intervals, as arrays

    def seize(self, t: float, owner: object = None) -> tuple[int, float]:
        """Claim a member for a request made at ``t``: (member number, time the case gets it).

        In a case_owner pool the case's owner serves it when they are a member; anyone else
        (and every request in an "any" pool) gets whoever is free first.
        """
        if self.by_owner:
            member = self.index.get(owner) if isinstance(owner, str) else None
            if member is None:
                member = self._first_free()
        else:
            _, _, member = heapq.heappop(self.heap)
        at = self.free_at[member]
        return member, at if at > t else t

    def _first_free(self) -> int:
        """The member free first (ties: the one released first) in a case_owner pool: the
        heap's top, once the entries a member's later release made stale are dropped. The
        same member a scan of every member's (free_at, release order) finds, in O(log n)
        instead of O(n): a pool of hundreds of reps spent most of a run in that scan."""
        heap, order = self.heap, self.order
        while heap[0][1] != order[heap[0][2]]:
            heapq.heappop(heap)
        return heap[0][2]

    def hold(self, member: int, start: float, end: float) -> None:
        """``member`` works from ``start`` to ``end`` and is free again at ``end``."""
        self.free_at[member] = end
        self.order[member] = self.released
        heapq.heappush(self.heap, (end, self.released, member))
        self.released += 1
        if self.by_owner and len(self.heap) > STALE_FACTOR * len(self.members):
            self.heap = [(self.free_at[i], self.order[i], i) for i in range(len(self.members))]
            heapq.heapify(self.heap)
        self.busy_start.append(start)
        self.busy_end.append(end)

    def put_aside(self) -> None:
        """Keep the work intervals so far as two arrays and empty the lists: a long run
        streamed to a sink holds them at 8 bytes a float, not as Python floats."""
        self.set_aside.append((np.array(self.busy_start, dtype=float),
                               np.array(self.busy_end, dtype=float)))
        self.busy_start.clear()
        self.busy_end.clear()

    def intervals(self) -> tuple[np.ndarray, np.ndarray]:
        """Starts and ends of every task the pool's members worked, in the order worked."""
        if not self.set_aside:
            return np.asarray(self.busy_start), np.asarray(self.busy_end)
        rest = np.array(self.busy_start, dtype=float), np.array(self.busy_end, dtype=float)
        starts, ends = zip(*self.set_aside, rest, strict=True)
        return np.concatenate(starts), np.concatenate(ends)
