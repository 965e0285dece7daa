"""The Oracle CX Sales extracts ``l2c extract oracle`` reads, by their REST attribute names.

Names are those of the Sales REST resources and service data objects (Oracle Fusion Cloud
Sales, "REST API for CX Sales and B2B Service": ``opportunities``, ``leads`` and the
opportunity's "Opportunity Leads" and "Revenue Items" (``ChildRevenue``) children,
https://docs.oracle.com/en/cloud/saas/sales/faaps/api-opportunities.html; the Opportunity
service data object, https://docs.oracle.com/en/cloud/saas/sales/oesws/
opportunity-d41e332465.html, where ``EffectiveDate`` is a date without time), and the
opportunity stage snapshots with the sales stages they name (BICC view objects
OptyStgSnapshotExtractPVO and SalesStageExtractPVO, https://docs.oracle.com/en/cloud/saas/
sales/oadcx/OptyStgSnapshotExtractPVO.html). BICC
extracts of the same view objects carry the same attribute names. Custom fields (their
names end in ``_c``) become case attributes. Quotes, orders, invoices and receipts come
from Oracle CPQ and ERP, and sales activities from wherever they are kept: those are read
as event tables in the columns ``l2c template`` lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Resource:
    """One extract: the names its files may carry, its key, the attributes it must have."""

    name: str
    aliases: tuple[str, ...]
    key: str
    required: tuple[str, ...]


OPPORTUNITIES = Resource(
    "opportunities", ("opportunities", "opportunity", "opty", "optys"), "OptyNumber",
    ("OptyNumber", "CreationDate", "StatusCode"))
LEADS = Resource("leads", ("leads", "lead", "salesleads", "sales leads"), "LeadNumber",
                 ("LeadNumber", "CreationDate", "StatusCode"))
OPPORTUNITY_LEADS = Resource(
    "opportunityLeads", ("opportunityleads", "opportunity leads", "opportunitylead"),
    "LeadNumber", ("OptyNumber", "LeadNumber"))
REVENUE_ITEMS = Resource(
    "revenueItems", ("revenueitems", "revenue items", "childrevenue", "revenues",
                     "revenuelines", "revenue lines"), "RevnId", ("OptyNumber",))
# Sales-stage history: a row per stage an opportunity entered (a stage visited again gets
# another row), the opportunity's "Opportunity Stage Snapshots" child resource
# (opportunityStageSnapshots) or BICC's OptyStgSnapshotExtractPVO; StgEnterDate and
# StgExitDate are timestamps (MOO_OPTY_STG_SNAPSHOTS_). Stage names come from the sales
# stages (salesStagesLOV, BICC SalesStageExtractPVO: StgId, Name, PhaseCd).
STAGE_SNAPSHOTS = Resource(
    "opportunityStageSnapshots", ("opportunitystagesnapshots", "opportunity stage snapshots",
                                  "optystgsnapshotextractpvo", "optystgsnapshots",
                                  "stagesnapshots", "stage snapshots"),
    "OptyStgSnapshotId", ("OptyStgSnapshotId", "StgId", "StgEnterDate"))
SALES_STAGES = Resource(
    "salesStages", ("salesstages", "sales stages", "salesstageslov", "salesstageextractpvo"),
    "StgId", ("StgId", "Name"))
RESOURCES = (OPPORTUNITIES, LEADS, OPPORTUNITY_LEADS, REVENUE_ITEMS, STAGE_SNAPSHOTS,
             SALES_STAGES)
# Event tables in template columns (case id = OptyNumber or LeadNumber).
EVENT_TABLES = ("quotes", "orders", "salesorders", "invoices", "receipts", "payments",
                "activities", "events", "stages")
PAYMENT_TABLES = ("receipts", "payments")  # their amount column is what was paid
INVOICE_TABLE = "invoices"  # its amount column is the invoice's total, on each of its rows
# What tells one invoice's rows from another's: the Receivables invoice's TransactionNumber
# ("the transaction number that represents the Receivables invoice document") or its
# CustomerTransactionId (REST receivablesInvoices, Oracle Fusion Cloud Financials,
# https://docs.oracle.com/en/cloud/saas/financials/24c/farfa/api-receivables-invoices.html),
# or a plain invoice number column; lower case, as headers are compared.
INVOICE_NUMBERS = ("transactionnumber", "invoicenumber", "invoice_number", "invoice number",
                   "customertransactionid", "invoice_id", "invoiceid")

# StatusCode values of the opportunity and lead lookups (OPTY_STATUS, lead status).
WON, LOST = "WON", "LOST"
RETIRED = "RETIRED"
CUSTOM_SUFFIX = "_c"


def key_text(value: object) -> str | None:
    """A cell as text, empty as None; a number a spreadsheet turned into ``300100000.0``
    is the id ``300100000`` again."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text.removesuffix(".0") if re.fullmatch(r"\d+\.0", text) else (text or None)
