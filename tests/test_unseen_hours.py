"""A pool's calendar closes an hour in which no work was seen only where that says something:
a quiet pool that works round the clock leaves a few hours unseen by chance and keeps them
open; an office's nights and weekends, next to hours full of work, stay closed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.pools import PoolFitter
from calibration.fit.prepared import prepare
from sim.calendar import HOURS_PER_WEEK
from tests.synthetic_logs import event_log

BEGIN = pd.Timestamp("2024-01-01")  # a Monday


def tasks_log(starts: list[pd.Timestamp], seed: int) -> pd.DataFrame:
    """One task of a few minutes per case, by one of two people, at ``starts``."""
    rng = np.random.default_rng(seed)
    rows = []
    for number, start in enumerate(starts):
        work = pd.Timedelta(minutes=float(rng.uniform(2, 8)))
        rows.append((f"c{number}", "Check", start, start + work, f"clerk {number % 2}"))
    return event_log(rows)


def open_hours(log: pd.DataFrame) -> np.ndarray:
    """The 168 open-or-closed hours of the only pool's calendar."""
    pools = PoolFitter().fit(prepare(log)).pools_
    assert len(pools) == 1
    return next(iter(pools.values())).calendar.grid().reshape(-1).astype(bool)


def test_a_quiet_pool_working_round_the_clock_keeps_every_hour():
    """300 tasks spread over 20 weeks round the clock: about 3.6 starts and ends per hour of
    the week, so a few hours see none by chance (checked below), and none is closed."""
    rng = np.random.default_rng(5)
    starts = [BEGIN + pd.Timedelta(hours=float(h)) for h in rng.uniform(0, 20 * 168, 300)]
    log = tasks_log(starts, seed=5)
    seen = np.bincount((pd.Series(starts).dt.dayofweek * 24 + pd.Series(starts).dt.hour),
                       minlength=HOURS_PER_WEEK)
    assert (seen == 0).sum() >= 3  # the chance gaps a calendar of seen hours would keep
    assert open_hours(log).sum() == HOURS_PER_WEEK


def test_an_office_keeps_its_nights_and_weekends_closed():
    """2,000 tasks in office hours, Monday to Friday 09:00-17:00, and five early starts on
    Monday at 07:00: every hour outside them lies next to busy hours, to the early hour
    (worked only now and then) or to other empty ones, and stays closed."""
    rng = np.random.default_rng(6)
    days = [d for d in range(140) if (BEGIN + pd.Timedelta(days=d)).dayofweek < 5]
    starts = [BEGIN + pd.Timedelta(days=int(rng.choice(days)), hours=float(rng.uniform(9, 16.8)))
              for _ in range(2000)]
    starts += [BEGIN + pd.Timedelta(weeks=week, hours=7, minutes=10) for week in range(5)]
    grid = open_hours(tasks_log(starts, seed=6)).reshape(7, 24)
    office = np.zeros((7, 24), dtype=bool)
    office[:5, 9:17] = True
    office[0, 7] = True  # Monday 07:00, now and then
    assert (grid == office).all()
