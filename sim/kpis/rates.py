"""Shares and counts over cases: win rate, rework, quote revisions, the funnel, where deals die.

All of them are measured on closed cases (won or lost): an open deal may still be won, be
reworked or reach the next stage, so counting it now would bias every share. Open cases
are never counted as lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.kpi_roles import ROLES
from sim.kpis.catalogue import BY_KIND
from sim.kpis.observed import LOST, UNMAPPED, WON, Observed
from sim.kpis.result import KpiResult, distribution, level, make, unavailable

NO_OUTCOMES = ("the log says no outcome: no 'outcome' case attribute and no won, lost or "
               "payment activity (roles opportunity_won, opportunity_lost, payment_received "
               f"{UNMAPPED})")
NONE_CLOSED = "no case in this log is closed (won or lost) yet"


def win_rate(obs: Observed) -> KpiResult:
    """Won / (won + lost) among closed opportunities."""
    kpi = BY_KIND["win_rate"]
    if not obs.knows_outcomes:
        return unavailable(kpi, NO_OUTCOMES)
    closed = int(obs.closed.sum())
    won = int(np.sum(obs.outcome == WON))
    return level(kpi, won / closed if closed else np.nan, closed, NONE_CLOSED)


def rework_rate(obs: Observed) -> KpiResult:
    """Share of closed cases in which some activity happened more than once."""
    kpi = BY_KIND["rework_rate"]
    if not obs.knows_outcomes:
        return unavailable(kpi, NO_OUTCOMES)
    pairs = pd.Series(obs.case * len(obs.activities) + obs.activity)
    reworked = np.zeros(obs.n_cases, dtype=bool)
    reworked[obs.case[pairs.duplicated().to_numpy()]] = True
    closed = obs.closed
    return level(kpi, float(reworked[closed].mean()) if closed.any() else np.nan,
                 int(closed.sum()), NONE_CLOSED)


def quote_revisions(obs: Observed) -> KpiResult:
    """Quotes created per closed case that had at least one quote (1 = never revised)."""
    kpi = BY_KIND["quote_revisions"]
    missing = obs.missing(("quote_created",))
    if missing:
        return unavailable(kpi, missing)
    quotes = np.bincount(obs.case[obs.is_role("quote_created")], minlength=obs.n_cases)
    counted = obs.closed & (quotes > 0)
    return distribution(kpi, quotes[counted].astype(float),
                        "no closed case in this log has a quote")


def funnel(obs: Observed) -> list[KpiResult]:
    """``funnel:<role>``: share of closed cases that reached each stage present in the log."""
    closed = obs.closed
    results = []
    for role in (r for r in ROLES if obs.has(r)):
        reached = np.zeros(obs.n_cases, dtype=bool)
        reached[obs.case[obs.is_role(role)]] = True
        share = float(reached[closed].mean()) if closed.any() else np.nan
        results.append(level(BY_KIND["funnel"], share, int(closed.sum()),
                             NONE_CLOSED if obs.knows_outcomes else NO_OUTCOMES, role,
                             obs.roles.display(role)))
    return results


def loss_stages(obs: Observed) -> list[KpiResult]:
    """``loss_at:<activity>``: share of lost cases whose last step before the loss was it."""
    lost = obs.outcome == LOST
    loss = obs.is_role("opportunity_lost")
    lost_at = obs.per_case(loss, obs.start, "min")
    lost_at = np.where(np.isnan(lost_at), np.inf, lost_at)
    before = np.flatnonzero(~loss & (obs.start <= lost_at[obs.case]) & lost[obs.case])
    if len(before) == 0:
        why = "no lost case in this log has an activity before its loss"
        return [unavailable(BY_KIND["loss_at"], why if obs.knows_outcomes else NO_OUTCOMES)]
    last = before[np.r_[obs.case[before][1:] != obs.case[before][:-1], True]]
    stages = pd.Series(obs.activities[obs.activity[last]]).value_counts()
    return [make(BY_KIND["loss_at"], len(last), count / len(last), str(stage))
            for stage, count in stages.items()]
