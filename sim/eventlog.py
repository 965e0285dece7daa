"""The canonical event log: the one table shape every part of the planner reads and writes.

A real export (after calibration has read it), a simulated baseline and a scenario run are
all ``EventLog`` objects with these column names, so one KPI function measures them all.
``events`` has one row per activity instance; ``cases`` one row per case with the case
attributes (won/lost, amount, lead source, ...), indexed by case id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from sim.kpi_roles import ActivityRoles
from sim.log_meta import LogMeta

if TYPE_CHECKING:
    from sim.kpis.custom import CustomKpi

CASE_ID = "case_id"
ACTIVITY = "activity"
START = "start_time"
END = "end_time"
RESOURCE = "resource"
STAGE = "stage"

OUTCOME = "outcome"
AMOUNT = "amount"
LEAD_SOURCE = "lead_source"
ACCOUNT = "account"
REGION = "region"
LOST_REASON = "lost_reason"
DISCOUNT = "discount"
PAYMENT_TERMS = "payment_terms"
CONTRACT_TYPE = "contract_type"
PRODUCT_CATEGORY = "product_category"

WON = "Won"  # the outcome values every part of the planner writes and reads
LOST = "Lost"
REPLICATION = "replication"  # simulated logs of several replications: which one a case is in

EVENT_COLUMNS: tuple[str, ...] = (CASE_ID, ACTIVITY, START, END, RESOURCE, STAGE)
CASE_ATTRIBUTES: tuple[str, ...] = (
    OUTCOME, AMOUNT, LEAD_SOURCE, ACCOUNT, REGION, LOST_REASON, DISCOUNT, PAYMENT_TERMS,
    CONTRACT_TYPE, PRODUCT_CATEGORY,
)
# Column order of the data template, the canonical CSV and every simulated log.
CANONICAL_COLUMNS: tuple[str, ...] = EVENT_COLUMNS + CASE_ATTRIBUTES


@dataclass
class EventLog:
    """Activity instances plus case attributes, in canonical column names.

    ``events`` is sorted by case, start and end time. Extra columns found in an export are
    kept: those constant within each case live in ``cases``, the others in ``events``.
    ``timezone`` names the zone all timestamps were normalised to (None: as written).
    ``roles`` says which activities play which lead-to-cash role where that is known (a
    simulated log carries its model's; None: the roles in effect, ``ActivityRoles.default``).
    ``meta`` says where the log came from (``sim.log_meta``).
    """

    events: pd.DataFrame
    cases: pd.DataFrame
    name: str = "event log"
    timezone: str | None = None
    meta: LogMeta = field(default_factory=LogMeta)
    roles: ActivityRoles | None = None
    custom_kpis: tuple[CustomKpi, ...] = ()  # the user's own KPIs (``sim.kpis.custom``)

    @property
    def n_cases(self) -> int:
        return int(self.events[CASE_ID].nunique())

    @property
    def n_events(self) -> int:
        return len(self.events)

    def flat(self) -> pd.DataFrame:
        """One row per event with the case attributes repeated: the template's layout."""
        attributes = self.cases.drop(columns=[c for c in self.cases.columns
                                              if c in self.events.columns])
        flat = self.events.join(attributes, on=CASE_ID)
        ordered = [c for c in CANONICAL_COLUMNS if c in flat.columns]
        extra = [c for c in flat.columns if c not in ordered]
        return flat[ordered + extra].reset_index(drop=True)
