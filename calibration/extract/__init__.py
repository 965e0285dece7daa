"""From a CRM's own tables to the planner's event log.

A process owner rarely holds an event log; what they can export are the CRM's tables
(leads, opportunities, quotes, orders, invoices, audit history). This package reads those
tables as the CRM writes them (one module per job: finding and reading the tables, the
Dataverse column names, building cases and events, the extraction report, the sample written
as tables) and turns them into one lead-to-cash case per opportunity, counting every row it
reads, links it cannot resolve and timestamps it has to approximate.
"""

from __future__ import annotations

from calibration.extract.report import ExtractionReport

__all__ = ["ExtractionReport"]
