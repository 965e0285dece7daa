"""The weekly arrival profile of a Prosimos model.

Prosimos draws each inter-arrival gap on the wall clock from the previous arrival; when the
next arrival would fall outside the arrival calendar it is moved to the calendar's next
opening, and the next gap is drawn from there. So, within open hours, cases arrive at rate
``1 / mean gap``, and each closure ends with one deferred arrival at the opening, unless the
gap that crosses the closure jumps it.

The import keeps the gaps themselves (``Arrivals.process = "renewal"``: the engine replays
that rule) and writes the hourly profile for the open hours and as a summary: every open hour
gets ``3600 / mean gap`` expected cases, and the first hour after each closure of ``C``
seconds adds the deferred one with probability ``1 - exp(-C / mean gap)``. For exponential
gaps (a Poisson stream, as Simod usually discovers) that is exactly Prosimos's expected number
of arrivals in every hour; for other gap distributions it keeps the mean rate and is off by
at most about one case per opening. Closed hours get no arrivals.
"""

from __future__ import annotations

import math

import numpy as np

from sim.calendar import HOUR, HOURS_PER_WEEK


def hourly_rates(open_hours: np.ndarray, mean_gap: float) -> tuple[tuple[float, ...], ...]:
    """Expected arrivals in each hour of the week (7 x 24), Monday 00:00 first."""
    rate = np.where(open_hours, HOUR / mean_gap, 0.0)
    for first, closed in _openings(open_hours):
        rate[first] += -math.expm1(-closed * HOUR / mean_gap)
    return tuple(tuple(float(r) for r in rate[d * 24:(d + 1) * 24]) for d in range(7))


def _openings(open_hours: np.ndarray) -> list[tuple[int, int]]:
    """(first open hour, closed hours before it) for each opening of the weekly calendar."""
    if open_hours.all():
        return []
    found = []
    for hour in range(HOURS_PER_WEEK):
        if open_hours[hour] and not open_hours[hour - 1]:
            closed = 1
            while not open_hours[(hour - 1 - closed) % HOURS_PER_WEEK]:
                closed += 1
            found.append((hour, closed))
    return found
