"""Batch-released activities: ones done in runs on a few dates, not when a case is ready.

An invoice run, a weekly billing or a yearly hand-over to credit collection takes, on one
day, every case that has waited long enough. A delay distribution cannot express that: the
wait is set by the calendar of runs (a case ready the day after a run waits for the next
one). An activity is batched when most of its events fall on a few run days, each holding
many of them, and those days are far fewer than the days its events would cover if they
were spread out. Run days a day or two apart are one run that took several days. The runs
then repeat at the typical interval between them (from the first day of each), and a case
joins a run once it has waited the low end of the waits seen before the activity.
"""

from __future__ import annotations

import numpy as np

from calibration.fit.prepared import PreparedLog
from sim.calendar import DAY
from sim.model import Activity, BatchRelease

MIN_SHARE = 0.8  # of an activity's events that fall on its run days
MIN_RUN_EVENTS = 20  # a run day holds at least this many of the activity's events
MIN_RUN_SHARE = 0.01  # and at least this share of them
MIN_RUNS = 3
SPREAD_FACTOR = 0.2  # run days at most this share of the days an even spread would cover
RUN_DAYS = 3  # run days closer than this to the previous one continue its run
AGE_QUANTILE = 0.05  # of the waits before the activity: the age a run asks of a case


def find_batches(log: PreparedLog, activities: dict[str, Activity]) -> dict[str, Activity]:
    """``activities`` with ``batch`` set on those the log shows are released in runs; the
    runs replace their drawn delay, so a split of that delay by attribute goes."""
    found = detect_batches(log)
    return {name: activity.model_copy(update={"batch": found[name], "delay_by": None})
            if name in found else activity for name, activity in activities.items()}


def detect_batches(log: PreparedLog) -> dict[str, BatchRelease]:
    """Activity name -> its runs, for every batch-released activity of the log."""
    day = np.floor(log.start / DAY).astype(np.int64)
    first_day = int(day.min()) if len(day) else 0
    day -= first_day
    n_days = int(day.max()) + 1 if len(day) else 1
    keys, counts = np.unique(log.activity.astype(np.int64) * n_days + day,
                             return_counts=True)
    owner, key_day = np.divmod(keys, n_days)
    wait = log.start - log.prev_end
    found: dict[str, BatchRelease] = {}
    for code, name in enumerate(log.activities):
        mine = owner == code
        days, per_day = key_day[mine], counts[mine]
        total = int(per_day.sum())
        run = per_day >= max(MIN_RUN_EVENTS, MIN_RUN_SHARE * total)
        runs = days[run]
        if len(runs) < MIN_RUNS or per_day[run].sum() < MIN_SHARE * total:
            continue
        span = float(days.max() - days.min() + 1)
        if len(runs) > SPREAD_FACTOR * span * -np.expm1(-total / span):
            continue
        on_run = (log.activity == code) & np.isin(day, runs)
        waits = wait[on_run & ~np.isnan(wait)]
        if len(waits) < MIN_RUN_EVENTS:
            continue  # cases begin with it: there is no wait to join a run after
        starts = runs[np.r_[True, np.diff(runs) >= RUN_DAYS]]  # a run may take a few days
        if len(starts) < MIN_RUNS:
            continue
        dates = tuple(log.to_time((first_day + d) * DAY).date().isoformat() for d in starts)
        found[name] = BatchRelease(
            every_days=float(np.median(np.diff(starts))), reference=dates[-1],
            min_age_days=max(float(np.quantile(waits, AGE_QUANTILE)) / DAY, 0.0),
            dates=dates)
    return found
