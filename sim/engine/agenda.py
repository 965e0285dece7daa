"""The agenda: suspended processes and when each wakes up, run in SimPy's order.

The engine's processes (the arrivals and each case) only ever wait for a delay: a case
yields to the clock once per staffed activity, and nothing else can wake it. SimPy builds a
``Timeout`` event with a callback list for each of those waits and steps through them one
by one; here a process is a generator that yields how long it waits, and the agenda keeps
``(wake-up time, order, process)`` on a heap. The order is a counter in the order the waits
were asked for, as SimPy's event id is, and a wake-up time is ``now + delay`` as SimPy adds
it, so processes run in exactly SimPy's order and every simulated log is the one SimPy
gives, at less than half the cost per wait.

``run(until)`` stops before anything due at ``until`` (SimPy's stop event is urgent: it is
handled before ordinary events at the same moment); what is still waiting then stays
suspended, as a case open at the horizon.
"""

from __future__ import annotations

from collections.abc import Generator
from heapq import heappop, heappush
from itertools import count

Process = Generator[float, None, None]  # yields the seconds it waits, from now


class Agenda:
    """Simulated time (``now``) and the processes waiting for a later moment."""

    __slots__ = ("_heap", "_order", "now")

    def __init__(self, now: float) -> None:
        self.now = now
        self._heap: list[tuple[float, int, Process]] = []
        self._order = count()

    def start(self, process: Process) -> None:
        """Run ``process`` from now until its first wait."""
        self._resume(process)

    def _resume(self, process: Process) -> None:
        try:
            delay = next(process)
        except StopIteration:
            return
        heappush(self._heap, (self.now + delay, next(self._order), process))

    def run(self, until: float) -> None:
        """Wake processes in time order (ties: first asked, first woken) until ``until``."""
        stop = self.now + (until - self.now)  # SimPy's moment for its stop event
        heap, resume = self._heap, self._resume
        while heap and heap[0][0] < stop:
            self.now, _, process = heappop(heap)
            resume(process)
