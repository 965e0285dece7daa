"""A case that rarely begins with an activity (a fraud check first) is a real start, not a
case seen from the middle; only the cases seen so early that they may have begun before
the log are left out of where cases start."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.calibrate import calibrate
from calibration.fit.prepared import prepare
from sim.eventlog import EventLog
from tests.synthetic_logs import event_log
from tests.test_routing_by_history import timed_path

CASES = 3000
FRAUD_FIRST = 0.02  # of the cases begin with the fraud check
BEGUN_BEFORE = 40  # cases the log catches in the middle, in its first days


def fraud_first_log(seed: int = 5) -> EventLog:
    """Over 200 days, cases of a few hours: 'Apply' -> 'Review' -> 'Decide', 2% of them with
    'Check fraud' first instead of 'Apply'; and 40 cases that had begun before the log, seen
    from 'Review' on within its first four hours (a case lasts 7.5 hours on average)."""
    rng = np.random.default_rng(seed)
    origin = pd.Timestamp("2024-01-01")
    rows = []
    for number in range(CASES):
        first = "Check fraud" if rng.random() < FRAUD_FIRST else "Apply"
        rows += timed_path(f"c{number}", [first, "Review", "Decide"], origin, rng)
    for number in range(BEGUN_BEFORE):
        at = origin + pd.Timedelta(hours=float(rng.uniform(0, 4)))
        rows += [(f"m{number}", "Review", at, at + pd.Timedelta(minutes=30)),
                 (f"m{number}", "Decide", at + pd.Timedelta(hours=2),
                  at + pd.Timedelta(hours=2.5))]
    return event_log(rows)


def test_a_rare_first_activity_starts_cases_at_its_share():
    log = fraud_first_log()
    start = calibrate(log).model.routing.start
    fraud = (log.events.sort_values("start_time").groupby("case_id")["activity"].first()
             == "Check fraud").sum()
    assert start.get("Check fraud", 0.0) == fraud / CASES  # every such case counts, exactly
    assert "Review" not in start  # cases seen from the middle are not where cases begin


def test_cases_seen_from_the_middle_in_the_first_days_are_left_censored():
    log = fraud_first_log()
    prepared = prepare(log)
    censored = set(prepared.case_ids[prepared.left_censored])
    assert censored == {f"m{k}" for k in range(BEGUN_BEFORE)}
