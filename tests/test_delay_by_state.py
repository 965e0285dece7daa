"""Waits that depend on where the case is: rework rounds that wait longer than the first pass,
and a long wait that ends the case. The delay before an activity is learned per visit and
per next step, and simulated so."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.calibrate import calibrate
from sim.engine import simulate
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.model import NEXT, VISIT
from tests.synthetic_logs import event_log

HOUR = pd.Timedelta(hours=1)
FIRST_WAIT_H, REWORK_WAIT_H = 2.0, 48.0  # median waits before 'Review': first pass, rework


def rework_log(cases: int = 1200, seed: int = 11) -> EventLog:
    """'Draft' -> 'Review', then back to 'Draft' (40%) or 'Sign'. The wait before 'Review'
    is lognormal with a median of 2 h the first time and 48 h on every later round; other
    waits are short. Times are on the calendar clock, round the week."""
    rng = np.random.default_rng(seed)
    rows = []
    origin = pd.Timestamp("2024-01-01")
    for number in range(cases):
        now = origin + float(rng.uniform(0, 300)) * 24 * HOUR
        rounds = 1
        while True:
            for activity in ("Draft", "Review"):
                median = (FIRST_WAIT_H if rounds == 1 else REWORK_WAIT_H) if (
                    activity == "Review") else 0.5
                now += float(rng.lognormal(np.log(median), 0.4)) * HOUR
                rows.append((f"c{number}", activity, now, now + 0.25 * HOUR))
                now += 0.25 * HOUR
            if rng.random() >= 0.4:
                break
            rounds += 1
        now += float(rng.lognormal(np.log(0.5), 0.4)) * HOUR
        rows.append((f"c{number}", "Sign", now, now + 0.25 * HOUR))
    return event_log(rows)


def review_waits_by_round(log: EventLog) -> pd.Series:
    """Median wait (hours) before 'Review' on the first round and on later ones."""
    events = log.events.sort_values([CASE_ID, START])
    wait = (events[START] - events.groupby(CASE_ID)[END].shift()).dt.total_seconds() / 3600
    review = events[ACTIVITY] == "Review"
    rounds = events[review].groupby(CASE_ID).cumcount() + 1
    return wait[review].groupby(np.where(rounds == 1, "first", "later")).median()


def test_the_wait_before_review_is_learned_per_round_and_simulated_so():
    log = rework_log()
    model = calibrate(log).model
    review = model.activities["Review"]
    assert review.delay_by is not None and review.delay_by.attribute == VISIT
    simulated = simulate(model, days=300, start="2024-01-01", seed=4).log
    medians = review_waits_by_round(simulated)
    # A lognormal median from n draws has a standard error of about 1.25 * sigma / sqrt(n)
    # on the log scale; 4 standard errors of ~300 later rounds is under 15%, and the first
    # round, with far more draws, is tighter still.
    assert abs(np.log(medians["first"] / FIRST_WAIT_H)) < 0.15
    assert abs(np.log(medians["later"] / REWORK_WAIT_H)) < 0.15


def abandon_log(cases: int = 1500, seed: int = 12) -> EventLog:
    """'Submit' -> 'Check' -> 'Approve' (60%) or the end (40%): a check that waited long (a
    median of 48 h for missing papers) is the last step, a quick one (2 h) leads on."""
    rng = np.random.default_rng(seed)
    rows = []
    origin = pd.Timestamp("2024-01-01")
    for number in range(cases):
        now = origin + float(rng.uniform(0, 300)) * 24 * HOUR
        rows.append((f"c{number}", "Submit", now, now + 0.25 * HOUR))
        approved = rng.random() < 0.6
        median = FIRST_WAIT_H if approved else REWORK_WAIT_H
        now += (0.25 + float(rng.lognormal(np.log(median), 0.4))) * HOUR
        rows.append((f"c{number}", "Check", now, now + 0.25 * HOUR))
        if approved:
            now += (0.25 + float(rng.lognormal(np.log(0.5), 0.4))) * HOUR
            rows.append((f"c{number}", "Approve", now, now + 0.25 * HOUR))
    return event_log(rows)


def check_waits_by_outcome(log: EventLog) -> tuple[pd.Series, float]:
    """Median wait (hours) before 'Check' by whether 'Approve' followed; the approved share."""
    events = log.events.sort_values([CASE_ID, START])
    wait = (events[START] - events.groupby(CASE_ID)[END].shift()).dt.total_seconds() / 3600
    approved = events.groupby(CASE_ID)[ACTIVITY].transform(lambda a: (a == "Approve").any())
    check = events[ACTIVITY] == "Check"
    medians = wait[check].groupby(np.where(approved[check], "approved", "ended")).median()
    return medians, float(approved[check].mean())


def test_the_wait_before_a_step_follows_what_comes_after_it():
    """Learned per next step, the simulation decides the next step first and waits
    accordingly: long checks end cases, quick ones lead on, at the real share."""
    model = calibrate(abandon_log()).model
    check = model.activities["Check"]
    assert check.delay_by is not None and check.delay_by.attribute == NEXT
    medians, approved = check_waits_by_outcome(
        simulate(model, days=300, start="2024-01-01", seed=5).log)
    # About 1,500 simulated cases, 40% ending: 4 standard errors of a lognormal median
    # (1.25 sigma / sqrt(n) on the log scale) stay under 15%; of the share, under 0.06.
    assert abs(np.log(medians["approved"] / FIRST_WAIT_H)) < 0.15
    assert abs(np.log(medians["ended"] / REWORK_WAIT_H)) < 0.15
    assert abs(approved - 0.6) < 0.06
