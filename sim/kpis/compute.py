"""The KPI table of one log: every KPI, for the whole log or per group of cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis import activities, custom, durations, flow, rates, resources
from sim.kpis.catalogue import BY_KIND, HEADLINE
from sim.kpis.custom import CustomKpi
from sim.kpis.groups import group_labels
from sim.kpis.observed import Observed, observe
from sim.kpis.result import KpiResult

# The headline KPIs measured otherwise than as a span between two roles.
MEASURES: dict[str, Callable[[Observed], KpiResult]] = {
    "quote_approval": durations.quote_approval, "quote_revisions": rates.quote_revisions,
    "win_rate": rates.win_rate, "rework_rate": rates.rework_rate,
    "throughput": flow.throughput, "wip": flow.wip, "revenue_won": flow.revenue_won,
    "cash_collected": flow.cash_collected, "case_duration": durations.case_duration,
    "cases_started": flow.cases_started,
}


def _headline(obs: Observed, kind: str) -> KpiResult:
    if kind in MEASURES:
        return MEASURES[kind](obs)
    return durations.span_kpi(obs, BY_KIND[kind])


def measure(obs: Observed, own: Iterable[CustomKpi] = ()) -> list[KpiResult]:
    """Every KPI of one observed log, headline KPIs first in the catalogue's order, the
    user's ``own`` KPIs among them."""
    head = [result for kind in HEADLINE
            for result in ([custom.measure(obs, k) for k in own] if kind == "custom"
                           else [_headline(obs, kind)])]
    return (head + activities.waiting_times(obs) + activities.processing_times(obs)
            + resources.utilisation(obs) + rates.funnel(obs) + rates.loss_stages(obs)
            + activities.frequencies(obs))


def compute_kpis(log: EventLog, roles: ActivityRoles | None = None, by: str | None = None,
                 horizon: pd.Timestamp | None = None) -> list[KpiResult]:
    """Measure a real, baseline or scenario log the same way.

    ``roles`` says which activities are which milestones (default: the log's own, else the
    roles in effect);
    ``by`` names a case attribute (or ``deal_size``) to measure each group of cases on its
    own; ``horizon`` is the end of observation (default: the last event's end), and events
    not completed by then are ignored.
    """
    obs = observe(log.events, log.cases, roles or log.roles or ActivityRoles.default(), horizon)
    if by is None:
        return measure(obs, log.custom_kpis)
    labels = group_labels(obs.cases, by)
    return [replace(result, group=group)
            for group in np.unique(labels)
            for result in measure(obs.subset(labels == group), log.custom_kpis)]
