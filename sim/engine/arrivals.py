"""New cases: a non-homogeneous Poisson process drawn one week at a time, or a renewal one.

The rate of hour ``h`` is the model's weekly profile at that hour of the week times
``exp(trend_per_month * months since the reference date)`` (a month is 30.44 days; after
``trend_until`` the months stop counting, so growth is not extrapolated). Each
week takes Poisson counts for its 168 hours and then uniform times within each hour, in two
vectorised draws from the replication's arrivals stream. Weeks are counted from the anchor
(a Monday 00:00), so a run that stops after ``cases`` arrivals and one that stops at a
horizon see the same arrival times up to where they stop.

A renewal process (``Arrivals.process == "renewal"``, imported Prosimos models) places its
arrivals as Prosimos does (``SimulationSetup.next_arrival_time``: ``gap +
arrival_calendar.next_available_time(previous + gap)``): each gap, drawn from
``interarrival``, runs on the wall clock from the previous arrival, and an arrival that falls
in a closed hour (hourly rate 0) moves to the start of the next open hour; the next gap runs
from there. The first arrival is at ``first`` (or the next opening). Gaps come from the same
arrivals stream in chunks of a fixed size, so a run that stops after ``cases`` arrivals and
one that stops at a horizon see the same arrival times up to where they stop.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.calendar import DAY, HOUR, HOURS_PER_WEEK, WEEK
from sim.model import Arrivals

AVERAGE_MONTH = 30.44 * DAY


def _naive(moment: str) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


class WeekRates:
    """Expected arrivals in each hour of a week after the anchor (set up once per run)."""

    def __init__(self, arrivals: Arrivals, anchor: pd.Timestamp) -> None:
        reference = _naive(arrivals.reference)
        self.profile = arrivals.week_profile()
        self.trend = arrivals.trend_per_month
        self.offset = (anchor - reference).total_seconds()
        self.cap = (np.inf if arrivals.trend_until is None else
                    (_naive(arrivals.trend_until) - reference).total_seconds() / AVERAGE_MONTH)

    def __call__(self, week: int) -> np.ndarray:
        hour_starts = week * WEEK + np.arange(HOURS_PER_WEEK) * HOUR
        months = np.minimum((self.offset + hour_starts) / AVERAGE_MONTH, self.cap)
        return self.profile * np.exp(self.trend * months)


def arrival_times(arrivals: Arrivals, anchor: pd.Timestamp, rng: np.random.Generator, *,
                  first: float, last: float, limit: int | None = None,
                  counted_from: float | None = None) -> np.ndarray:
    """Sorted arrival times (seconds since ``anchor``) in ``[first, last)``.

    With ``limit``, arrivals stop after ``limit`` of them at or after ``counted_from``
    (default ``first``): the earlier ones are the warm-up's.
    """
    counted_from = first if counted_from is None else counted_from
    if arrivals.process == "renewal":
        return _renewal_times(arrivals, rng, first, last, limit, counted_from)
    chunks: list[np.ndarray] = []
    counted = 0
    week_rates = WeekRates(arrivals, anchor)
    week = int(first // WEEK)
    while week * WEEK < last:
        counts = rng.poisson(week_rates(week))
        hours = np.repeat(week * WEEK + np.arange(HOURS_PER_WEEK) * HOUR, counts)
        times = np.sort(hours + rng.uniform(0.0, HOUR, size=hours.size))
        times = times[(times >= first) & (times < last)]
        chunks.append(times)
        counted += int(np.count_nonzero(times >= counted_from))
        if limit is not None and counted >= limit:
            break
        week += 1
    return _first_arrivals(chunks, limit, counted_from)


def _first_arrivals(chunks: list[np.ndarray], limit: int | None,
                    counted_from: float) -> np.ndarray:
    """The arrivals drawn, up to the ``limit``-th at or after ``counted_from``."""
    every = np.concatenate(chunks) if chunks else np.empty(0)
    if limit is not None:
        late = np.flatnonzero(every >= counted_from)
        if late.size > limit:
            every = every[: late[limit - 1] + 1]
    return every


GAPS_PER_DRAW = 1024  # renewal gaps drawn at once (fixed: the draws must not depend on limits)


def _renewal_times(arrivals: Arrivals, rng: np.random.Generator, first: float, last: float,
                   limit: int | None, counted_from: float) -> np.ndarray:
    """Arrivals of a renewal process on the weekly open hours (see the module docstring).

    Between closures the arrivals are the running sum of the gaps (vectorised); an arrival
    in a closed hour moves to the next opening and the sum starts again from there.
    """
    gaps_of = arrivals.interarrival
    assert gaps_of is not None  # checked by Arrivals
    is_open = arrivals.week_profile() > 0
    # hours from each hour of the week to the next open one (0 when open)
    wait = np.zeros(HOURS_PER_WEEK, dtype=np.int64)
    for hour in range(HOURS_PER_WEEK):
        while not is_open[(hour + wait[hour]) % HOURS_PER_WEEK]:
            wait[hour] += 1

    def opening(moment: float) -> float:
        hour = math.floor(moment / HOUR)
        return moment if is_open[hour % HOURS_PER_WEEK] else float(
            (hour + wait[hour % HOURS_PER_WEEK]) * HOUR)

    chunks: list[np.ndarray] = []
    counted = 0
    now = opening(first)
    pending = np.asarray([now])  # arrivals placed, not yet kept
    while True:
        if pending.size:
            kept = pending[pending < last]
            chunks.append(kept)
            counted += int(np.count_nonzero(kept >= counted_from))
            if (limit is not None and counted >= limit) or kept.size < pending.size:
                break
        gaps = np.asarray(gaps_of.sample(rng, GAPS_PER_DRAW), dtype=float)
        placed = []
        start = 0
        while start < gaps.size and now < last:
            times = np.cumsum(np.concatenate(([now], gaps[start:])))[1:]
            hours = np.floor(times / HOUR).astype(np.int64) % HOURS_PER_WEEK
            closed = np.flatnonzero(~is_open[hours])
            end = gaps.size - start if closed.size == 0 else int(closed[0]) + 1
            if closed.size:
                times[end - 1] = opening(float(times[end - 1]))
            placed.append(times[:end])
            now = float(times[end - 1])
            start += end
        pending = np.concatenate(placed) if placed else np.empty(0)
        if not pending.size:
            break
    return _first_arrivals(chunks, limit, counted_from)
