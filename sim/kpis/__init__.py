"""Lead-to-cash KPIs: one set of functions measures the real log, the baseline and scenarios.

Each KPI reads an event log plus the activity roles (which activity is "quote approved",
"payment received", ...), so a KPI is never tied to one CRM's activity names.
"""

from sim.kpis.compute import compute_kpis
from sim.kpis.replications import compute_by_replication, summarise_replications
from sim.kpis.result import KpiResult, kpis_frame, kpis_to_records

__all__ = ["KpiResult", "compute_by_replication", "compute_kpis", "kpis_frame",
           "kpis_to_records", "summarise_replications"]
