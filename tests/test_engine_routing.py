"""Routing, parallel blocks, outcomes and attribute-dependent delays.

Frequencies are checked against their probabilities within 4 binomial standard errors, a
count distribution with a chi-square test; the parallel block exactly, on fixed durations.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from calibration.sample import truth
from sim.engine import simulate
from sim.eventlog import ACTIVITY, CASE_ID, END, LOST_REASON, OUTCOME, START
from sim.model import END as DONE
from tests.engine_models import BY_SEGMENT, REWORK, ROUTE, l2c_model, parallel_model, routing_model

Z = 4.0


def within_binomial(hits: int, n: int, p: float) -> bool:
    return abs(hits / n - p) <= Z * math.sqrt(p * (1 - p) / n)


def traces(log) -> pd.Series:
    """Per case, its activities in order."""
    ordered = log.events.sort_values([CASE_ID, START], kind="stable")
    return ordered.groupby(CASE_ID)[ACTIVITY].agg(tuple)


def finished(result) -> pd.Series:
    paths = traces(result.log)
    return paths.drop(index=[c for c in result.open_cases if c in paths.index])


def test_start_and_branch_frequencies():
    result = simulate(routing_model(per_hour=5.0), days=60, seed=4)
    paths = finished(result)
    first = paths.str[0]
    for activity, p in {"A": 0.6, "Review": 0.25, "Split": 0.15}.items():
        assert within_binomial(int((first == activity).sum()), len(first), p), activity
    after_a = paths[first == "A"].map(lambda t: t[1] if len(t) > 1 else DONE)
    for target, p in ROUTE.items():
        assert within_binomial(int((after_a == target).sum()), len(after_a), p), target


def test_visit_conditioned_loop_has_the_geometric_count():
    paths = finished(simulate(routing_model(per_hour=5.0), days=60, seed=5))
    reviews = paths[paths.str[0] == "Review"].map(len).to_numpy()
    again = {k: REWORK[k]["Review"] for k in REWORK}
    p = [1 - again["1"], again["1"] * (1 - again["2"]),
         again["1"] * again["2"] * (1 - again["3"])]
    p.append(1 - sum(p))  # four or more
    observed = np.array([(reviews == 1).sum(), (reviews == 2).sum(), (reviews == 3).sum(),
                         (reviews >= 4).sum()])
    assert stats.chisquare(observed, np.array(p) * observed.sum()).pvalue > 0.01
    # the "3 or more" row applies from the third visit on: P(K >= 5 | K >= 4) = 0.1
    assert within_binomial(int((reviews >= 5).sum()), int((reviews >= 4).sum()), again["3"])


def test_branch_by_case_attribute():
    result = simulate(routing_model(per_hour=5.0), days=60, seed=6)
    paths = finished(result)
    split = paths[paths.str[0] == "Split"]
    segment = result.log.cases.loc[split.index, "segment"]
    for value, options in BY_SEGMENT.items():
        mine = split[segment == value]
        assert within_binomial(int((mine.str[1] == "B").sum()), len(mine), options["B"]), value


def test_parallel_block_of_instant_activities():
    log = simulate(parallel_model(), days=20, seed=1).log
    events = log.events
    assert "Never" not in set(events[ACTIVITY])
    times = events.pivot(index=CASE_ID, columns=ACTIVITY, values=START).dropna()
    hours = {a: (times[a] - times["Start"]).dt.total_seconds() / 3600
             for a in ("Lead", "Companion", "After")}
    assert len(times) > 5
    assert (hours["Lead"] == 2).all() and (hours["Companion"] == 5).all()
    assert (hours["After"] == 6).all()


def test_parallel_block_of_staffed_activities():
    log = simulate(parallel_model(staffed_block=True), days=60, seed=2).log
    events = log.events
    assert "Never" not in set(events[ACTIVITY])
    first = events[events[CASE_ID] == events[CASE_ID].iloc[0]].set_index(ACTIVITY)
    begin = first.loc["Start", START]
    assert first.loc["Lead", START] == first.loc["Companion", START] == begin
    assert first.loc["Lead", END] - begin == pd.Timedelta(hours=3)
    assert first.loc["Companion", END] - begin == pd.Timedelta(hours=1)
    assert first.loc["After", START] - begin == pd.Timedelta(hours=4)
    ends = events[events[ACTIVITY].isin(["Lead", "Companion"])].groupby(CASE_ID)[END].max()
    after = events[events[ACTIVITY] == "After"].set_index(CASE_ID)[START]
    assert ((after - ends.reindex(after.index)) == pd.Timedelta(hours=1)).all()


def test_outcomes_and_lost_reasons():
    result = simulate(l2c_model(), cases=1500, seed=7)
    assert not result.open_cases
    cases = result.log.cases
    paths = traces(result.log)
    won = paths.map(lambda t: "Opportunity Won" in t)
    assert (cases.loc[won[won].index, OUTCOME] == "Won").all()
    assert (cases.loc[won[~won].index, OUTCOME] == "Lost").all()
    assert cases.loc[cases[OUTCOME] == "Won", LOST_REASON].isna().all()
    before_loss = paths[~won].map(lambda t: t[-2])
    stages = before_loss.map(lambda a: truth.ACTIVITIES[a]["stage"])
    reasons = cases.loc[before_loss.index, LOST_REASON]
    assert set(stages) == {"Qualify", "Develop", "Propose"}  # nothing is lost after Close
    for stage in set(stages):
        shares = truth.LOST_REASONS[stage]
        mine = reasons[stages == stage]
        assert set(mine) <= set(shares), stage
        top = max(shares, key=shares.get)
        assert within_binomial(int((mine == top).sum()), len(mine), shares[top]), stage


def test_delay_by_attribute():
    result = simulate(l2c_model(), cases=1500, seed=8)
    events, cases = result.log.events, result.log.cases
    sent = events[events[ACTIVITY] == "Invoice Sent"].set_index(CASE_ID)[END]
    paid = events[events[ACTIVITY] == "Payment Received"].set_index(CASE_ID)[START]
    days = ((paid - sent.reindex(paid.index)).dt.total_seconds() / 86400)
    terms = cases.loc[days.index, "payment_terms"]
    assert days[terms == "Net 30"].median() < 30 < days[terms == "Net 60"].median() < 60
