"""What one replication's costs and money are made of, counted before any price is known.

The business case prices work after the run (``sim.costs``), so each replication keeps the
counts a price applies to: working hours per pool and person, occurrences per activity,
deals won, and how long money earned waits to come in. Hours are working time on the pool's
calendar, as the engine spends it: a task begun Friday at 16:00 with two hours of work ends
on Monday at 10:00 and costs two hours, not a weekend.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.calendar import HOUR
from sim.eventlog import ACTIVITY, AMOUNT, DISCOUNT, END, RESOURCE, START, EventLog
from sim.kpis.observed import WON, Observed
from sim.model import ProcessModel
from sim.summer_time import to_local

MONDAY = pd.Timestamp("1970-01-05")  # calendars count their week from a Monday 00:00
EARNED_ROLES = ("order_fulfilled", "invoice_generated", "invoice_sent")  # money is owed from
PAID_ROLE = "payment_received"


@dataclass(frozen=True)
class CostDrivers:
    """The counts of one replication that prices turn into money."""

    months: float  # the observed period, as the per-month KPIs count it
    hours: dict[str, dict[str, float]] = field(default_factory=dict)  # pool -> person -> h
    occurrences: dict[str, int] = field(default_factory=dict)  # activity -> times done
    won: int = 0  # deals won in the period
    days_to_cash: float | None = None  # amount-weighted mean days, fulfilment to payment


def measure_drivers(log: EventLog, obs: Observed, model: ProcessModel) -> CostDrivers:
    """The counts of ``log`` (simulated from ``model``; ``obs`` is how its KPIs read it)."""
    occurrences = pd.Series(obs.activities[obs.activity]).value_counts()
    return CostDrivers(months=obs.months, hours=working_hours(log, model),
                       occurrences={str(k): int(v) for k, v in occurrences.items()},
                       won=int(np.sum(obs.outcome == WON)), days_to_cash=_days_to_cash(obs))


def working_hours(log: EventLog, model: ProcessModel) -> dict[str, dict[str, float]]:
    """Working hours of each pool's members on the staffed activities of ``log``."""
    events = log.events
    pool_of = {name: a.pool for name, a in model.activities.items()
               if a.kind == "staffed" and a.pool is not None}
    staffed = events[events[ACTIVITY].isin(list(pool_of))]
    found: dict[str, dict[str, float]] = {}
    for pool, rows in staffed.groupby(staffed[ACTIVITY].map(pool_of), sort=True):
        clock = model.pools[str(pool)].calendar.work_clock
        seconds = clock.between(_seconds(rows[START], model), _seconds(rows[END], model))
        people = rows[RESOURCE].fillna("").astype(str) if RESOURCE in rows else (
            pd.Series("", index=rows.index))
        per_person = pd.Series(np.asarray(seconds) / HOUR, index=rows.index).groupby(
            people.to_numpy()).sum()
        found[str(pool)] = {str(k): float(v) for k, v in per_person.items()}
    return found


def _seconds(times: pd.Series, model: ProcessModel) -> np.ndarray:
    """Simulated timestamps back on the local clock the engine ran on, as seconds since a
    Monday 00:00 (the calendars' anchor)."""
    stamps = pd.Series(pd.DatetimeIndex(times).tz_localize(None), index=times.index)
    local = to_local(stamps, model.summer_time)
    return ((local - MONDAY) / pd.Timedelta(seconds=1)).to_numpy(float)


def _days_to_cash(obs: Observed) -> float | None:
    """Days from the money being earned (fulfilment, else the invoice) to its payment,
    weighted by each case's amount net of discount: the receivables' days outstanding."""
    if AMOUNT not in obs.cases or not obs.has(PAID_ROLE):
        return None
    earned = obs.per_case(obs.is_role(*EARNED_ROLES), obs.end, "min")
    paid = obs.per_case(obs.is_role(PAID_ROLE), obs.end, "min")
    amounts = obs.cases[AMOUNT].to_numpy(float)
    if DISCOUNT in obs.cases:
        amounts = amounts * (1.0 - np.nan_to_num(obs.cases[DISCOUNT].to_numpy(float)))
    counted = ~np.isnan(earned) & ~np.isnan(paid) & (paid >= earned) & (amounts > 0)
    if not counted.any():
        return None
    weights = amounts[counted]
    return float(np.sum(weights * (paid - earned)[counted]) / np.sum(weights))
