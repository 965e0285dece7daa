"""Cash in over time: what customers paid, month by month, from an event log."""

from __future__ import annotations

import pandas as pd

from sim.eventlog import ACTIVITY, AMOUNT, CASE_ID, DISCOUNT, END, EventLog
from sim.kpi_roles import ActivityRoles


def monthly_cash(log: EventLog, roles: ActivityRoles | None = None) -> pd.Series:
    """Amount (net of discount) of the payments received in each month ('2024-03' -> sum)."""
    names = (roles or log.roles or ActivityRoles.default()).resolve(log.events[ACTIVITY].unique())
    paid = log.events[log.events[ACTIVITY].isin(names.get("payment_received", set()))]
    if paid.empty or AMOUNT not in log.cases:
        return pd.Series(dtype=float)
    first = paid.drop_duplicates(CASE_ID)
    amount = pd.to_numeric(log.cases[AMOUNT], errors="coerce")
    if DISCOUNT in log.cases:
        amount = amount * (1 - pd.to_numeric(log.cases[DISCOUNT], errors="coerce").fillna(0))
    values = amount.reindex(first[CASE_ID]).to_numpy()
    months = pd.DatetimeIndex(first[END]).tz_localize(None).to_period("M").astype(str)
    return pd.Series(values, index=months).groupby(level=0).sum().sort_index()
