"""Cycle times between two milestones of a case, in days.

A span runs from the start of the case's first *from* activity to the end of its first *to*
activity that starts after it. A case whose *to* activity has not happened is not observed:
it is left out rather than measured up to the end of the log, which would bias the cycle
time short.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.kpis.observed import WON, Observed
from sim.kpis.result import KpiResult, distribution, unavailable


@dataclass(frozen=True)
class Span:
    """A duration KPI from the first of ``start`` (roles by preference) to ``end``."""

    id: str
    label: str
    start: tuple[str, ...]  # the first role present in a case is used
    end: tuple[str, ...]  # the earliest of these after the start
    won_only: bool = False


SPANS: tuple[Span, ...] = (
    Span("lead_to_opportunity", "Lead to opportunity", ("lead_created",),
         ("opportunity_created",)),
    Span("sales_cycle", "Sales cycle (opportunity created to won)", ("opportunity_created",),
         ("contract_signed", "opportunity_won"), won_only=True),
    Span("quote_to_order", "Quote to order (first quote to sales order)", ("quote_created",),
         ("order_created",)),
    Span("contract_time", "Contract time (quote accepted to contract signed)",
         ("quote_accepted",), ("contract_signed",)),
    Span("fulfilment_time", "Fulfilment time (sales order to fulfilled)", ("order_created",),
         ("order_fulfilled",)),
    Span("invoice_lag", "Invoice lag (fulfilled to invoice sent)", ("order_fulfilled",),
         ("invoice_sent",)),
    Span("payment_days", "Payment days (invoice sent to payment received)", ("invoice_sent",),
         ("payment_received",)),
    Span("order_to_cash", "Order to cash (sales order to payment received)", ("order_created",),
         ("payment_received",)),
    Span("lead_to_cash", "Lead to cash (lead, else opportunity, created to payment received)",
         ("lead_created", "opportunity_created"), ("payment_received",)),
)


def _names(obs: Observed, roles: tuple[str, ...]) -> str:
    return " or ".join(f"'{obs.roles.display(r)}'" for r in roles)


def span_kpi(obs: Observed, span: Span) -> KpiResult:
    """The distribution of one span over the cases where both ends were observed."""
    missing = obs.missing(span.start, span.end)
    if missing:
        return unavailable(span.id, span.label, "days", missing)
    since = np.full(obs.n_cases, np.nan)
    for role in reversed(span.start):  # preferred roles overwrite the fallbacks
        first = obs.per_case(obs.is_role(role), obs.start, "min")
        since = np.where(np.isnan(first), since, first)
    after = obs.is_role(*span.end) & (obs.start >= since[obs.case])
    until = obs.per_case(after, obs.end, "min")
    observed = ~np.isnan(until)
    if span.won_only:
        observed &= obs.outcome == WON
    which = "won case" if span.won_only else "case"
    return distribution(span.id, span.label, "days", (until - since)[observed],
                        f"no {which} in this log went from {_names(obs, span.start)} to "
                        f"{_names(obs, span.end)}")


QUOTE_APPROVAL = ("quote_approval", "Quote approval (quote created to approved, per quote)")


def quote_approval(obs: Observed) -> KpiResult:
    """Each quote created to the approval that follows it, before any newer quote."""
    kpi_id, label = QUOTE_APPROVAL
    missing = obs.missing(("quote_created",), ("quote_approved",))
    if missing:
        return unavailable(kpi_id, label, "days", missing)
    created, approved = obs.is_role("quote_created"), obs.is_role("quote_approved")
    at = np.flatnonzero(created | approved)
    this, following = at[:-1], at[1:]
    paired = created[this] & approved[following] & (obs.case[this] == obs.case[following])
    return distribution(kpi_id, label, "days", obs.end[following[paired]] - obs.start[this[paired]],
                        "no quote in this log was approved after it was created")
