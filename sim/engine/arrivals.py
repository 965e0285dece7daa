"""New cases: a non-homogeneous Poisson process drawn one week at a time.

The rate of hour ``h`` is the model's weekly profile at that hour of the week times
``exp(trend_per_month * months since the reference date)`` (a month is 30.44 days; after
``trend_until`` the months stop counting, so growth is not extrapolated). Each
week takes Poisson counts for its 168 hours and then uniform times within each hour, in two
vectorised draws from the replication's arrivals stream. Weeks are counted from the anchor
(a Monday 00:00), so a run that stops after ``cases`` arrivals and one that stops at a
horizon see the same arrival times up to where they stop.
"""

from __future__ import annotations

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
    chunks: list[np.ndarray] = []
    counted = 0
    week_rates = WeekRates(arrivals, anchor)
    week = int(first // WEEK)
    while week * WEEK < last:
        counts = rng.poisson(week_rates(week))
        hours = np.repeat(week * WEEK + np.arange(HOURS_PER_WEEK) * HOUR, counts)
        times = np.sort(hours + rng.uniform(0.0, HOUR, size=hours.size))
        times = times[(times >= first) & (times < last)]
        if limit is not None:
            counted += int(np.count_nonzero(times >= counted_from))
            if counted >= limit:
                chunks.append(times)
                break
        chunks.append(times)
        week += 1
    every = np.concatenate(chunks) if chunks else np.empty(0)
    if limit is not None:
        late = np.flatnonzero(every >= counted_from)
        if late.size > limit:
            every = every[: late[limit - 1] + 1]
    return every
