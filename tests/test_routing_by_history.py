"""What follows a step can depend on the path before the step before it: routing learns the
last two steps where the data shows it, and backs off to one step where it does not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.calibrate import calibrate
from sim.engine import simulate
from sim.eventlog import ACTIVITY, CASE_ID, START, EventLog
from sim.model import HISTORY, PREVIOUS, history_key
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
        rows += timed_path(f"c{number}", path, origin, rng)
    return event_log(rows)


def timed_path(case: str, path: list[str], origin: pd.Timestamp,
               rng: np.random.Generator) -> list[tuple]:
    """The case's rows: it begins within 200 days of ``origin``, each step takes half an
    hour after an exponential wait of 2 hours on average."""
    now = origin + float(rng.uniform(0, 200)) * 24 * HOUR
    rows = []
    for activity in path:
        now += float(rng.exponential(2.0)) * HOUR
        rows.append((case, activity, now, now + 0.5 * HOUR))
        now += 0.5 * HOUR
    return rows


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


def check_after_channel_log(cases: int = 3000, seed: int = 22) -> EventLog:
    """Each case comes from one of five channels, then 'Check'. After the first check a
    case goes on to its channel's own step (85%) or to 'Fix' and a second check, after
    which it always ends with 'Close'. The step before the check tells the next step
    almost exactly; the visit only tells the second check from the first."""
    rng = np.random.default_rng(seed)
    rows = []
    origin = pd.Timestamp("2024-01-01")
    for number in range(cases):
        channel = int(rng.integers(5))
        path = [f"Channel {channel}", "Check"]
        path += [f"Offer {channel}"] if rng.random() < 0.85 else ["Fix", "Check", "Close"]
        rows += timed_path(f"c{number}", path, origin, rng)
    return event_log(rows)


def test_of_two_factors_that_both_route_the_one_that_explains_more_is_kept():
    """With thousands of cases the visit and the step before both have p-values that round
    to zero: the factor kept is the one whose likelihood gain pays for its extra levels,
    so each channel goes on to its own step at its real share."""
    model = calibrate(check_after_channel_log()).model
    assert model.routing.branches["Check"].conditioned_on == PREVIOUS
    events = simulate(model, days=200, start="2024-01-01", seed=7).log.events
    events = events.sort_values([CASE_ID, START])
    following = events.groupby(CASE_ID)[ACTIVITY].shift(-1)
    first_check = (events[ACTIVITY] == "Check") & events.groupby(CASE_ID)[ACTIVITY].shift(
        ).str.startswith("Channel")
    channel = events.groupby(CASE_ID)[ACTIVITY].shift()[first_check].str[-1]
    own = (following[first_check].str[-1] == channel) & following[first_check].str.startswith(
        "Offer")
    # About 3,000 simulated first checks: 4 standard errors of an 85% share are 0.026.
    assert abs(float(own.mean()) - 0.85) < 0.03
