"""A progress bar that moves with the work, never goes backwards, and says the time left.

The work reports whole runs, and parallel runs finish together (ten at a time on ten
cores), so between two reports the bar would stand still and then jump. The meter moves
the bar on through the runs in flight at the pace the finished ones took (at most nine
tenths of the next report), and uses the pace of an earlier job of the same kind before the
first run of a new one is in. When the work finds it has more to do (a target search adds
settings as it goes), the bar keeps its place and the new total shares out what is left,
instead of jumping back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AHEAD = 0.9  # how much of the runs in flight the bar may show before they are reported
NEARLY = 0.99  # the bar is full only when the job has ended


@dataclass
class Meter:
    started: float
    unit_hint: float | None = None  # seconds per run of an earlier job of the same kind
    done: int = 0
    total: int = 0
    base: tuple[float, int] = (0.0, 0)  # (fraction, runs done) where the current total began
    last: float | None = None  # when a run was last reported
    burst: int = 1  # the most runs reported at once
    peak: float = field(default=0.0, repr=False)  # the most the bar has shown

    def report(self, done: int, total: int, now: float) -> None:
        if self.total and total != self.total:
            self.base = (self.fraction, self.done)
        if done > self.done:
            self.burst = max(self.burst, done - self.done)
            self.last = now
        self.done, self.total = max(done, self.done), total

    @property
    def fraction(self) -> float:
        """The work reported done, as a share of all of it."""
        if not self.total:
            return 0.0
        base, at = self.base
        if self.total <= at:
            return base
        return min(base + (1.0 - base) * (self.done - at) / (self.total - at), 1.0)

    def unit_seconds(self) -> float | None:
        """How long a run takes: the pace so far, or an earlier job's before any run is in."""
        if self.done and self.last is not None:
            return (self.last - self.started) / self.done
        return self.unit_hint

    def shown(self, now: float, finished: bool = False) -> float:
        """The bar's fill now: never less than before, full only at the end."""
        if finished:
            self.peak = 1.0
            return self.peak
        value = self.fraction
        unit = self.unit_seconds()
        if unit and self.total:
            base, at = self.base
            step = (1.0 - base) / max(self.total - at, 1)
            flying = (now - (self.last or self.started)) / unit
            value += step * min(flying, AHEAD * self.burst)
        self.peak = max(self.peak, min(value, NEARLY))
        return self.peak

    def seconds_left(self, now: float) -> float | None:
        """The time left at the pace so far (None before the pace is known)."""
        shown = self.shown(now)
        if shown <= 0.0 or self.unit_seconds() is None:
            return None
        return (now - self.started) * (1.0 - shown) / shown
