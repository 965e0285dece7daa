"""An hour that sees a fraction of a busy hour's work is worked by a fraction of the pool:
where work is waiting, few tasks begun at 8:00 mean few people in, and a calendar that opened
that hour in full would start every wait that ended overnight at 8:00."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.pools import PoolFitter
from calibration.fit.prepared import prepare
from tests.synthetic_logs import event_log

BEGIN = pd.Timestamp("2024-01-01")  # a Monday
EARLY_SHARE = 0.2  # of a busy hour's tasks, begun in the first hour of the day


def office_weights(seed: int) -> np.ndarray:
    """The pool's 7 x 24 hour weights (0: closed) for 50 weeks of short tasks on weekdays:
    09:00-17:00 busy, 08:00 with a fifth of a busy hour's tasks."""
    rng = np.random.default_rng(seed)
    weekdays = [d for d in range(350) if (BEGIN + pd.Timedelta(days=d)).dayofweek < 5]
    busy_per_day = 12
    rows: list[tuple[str, str, pd.Timestamp, pd.Timestamp, str]] = []
    for day in weekdays:
        hours = list(range(9, 17)) * busy_per_day
        hours += [8] * int(rng.binomial(busy_per_day, EARLY_SHARE))
        for hour in hours:
            start = BEGIN + pd.Timedelta(days=day, hours=hour, minutes=float(rng.uniform(0, 54)))
            rows.append((f"c{len(rows)}", "Check", start, start + pd.Timedelta(minutes=5),
                         f"clerk {len(rows) % 6}"))
    pool = next(iter(PoolFitter().fit(prepare(event_log(rows))).pools_.values()))
    calendar = pool.calendar
    weights = np.asarray(calendar.weights or [1.0] * 168).reshape(7, 24)
    return np.where(calendar.grid().reshape(7, 24), weights, 0.0)


def test_a_quiet_first_hour_is_worked_by_its_share_and_the_busy_ones_in_full():
    weights = office_weights(seed=3)
    assert (weights[:5, 9:17] == 1.0).all()
    # about 120 tasks in each weekday's 08:00 over 50 weeks against 600 in a busy hour: the
    # share is known to about ±0.016 (one standard deviation), so ±0.05 holds on 5 weekdays
    assert (np.abs(weights[:5, 8] - EARLY_SHARE) < 0.05).all(), weights[:5, 8]
    assert (weights[5:] == 0.0).all() and (weights[:, :8] == 0.0).all()


def test_a_small_pools_chance_dips_stay_full_hours():
    """Two people, about 3 tasks an hour for two weeks, the same rate every office hour: a few
    hours see under a third of a busy hour's tasks by chance (checked below), which says
    nothing of how many people were in, and every office hour is worked in full."""
    rng = np.random.default_rng(4)
    rows: list[tuple[str, str, pd.Timestamp, pd.Timestamp, str]] = []
    per_hour: dict[tuple[int, int], int] = {}
    for week in range(2):
        for day in range(5):
            for hour in range(9, 17):
                tasks = int(rng.poisson(3))
                per_hour[day, hour] = per_hour.get((day, hour), 0) + tasks
                for _ in range(tasks):
                    start = BEGIN + pd.Timedelta(weeks=week, days=day, hours=hour,
                                                 minutes=float(rng.uniform(0, 54)))
                    rows.append((f"c{len(rows)}", "Check", start,
                                 start + pd.Timedelta(minutes=5), f"clerk {len(rows) % 2}"))
    counts = np.array(list(per_hour.values()))
    assert (counts < 0.3 * np.quantile(counts, 0.9)).sum() >= 1
    pool = next(iter(PoolFitter().fit(prepare(event_log(rows))).pools_.values()))
    office = tuple(tuple(range(9, 17)) if day < 5 else () for day in range(7))
    assert pool.calendar.full_hours == office, pool.calendar.describe()
