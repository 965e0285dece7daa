"""Prosimos weekly calendars (time periods to the second) as our hour calendars.

A Prosimos period runs from weekday ``from`` to weekday ``to`` (wrapping past Sunday), each
day from ``beginTime`` to ``endTime``; an end of ``00:00`` means midnight at the end of the
day, and an end from ``23:59`` on counts as midnight too (the usual way to write "until the
end of the day"). Our calendars open whole hours: an hour is open when at least half of it
lies inside a period. When that moves any hour by more than a minute, a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from sim.calendar import DAY, HOUR, HOURS_PER_WEEK, WeekCalendar
from sim.errors import PlannerError

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
END_OF_DAY = DAY - 60  # ends at or after 23:59 mean midnight
LOST_SECONDS = 60  # more than this gained or lost in an hour is worth a note
_TIME = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(?:Z|[+-]00:?00)?\s*")


@dataclass(frozen=True)
class Periods:
    """Open intervals per weekday, in seconds since midnight, merged and sorted."""

    days: tuple[tuple[tuple[float, float], ...], ...]

    @classmethod
    def parse(cls, periods: list, where: str) -> Periods:
        """Read a list of Prosimos time periods (``where`` names it in messages)."""
        days: list[list[tuple[float, float]]] = [[] for _ in WEEKDAYS]
        for i, period in enumerate(periods):
            at = f"{where}, period {i + 1}"
            if not isinstance(period, dict):
                raise PlannerError(f"{at}: must be an object with from, to, beginTime and "
                                   f"endTime (got {type(period).__name__}).")
            first, last = _day(period, "from", at), _day(period, "to", at)
            begin, end = _time(period, "beginTime", at), _time(period, "endTime", at)
            if end == 0 and begin > 0:
                end = DAY
            end = DAY if end >= END_OF_DAY else end
            if end <= begin:
                raise PlannerError(f"{at}: ends at {period.get('endTime')} before it begins at "
                                   f"{period.get('beginTime')}; a period cannot pass midnight, "
                                   "so split it into two.")
            day = first
            while True:
                days[day].append((begin, end))
                if day == last:
                    break
                day = (day + 1) % 7
        return cls(tuple(_merge(d) for d in days))

    def union(self, other: Periods) -> Periods:
        return Periods(tuple(_merge([*a, *b]) for a, b in zip(self.days, other.days,
                                                              strict=True)))

    def coverage(self) -> np.ndarray:
        """Open seconds in each of the 168 hours of the week."""
        seconds = np.zeros(HOURS_PER_WEEK)
        for day, intervals in enumerate(self.days):
            for begin, end in intervals:
                for hour in range(int(begin // HOUR), int(np.ceil(end / HOUR))):
                    lo, hi = max(begin, hour * HOUR), min(end, (hour + 1) * HOUR)
                    seconds[day * 24 + hour] += max(hi - lo, 0.0)
        return seconds

    def seconds_per_week(self) -> float:
        return float(sum(end - begin for day in self.days for begin, end in day))

    def to_calendar(self, where: str, notes: list[str]) -> WeekCalendar:
        """Our calendar: hours at least half open; a note when minutes are moved."""
        seconds = self.coverage()
        grid = seconds >= HOUR / 2
        if not grid.any():
            raise PlannerError(f"{where} has no working time (no period of at least half an "
                               "hour); a pool or arrivals need some open hours.")
        calendar = WeekCalendar(hours=tuple(
            tuple(int(h) for h in np.flatnonzero(grid[d * 24:(d + 1) * 24])) for d in range(7)))
        moved = np.abs(grid * HOUR - seconds)
        if moved.max() > LOST_SECONDS:
            delta = (grid.sum() * HOUR - seconds.sum()) / HOUR
            notes.append(f"{where}: periods that do not start and end on the hour were rounded "
                         f"to whole hours ({delta:+.1f} h a week): {calendar.describe()}.")
        return calendar


def _merge(intervals: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    merged: list[list[float]] = []
    for begin, end in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return tuple((a, b) for a, b in merged)


def _day(period: dict, key: str, where: str) -> int:
    value = str(period.get(key, "")).strip().upper()
    if value not in WEEKDAYS:
        raise PlannerError(f"{where}: {key} must be a weekday such as MONDAY (got "
                           f"{period.get(key)!r}).")
    return WEEKDAYS.index(value)


def _time(period: dict, key: str, where: str) -> float:
    value = period.get(key)
    match = _TIME.fullmatch(str(value)) if isinstance(value, str) else None
    if match is None:
        raise PlannerError(f"{where}: {key} must be a time of day like '09:00:00' (got "
                           f"{value!r}).")
    hours, minutes, secs, fraction = match.groups()
    seconds = (int(hours) * 3600 + int(minutes) * 60 + int(secs or 0) + float(fraction or 0))
    if int(minutes) > 59 or int(secs or 0) > 59 or seconds > DAY:
        raise PlannerError(f"{where}: {key} is not a time of day (got {value!r}).")
    return float(seconds)
