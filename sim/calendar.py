"""Weekly working calendars: when a pool's people work, as 168 open-or-closed hours.

Staff work only inside their calendar: a task started on Friday at 16:30 with two hours of
work left finishes on Monday morning. Every question the engine and the calibration ask of
a calendar reduces to the *working clock* ``W(t)``, the working seconds elapsed since the
anchor (a Monday 00:00), which is monotone and vectorises with ``numpy.searchsorted``.
Times are seconds since that anchor.
"""

from __future__ import annotations

from typing import Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
HOURS_PER_WEEK = 168
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class WeekCalendar(BaseModel):
    """Open hours of a week, Monday 00:00-01:00 first; ``hours[d]`` lists day d's open hours."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hours: tuple[tuple[int, ...], ...] = Field(
        description="For each weekday (Mon..Sun), the hours of day (0-23) that are worked.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if len(self.hours) != 7:
            raise ValueError(f"a calendar needs 7 weekdays (Mon..Sun), got {len(self.hours)}")
        for day, hours in zip(DAY_NAMES, self.hours, strict=True):
            bad = [h for h in hours if not 0 <= h <= 23]
            if bad:
                raise ValueError(f"{day}: hours must be 0-23, got {bad}")
        if not any(self.hours):
            raise ValueError("a calendar must have at least one open hour in the week")
        return self

    @classmethod
    def always(cls) -> WeekCalendar:
        """Calendar time: open around the clock (customers, systems)."""
        return cls(hours=tuple(tuple(range(24)) for _ in range(7)))

    @classmethod
    def weekdays(cls, start_hour: int, end_hour: int, days: int = 5) -> WeekCalendar:
        """Open ``start_hour``-``end_hour`` on the first ``days`` weekdays (Mon-Fri by default)."""
        open_day = tuple(range(start_hour, end_hour))
        return cls(hours=tuple(open_day if d < days else () for d in range(7)))

    def grid(self) -> np.ndarray:
        """168 booleans, hour of week -> open."""
        return _grid(self.hours)

    def describe(self) -> str:
        """Short text such as 'Mon-Fri 08:00-18:00'."""
        spans = [_day_span(hours) for hours in self.hours]
        groups: list[tuple[int, int, str]] = []
        for day, span in enumerate(spans):
            if groups and groups[-1][2] == span and groups[-1][1] == day - 1:
                groups[-1] = (groups[-1][0], day, span)
            else:
                groups.append((day, day, span))
        parts = []
        for first, last, span in groups:
            if span:
                days = DAY_NAMES[first]
                if last != first:
                    days += f"-{DAY_NAMES[last]}"
                parts.append(f"{days} {span}")
        return ", ".join(parts)

    @property
    def clock(self) -> WorkingClock:
        return _clock(self.hours)


def _day_span(hours: tuple[int, ...]) -> str:
    ordered = sorted(hours)
    if not ordered:
        return ""
    runs: list[list[int]] = [[ordered[0], ordered[0]]]
    for h in ordered[1:]:
        if h == runs[-1][1] + 1:
            runs[-1][1] = h
        else:
            runs.append([h, h])
    return " ".join(f"{a:02d}:00-{b + 1:02d}:00" for a, b in runs)


class WorkingClock:
    """The working clock of one calendar: converts between time and working seconds."""

    def __init__(self, grid: np.ndarray) -> None:
        self.open = grid
        seconds = grid.astype(float) * HOUR
        self.cum_end = np.cumsum(seconds)
        self.cum_start = self.cum_end - seconds
        self.per_week = float(self.cum_end[-1])

    def working(self, t: np.ndarray | float) -> np.ndarray | float:
        """W(t): working seconds from the anchor to ``t``."""
        t = np.asarray(t, dtype=float)
        weeks, within = np.divmod(t, WEEK)
        hour = np.minimum((within // HOUR).astype(int), HOURS_PER_WEEK - 1)
        inside = np.where(self.open[hour], within - hour * HOUR, 0.0)
        result = weeks * self.per_week + self.cum_start[hour] + inside
        return float(result) if result.ndim == 0 else result

    def between(self, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
        """Working seconds in [a, b] (0 where b <= a)."""
        return np.maximum(np.subtract(self.working(b), self.working(a)), 0.0)

    def _at(self, work: np.ndarray | float, side: str) -> np.ndarray | float:
        work = np.asarray(work, dtype=float)
        weeks, rem = np.divmod(work, self.per_week)
        if side == "left":  # a finishing task ends at closing time, not at the next opening
            at_boundary = (rem == 0) & (work > 0)
            weeks, rem = weeks - at_boundary, np.where(at_boundary, self.per_week, rem)
        hour = np.searchsorted(self.cum_end, rem, side=side)
        hour = np.minimum(hour, HOURS_PER_WEEK - 1)
        result = weeks * WEEK + hour * HOUR + (rem - self.cum_start[hour])
        return float(result) if result.ndim == 0 else result

    def next_open(self, t: float) -> float:
        """The first moment at or after ``t`` when work can happen."""
        hour = int((t % WEEK) // HOUR)
        if self.open[hour]:
            return t
        return float(self._at(self.working(t), "right"))

    def advance(self, t: float, work: float) -> float:
        """When ``work`` working seconds started at ``t`` are done (``t`` itself for no work)."""
        if work <= 0:
            return t
        return float(self._at(self.working(t) + work, "left"))


_CLOCKS: dict[tuple[tuple[int, ...], ...], WorkingClock] = {}


def _clock(hours: tuple[tuple[int, ...], ...]) -> WorkingClock:
    """Clocks are cached per calendar: the engine asks for them once per event."""
    if hours not in _CLOCKS:
        _CLOCKS[hours] = WorkingClock(_grid(hours))
    return _CLOCKS[hours]


def _grid(hours: tuple[tuple[int, ...], ...]) -> np.ndarray:
    grid = np.zeros(HOURS_PER_WEEK, dtype=bool)
    for day, day_hours in enumerate(hours):
        grid[[day * 24 + h for h in day_hours]] = True
    return grid
