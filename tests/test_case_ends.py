"""Which idle cases are still open at the end of a log: a process that slowed down near the
end leaves its slow cases idle longer than any wait the log saw end, and they are open, not
stopped; a steady rise in how many cases stop at a step leaves the wait as it is."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.case_ends import checked_waits, end_activities, last_events, open_case_ids, usual_waits
from sim.eventlog import ACTIVITY, END, EventLog
from tests.synthetic_logs import event_log

BEGIN = pd.Timestamp("2020-01-01")
DAYS = 4 * 365
SNAPSHOT = BEGIN + pd.Timedelta(days=DAYS)


def fines(stop_share: Callable[[int], float],
          collection_days: Callable[[int, np.random.Generator], float],
          seed: int) -> tuple[EventLog, set[str]]:
    """Three fines a day for four years: 'Create', a 'Penalty' ten days later, then
    'Collect' after ``collection_days(day)`` days, or nothing with ``stop_share(day)``;
    cut at the snapshot. Also the cases whose penalty was followed after the snapshot."""
    rng = np.random.default_rng(seed)
    rows, collected_later = [], set()
    for number, day in enumerate(np.repeat(np.arange(DAYS), 3)):
        case, created = f"f{number}", BEGIN + pd.Timedelta(days=float(day + rng.uniform()))
        steps = [("Create", created), ("Penalty", created + pd.Timedelta(days=10))]
        if rng.uniform() >= stop_share(int(day)):
            wait = pd.Timedelta(days=float(collection_days(int(day), rng)))
            steps.append(("Collect", steps[-1][1] + wait))
        kept = [(case, name, at, at) for name, at in steps if at <= SNAPSHOT]
        rows += kept
        if len(kept) == 2 and len(steps) == 3:
            collected_later.add(case)
    return event_log(rows), collected_later


def test_cases_idle_past_every_wait_seen_after_a_slowdown_are_still_open():
    """Collection takes 100-300 days until 450 days before the snapshot, then 500-800: the
    waits seen to end stay under 300 days, yet nearly every fine idle after its penalty is
    collected later. The cases idle between one and two of those waits stop far more often
    than the older ones (2% stop): they are open. Without the check, 420 of the 1,298 cases
    still to be collected (with this seed) were taken for stopped."""
    slow_from = DAYS - 450
    log, collected_later = fines(lambda day: 0.02, lambda day, rng: rng.uniform(
        100, 300) if day < slow_from else rng.uniform(500, 800), seed=3)
    still_open = set(open_case_ids(log.events))
    stopped = collected_later - still_open
    assert len(collected_later) > 1000
    assert not stopped
    assert usual_waits(log.events)["Penalty"] < pd.Timedelta(days=300)


def test_a_steady_rise_in_stopped_cases_leaves_the_wait_as_seen():
    """Stopping after the penalty rises steadily from 10% to 30% over the four years, at an
    unchanged pace of collection: the cases idle just past the wait stop more often than the
    older ones, but not twice as often, so the wait stays the one seen and the cases idle
    beyond it are taken for stopped, as they are."""
    log, collected_later = fines(lambda day: 0.1 + 0.2 * day / DAYS,
                                 lambda day, rng: rng.uniform(100, 300), seed=4)
    events = log.events
    ends = end_activities(events)
    last = last_events(events)
    assert checked_waits(events, last, ends)["Penalty"] == usual_waits(events)["Penalty"]
    idle = SNAPSHOT - last[END]
    stale = last.index[(last[ACTIVITY] == "Penalty") & (idle > pd.Timedelta(days=300))]
    assert len(stale) > 500
    assert not set(stale) & set(open_case_ids(events))
    assert not set(stale) & collected_later
