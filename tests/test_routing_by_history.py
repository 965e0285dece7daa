"""What follows a step can depend on the path before the step before it: routing learns the
last two steps where the data shows it, and backs off to one step where it does not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.calibrate import calibrate
from sim.engine import simulate
from sim.eventlog import ACTIVITY, CASE_ID, START, EventLog
from sim.model import HISTORY, history_key
from tests.synthetic_logs import event_log

HOUR = pd.Timedelta(hours=1)


def two_channel_log(cases: int = 1200, seed: int = 21) -> EventLog:
    """Web leads ('Web form') and referrals ('Referral') both go 'Qualify' -> 'Meet'; after
    'Meet' a web lead is lost (90%) and a referral signs (90%). The step just before the
    decision is 'Meet' for both, so only the path two steps back tells them apart."""
    rng = np.random.default_rng(seed)
    rows = []
    origin = pd.Timestamp("2024-01-01")
    for number in range(cases):
        web = rng.random() < 0.5
        signs = rng.random() < (0.1 if web else 0.9)
        path = ["Web form" if web else "Referral", "Qualify", "Meet",
                "Sign" if signs else "Lose"]
        now = origin + float(rng.uniform(0, 200)) * 24 * HOUR
        for activity in path:
            now += float(rng.exponential(2.0)) * HOUR
            rows.append((f"c{number}", activity, now, now + 0.5 * HOUR))
            now += 0.5 * HOUR
    return event_log(rows)


def signed_share_by_channel(log: EventLog) -> pd.Series:
    events = log.events.sort_values([CASE_ID, START])
    first = events.groupby(CASE_ID)[ACTIVITY].first()
    signed = events.groupby(CASE_ID)[ACTIVITY].agg(lambda a: (a == "Sign").any())
    return signed.groupby(first).mean()


def test_the_decision_after_a_shared_step_follows_the_path_before_it():
    model = calibrate(two_channel_log()).model
    meet = model.routing.branches["Meet"]
    assert meet.conditioned_on == HISTORY
    assert history_key("Referral", "Qualify") in meet.table
    assert "Qualify" in meet.table  # the one-step chance a path never seen falls back on
    shares = signed_share_by_channel(simulate(model, days=200, start="2024-01-01",
                                              seed=2).log)
    # ~600 cases per channel: 4 binomial standard errors of a 10% share are under 0.05;
    # the smoothing towards the one-step chance moves it by less than 1%.
    assert abs(shares["Web form"] - 0.1) < 0.06
    assert abs(shares["Referral"] - 0.9) < 0.06


def test_a_path_that_adds_nothing_keeps_the_one_step_routing():
    """With both channels named alike, the path two steps back tells nothing: no branch is
    learned on two steps where one explains the data."""
    log = two_channel_log()
    events = log.events.copy()
    events[ACTIVITY] = events[ACTIVITY].replace({"Referral": "Web form"})
    merged = calibrate(EventLog(events, log.cases)).model
    assert all(b.conditioned_on != HISTORY for b in merged.routing.branches.values())
