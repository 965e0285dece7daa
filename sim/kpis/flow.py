"""Rates over the observed period: deals closed, deals in progress, revenue won, cash in.

A month is 30.44 days; the period runs from the log's first event to the horizon, the same
for every group, so per-group rates add up to the whole log's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.eventlog import AMOUNT, DISCOUNT
from sim.kpis.catalogue import BY_KIND, KpiDefinition
from sim.kpis.observed import WON, Observed
from sim.kpis.rates import NO_OUTCOMES
from sim.kpis.result import KpiResult, level, unavailable

NO_AMOUNT = "no 'amount' case attribute in this log"
NO_PERIOD = "the observed period has no length (every event at one moment)"
NONE_FINISHED = "no case in this log has finished yet"


def throughput(obs: Observed) -> KpiResult:
    """Cases closed (won or lost; in a log without outcomes, finished) per month."""
    finished = int(obs.finished.sum())
    if obs.period_days <= 0:
        return unavailable(BY_KIND["throughput"], NO_PERIOD)
    return level(BY_KIND["throughput"], finished / obs.months, finished, NONE_FINISHED)


def cases_started(obs: Observed) -> KpiResult:
    """New cases per month: every case of the log (or group) over the observed period, or
    over the weeks new cases arrived in a run that stops them (its drain is no demand)."""
    if obs.arrival_months <= 0:
        return unavailable(BY_KIND["cases_started"], NO_PERIOD)
    return level(BY_KIND["cases_started"], obs.n_cases / obs.arrival_months, obs.n_cases,
                 "the log has no case")


def wip(obs: Observed) -> KpiResult:
    """Mean number of cases in progress: each counts from its first event to its end.

    A finished case ends with its last event; an open one is still in progress at the
    horizon.
    """
    first = obs.per_case(np.ones(len(obs.case), dtype=bool), obs.start, "min")
    last = obs.per_case(np.ones(len(obs.case), dtype=bool), obs.end, "max")
    until = np.where(obs.finished, last, obs.period_days)
    if obs.period_days <= 0:
        return unavailable(BY_KIND["wip"], NO_PERIOD)
    return level(BY_KIND["wip"], float(np.sum(until - first)) / obs.period_days, obs.n_cases,
                 "the log has no case")


def _money(obs: Observed, kpi: KpiDefinition, counted: np.ndarray, amounts: np.ndarray,
           what: str) -> KpiResult:
    """Sum of the counted cases' amounts per month; cases without an amount are named."""
    known = counted & ~np.isnan(amounts)
    if counted.any() and not known.any():
        return unavailable(kpi, f"no {what} case has an amount")
    if obs.period_days <= 0:
        return unavailable(kpi, NO_PERIOD)
    result = level(kpi, float(amounts[known].sum()) / obs.months, int(known.sum()),
                   f"no {what} case in this log")
    left_out = int(counted.sum() - known.sum())
    if left_out and result.available:
        return replace(result, note=f"{left_out} {what} cases without an amount left out")
    return result


def revenue_won(obs: Observed) -> KpiResult:
    """Amount of the deals won in the period, per month."""
    kpi = BY_KIND["revenue_won"]
    if AMOUNT not in obs.cases:
        return unavailable(kpi, NO_AMOUNT)
    if not obs.knows_outcomes:
        return unavailable(kpi, NO_OUTCOMES)
    amounts = obs.cases[AMOUNT].to_numpy(float)
    return _money(obs, kpi, obs.outcome == WON, amounts, "won")


def cash_collected(obs: Observed) -> KpiResult:
    """Amount (net of the discount, when known) of the cases paid in the period, per month."""
    kpi = BY_KIND["cash_collected"]
    missing = obs.missing(("payment_received",))
    if missing or AMOUNT not in obs.cases:
        return unavailable(kpi, missing or NO_AMOUNT)
    amounts = obs.cases[AMOUNT].to_numpy(float)
    if DISCOUNT in obs.cases:
        amounts = amounts * (1.0 - np.nan_to_num(obs.cases[DISCOUNT].to_numpy(float)))
    paid = np.zeros(obs.n_cases, dtype=bool)
    paid[obs.case[obs.is_role("payment_received")]] = True
    return _money(obs, kpi, paid, amounts, "paid")
