"""The KPI table of one log: every KPI, for the whole log or per group of cases."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis import activities, durations, flow, rates, resources
from sim.kpis.groups import group_labels
from sim.kpis.observed import Observed, observe
from sim.kpis.result import KpiResult


def measure(obs: Observed) -> list[KpiResult]:
    """Every KPI of one observed log, headline KPIs first, in a stable order."""
    spans = {span.id: durations.span_kpi(obs, span) for span in durations.SPANS}
    head = [spans["lead_to_opportunity"], spans["sales_cycle"], durations.quote_approval(obs),
            rates.quote_revisions(obs)]
    head += [spans[k] for k in ("quote_to_order", "contract_time", "fulfilment_time",
                                "invoice_lag", "payment_days", "order_to_cash", "lead_to_cash")]
    head += [rates.win_rate(obs), rates.rework_rate(obs), flow.throughput(obs), flow.wip(obs),
             flow.revenue_won(obs), flow.cash_collected(obs)]
    return (head + activities.waiting_times(obs) + activities.processing_times(obs)
            + resources.utilisation(obs) + rates.funnel(obs) + rates.loss_stages(obs)
            + activities.frequencies(obs))


def compute_kpis(log: EventLog, roles: ActivityRoles | None = None, by: str | None = None,
                 horizon: pd.Timestamp | None = None) -> list[KpiResult]:
    """Measure a real, baseline or scenario log the same way.

    ``roles`` says which activities are which milestones (default: the usual CRM names);
    ``by`` names a case attribute (or ``deal_size``) to measure each group of cases on its
    own; ``horizon`` is the end of observation (default: the last event's end), and events
    not completed by then are ignored.
    """
    obs = observe(log.events, log.cases, roles or ActivityRoles.default(), horizon)
    if by is None:
        return measure(obs)
    labels = group_labels(obs.cases, by)
    return [replace(result, group=group)
            for group in np.unique(labels)
            for result in measure(obs.subset(labels == group))]
