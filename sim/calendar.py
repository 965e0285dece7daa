"""Weekly working calendars: when a pool's people work, as 168 open-or-closed hours.

Staff work only inside their calendar: a task started on Friday at 16:30 with two hours of
work left finishes on Monday morning. Every question the engine and the calibration ask of
a calendar reduces to the *working clock* ``W(t)``, the working seconds elapsed since the
anchor (a Monday 00:00), which is monotone and vectorises with ``numpy.searchsorted``.
Times are seconds since that anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Self, overload

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
HOURS_PER_WEEK = 168
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class CalendarWords:
    """The words a calendar is described in: English here, the app's language from its
    keyed labels (``ui.app.named.calendar``), so no text is translated after the fact."""

    days: tuple[str, ...] = DAY_NAMES
    with_rare: str = "{full}; now and then {rare}"  # open hours, then the seldom worked
    only_rare: str = "now and then {rare}"  # a calendar of seldom worked hours only


ENGLISH = CalendarWords()


class WeekCalendar(BaseModel):
    """Open hours of a week, Monday 00:00-01:00 first; ``hours[d]`` lists day d's open hours.

    ``weights`` (optional, 168 values, Monday 00:00 first) say how much of each open hour is
    worked, as a share of a full hour: the pool's probable availability, after the
    probabilistic calendars of López-Pintado & Dumas ("Discovery and simulation of business
    processes with probabilistic resource availability calendars", ICPM 2022). An hour that
    is seldom worked (a Sunday morning, a lunch hour) then counts as a fraction of an hour
    on the working clock, so work and working-time waits pass through it rarely and slowly,
    instead of either never or at full pace.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hours: tuple[tuple[int, ...], ...] = Field(
        description="For each weekday (Mon..Sun), the hours of day (0-23) that are worked.")
    weights: tuple[float, ...] | None = Field(
        default=None, description="Share of each hour of the week that is worked (168 values "
                                  "in (0, 1] for the open hours; None: every open hour in full).")

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
        if self.weights is not None:
            weights = np.asarray(self.weights, dtype=float)
            if weights.shape != (HOURS_PER_WEEK,) or not np.all(np.isfinite(weights)):
                raise ValueError(f"weights need {HOURS_PER_WEEK} numbers, one per hour of the "
                                 "week from Monday 00:00")
            open_weights = weights[self.grid()]
            if open_weights.min() <= 0 or open_weights.max() > 1:
                raise ValueError("the weights of open hours must be > 0 and at most 1")
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

    @property
    def full_hours(self) -> tuple[tuple[int, ...], ...]:
        """The open hours worked in full (weight 1), per weekday."""
        if self.weights is None:
            return self.hours
        return tuple(tuple(h for h in day if self.weights[d * 24 + h] >= 1.0)
                     for d, day in enumerate(self.hours))

    def describe(self, words: CalendarWords = ENGLISH) -> str:
        """Short text such as 'Mon-Fri 08:00-18:00', then the hours worked only now and
        then, if any: 'Mon-Fri 08:00-18:00; now and then Sun 09:00-10:00'."""
        full_hours = self.full_hours
        full = _describe(full_hours, words.days)
        if full_hours == self.hours:
            return full
        rare = _describe(tuple(tuple(h for h in day if h not in kept) for day, kept
                               in zip(self.hours, full_hours, strict=True)), words.days)
        if not full:
            return words.only_rare.format(rare=rare)
        return words.with_rare.format(full=full, rare=rare)

    @property
    def clock(self) -> WorkingClock:
        """The clock waits run on: a seldom worked hour counts for its weight."""
        return _clock(self.hours, self.weights)

    @property
    def work_clock(self) -> WorkingClock:
        """The clock work runs on: every open hour in full. Someone who works at all in a
        seldom worked hour works at their usual pace: a ten-minute call made at 19:00 takes
        ten minutes, not the rest of the evening and the night (the weight says how rarely
        the hour is worked, not how slowly)."""
        return _clock(self.hours, None)


def _describe(hours: tuple[tuple[int, ...], ...], day_names: tuple[str, ...]) -> str:
    """Short text such as 'Mon-Fri 08:00-18:00' for open hours per weekday."""
    groups: list[tuple[int, int, str]] = []
    for day, span in enumerate(_day_span(day_hours) for day_hours in hours):
        if groups and groups[-1][2] == span and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = []
    for first, last, span in groups:
        if span:
            days = day_names[first] + (f"-{day_names[last]}" if last != first else "")
            parts.append(f"{days} {span}")
    return ", ".join(parts)


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
    """The working clock of one calendar: converts between time and working seconds (an
    open hour holds ``HOUR`` times its weight of them)."""

    def __init__(self, grid: np.ndarray, weights: np.ndarray | None = None) -> None:
        self.open = grid
        self.rate = np.where(grid, 1.0 if weights is None else weights, 0.0)
        seconds = self.rate * HOUR
        self.cum_end = np.cumsum(seconds)
        self.cum_start = self.cum_end - seconds
        self.per_week = float(self.cum_end[-1])

    @overload
    def working(self, t: np.ndarray) -> np.ndarray: ...

    @overload
    def working(self, t: float) -> float: ...

    def working(self, t: np.ndarray | float) -> np.ndarray | float:
        """W(t): working seconds from the anchor to ``t`` (an array for an array)."""
        t = np.asarray(t, dtype=float)
        weeks, within = np.divmod(t, WEEK)
        hour = np.minimum((within // HOUR).astype(int), HOURS_PER_WEEK - 1)
        inside = (within - hour * HOUR) * self.rate[hour]
        result = weeks * self.per_week + self.cum_start[hour] + inside
        return float(result) if result.ndim == 0 else result

    def between(self, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
        """Working seconds in [a, b] (0 where b <= a)."""
        return np.maximum(np.subtract(self.working(b), self.working(a)), 0.0)

    def _at(self, work: np.ndarray | float, side: Literal["left", "right"]) -> np.ndarray | float:
        work = np.asarray(work, dtype=float)
        weeks, rem = np.divmod(work, self.per_week)
        if side == "left":  # a finishing task ends at closing time, not at the next opening
            at_boundary = (rem == 0) & (work > 0)
            weeks, rem = weeks - at_boundary, np.where(at_boundary, self.per_week, rem)
        hour = np.searchsorted(self.cum_end, rem, side=side)
        hour = np.minimum(hour, HOURS_PER_WEEK - 1)
        inside = (rem - self.cum_start[hour]) / np.where(self.open[hour], self.rate[hour], 1.0)
        result = weeks * WEEK + hour * HOUR + inside
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


_CLOCKS: dict[tuple[object, ...], WorkingClock] = {}


def _clock(hours: tuple[tuple[int, ...], ...], weights: tuple[float, ...] | None
           ) -> WorkingClock:
    """Clocks are cached per calendar: the engine asks for them once per event."""
    key = (hours, weights)
    if key not in _CLOCKS:
        _CLOCKS[key] = WorkingClock(_grid(hours), None if weights is None
                                    else np.asarray(weights, dtype=float))
    return _CLOCKS[key]


def _grid(hours: tuple[tuple[int, ...], ...]) -> np.ndarray:
    grid = np.zeros(HOURS_PER_WEEK, dtype=bool)
    for day, day_hours in enumerate(hours):
        grid[[day * 24 + h for h in day_hours]] = True
    return grid
