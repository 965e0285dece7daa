"""A scalar working clock: ``WorkingClock``'s answers for one time at a time, fast.

``sim.calendar.WorkingClock`` is vectorised with numpy, which costs microseconds of array
set-up per scalar call; the engine asks it two or three questions per staffed activity.
``FastClock`` reads the same tables into Python lists and answers with plain float
arithmetic and ``bisect`` (the scalar twins of ``divmod`` and ``searchsorted``), so it
returns the same times, only several times faster. An always-open calendar needs no tables
at all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from sim.calendar import HOUR, HOURS_PER_WEEK, WEEK, WorkingClock

LAST_HOUR = HOURS_PER_WEEK - 1


class FastClock:
    """``next_open``, ``advance`` and ``working`` of one weekly calendar, for floats."""

    __slots__ = ("always", "cum_end", "cum_start", "open", "per_week", "rate", "vector")

    def __init__(self, clock: WorkingClock) -> None:
        self.vector = clock
        self.open: list[bool] = [bool(v) for v in clock.open]
        self.rate: list[float] = [float(v) if o else 1.0 for v, o in zip(clock.rate, clock.open,
                                                                          strict=True)]
        self.cum_start: list[float] = [float(v) for v in clock.cum_start]
        self.cum_end: list[float] = [float(v) for v in clock.cum_end]
        self.per_week = clock.per_week
        self.always = all(self.open) and all(r == 1.0 for r in self.rate)

    def working(self, t: float) -> float:
        """Working seconds from the anchor to ``t``."""
        if self.always:
            return t
        weeks, within = divmod(t, WEEK)
        hour = min(int(within // HOUR), LAST_HOUR)
        inside = (within - hour * HOUR) * self.rate[hour] if self.open[hour] else 0.0
        return weeks * self.per_week + self.cum_start[hour] + inside

    def working_many(self, t: np.ndarray) -> np.ndarray:
        """Working seconds to each of many times, vectorised."""
        t = np.asarray(t, dtype=float)
        return t.copy() if self.always else np.asarray(self.vector.working(t), dtype=float)

    def next_open(self, t: float) -> float:
        """The first moment at or after ``t`` when work can happen."""
        if self.always or self.open[int((t % WEEK) // HOUR)]:
            return t
        weeks, rem = divmod(self.working(t), self.per_week)
        hour = min(bisect_right(self.cum_end, rem), LAST_HOUR)
        return weeks * WEEK + hour * HOUR + (rem - self.cum_start[hour]) / self.rate[hour]

    def advance(self, t: float, work: float) -> float:
        """When ``work`` working seconds started at ``t`` are done (a task that finishes at
        closing time ends then, not at the next opening)."""
        if work <= 0:
            return t
        if self.always:
            return t + work
        total = self.working(t) + work
        weeks, rem = divmod(total, self.per_week)
        if rem == 0 and total > 0:
            weeks, rem = weeks - 1, self.per_week
        hour = min(bisect_left(self.cum_end, rem), LAST_HOUR)
        return weeks * WEEK + hour * HOUR + (rem - self.cum_start[hour]) / self.rate[hour]
