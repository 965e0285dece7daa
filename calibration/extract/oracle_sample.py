"""The bundled sample written as Oracle CX Sales extracts and the event tables beside them.

``opportunities``, ``leads``, ``opportunityLeads`` and ``revenueItems`` carry what Oracle
Sales records (creation dates, status, the close date as a date, reasons, revenue, the
product group of the revenue line, custom fields ending in ``_c``) and the sales stages
each opportunity entered (``opportunityStageSnapshots``, ``salesStages``); quotes (Oracle CPQ),
orders and invoices (ERP), receipts (AR) and the sales activities are event tables in the
columns of ``l2c template``, keyed by opportunity or lead number. Records begun before the
sample's window are written whole, as in a real export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from calibration.extract.sample_log import billed, full_sample
from calibration.writers import csv_bytes
from sim.eventlog import (
    ACCOUNT,
    AMOUNT,
    CASE_ID,
    CONTRACT_TYPE,
    DISCOUNT,
    END,
    LEAD_SOURCE,
    LOST_REASON,
    OUTCOME,
    PAYMENT_TERMS,
    PRODUCT_CATEGORY,
    REGION,
    START,
)

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
CUSTOM = {REGION: "Region_c", PRODUCT_CATEGORY: "ProductCategory_c",
          CONTRACT_TYPE: "ContractType_c", PAYMENT_TERMS: "PaymentTerms_c",
          DISCOUNT: "Discount_c", LEAD_SOURCE: "LeadSource_c"}
EVENT_FILES = {
    "quotes": ("Quote Created", "Quote Approved", "Quote Accepted"),
    "orders": ("Sales Order Created", "Order Fulfilled"),
    "invoices": ("Invoice Generated", "Invoice Sent"),
    "receipts": ("Payment Received",),
    "activities": ("Lead Qualified",),
}
# Steps no record carries are the opportunity's sales stages: StgId, PhaseCd (the sample's
# stage), dated by the opportunity stage snapshots.
SALES_STAGES = {"First Customer Contact": (300500001, "Develop"),
                "Solution Proposed": (300500002, "Propose"),
                "Contract Signed": (300500003, "Close")}
LEAD_STEPS = ("Lead Created", "Lead Qualified")


def opportunity_number(case_id: str) -> str:
    return case_id.removeprefix("OPP-")


def lead_number(case_id: str) -> str:
    return "L" + case_id.removeprefix("OPP-")


def oracle_tables() -> dict[str, pd.DataFrame]:
    """Every extract and event table of the sample."""
    events, cases = full_sample()
    opportunities, leads, links, revenue = [], [], [], []
    for case_id, group in events.groupby(CASE_ID, sort=True):
        case = cases.loc[case_id]
        steps = dict(zip(group["activity"], group[END], strict=False))
        lead_steps = group[group["activity"].isin(LEAD_STEPS)]
        converted = "Opportunity Created" in steps
        lost_at_lead = not converted and "Opportunity Lost" in steps
        status = "RETIRED" if lost_at_lead else "CONVERTED" if converted else \
            "QUALIFIED" if "Lead Qualified" in steps else "UNQUALIFIED"
        last_lead = steps["Opportunity Lost"] if lost_at_lead else lead_steps[END].max()
        custom = {column: case[key] for key, column in CUSTOM.items()}
        leads.append({"LeadId": 300000000 + int(opportunity_number(case_id)),
                      "LeadNumber": lead_number(case_id), "Name": f"Lead {case_id}",
                      "CreationDate": steps["Lead Created"],
                      "CreatedBy": group["resource"].iloc[0], "LastUpdateDate": last_lead,
                      "LastUpdatedBy": group["resource"].iloc[-1] if lost_at_lead else None,
                      "StatusCode": status, "DealAmount": case[AMOUNT],
                      "CustomerPartyName": case[ACCOUNT],
                      "RetireReasonCode": case[LOST_REASON] if lost_at_lead else None,
                      **custom})
        if not converted:
            continue
        created = group[group["activity"] == "Opportunity Created"].iloc[0]
        outcome = {"Won": "WON", "Lost": "LOST"}.get(case[OUTCOME], "OPEN")
        closed = steps.get("Opportunity Won", steps.get("Opportunity Lost"))
        opportunities.append({
            "OptyId": 300100000 + int(opportunity_number(case_id)),
            "OptyNumber": opportunity_number(case_id), "Name": f"Deal {case_id}",
            "CreationDate": created[END], "CreatedBy": created["resource"],
            "LastUpdateDate": group[END].max(), "StatusCode": outcome,
            "SalesStage": group["stage"].iloc[-1], "Revenue": case[AMOUNT],
            "EffectiveDate": closed.normalize() if closed is not None else None,
            "ReasonWonLostCode": case[LOST_REASON] if outcome == "LOST" else None,
            "TargetPartyName": case[ACCOUNT],
            **{k: v for k, v in custom.items() if k != CUSTOM[PRODUCT_CATEGORY]}})
        revenue.append({"RevnId": 300300000 + int(opportunity_number(case_id)),
                        "OptyNumber": opportunity_number(case_id),
                        "ProdGroupName": case[PRODUCT_CATEGORY], "RevnAmount": case[AMOUNT],
                        "PrimaryFlag": "true"})
        links.append({"OptyNumber": opportunity_number(case_id),
                      "LeadNumber": lead_number(case_id)})
    tables = {"opportunities": pd.DataFrame(opportunities), "leads": pd.DataFrame(leads),
              "opportunityLeads": pd.DataFrame(links), "revenueItems": pd.DataFrame(revenue)}
    tables.update(_stage_tables(events))
    converted_cases = {"OPP-" + n for n in tables["opportunities"]["OptyNumber"]}
    for name, activities in EVENT_FILES.items():
        rows = events[events["activity"].isin(activities)].copy()
        rows[CASE_ID] = [opportunity_number(c) if c in converted_cases and a != "Lead Qualified"
                         else lead_number(c) for c, a in zip(rows[CASE_ID], rows["activity"],
                                                              strict=True)]
        tables[name] = rows[[CASE_ID, "activity", START, END, "resource", "stage"]]
        if name == "receipts":  # what the customer paid, as the receipt records it
            tables[name] = tables[name].assign(amount=[billed(cases.loc[c]) for c in
                                                       events.loc[rows.index, CASE_ID]])
        if name == "invoices":  # each row of an invoice states its number and its total
            owner = events.loc[rows.index, CASE_ID]
            tables[name] = tables[name].assign(
                TransactionNumber=[f"INV-{opportunity_number(c)}" for c in owner],
                amount=[billed(cases.loc[c]) for c in owner])
    return tables


def _stage_tables(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The stages each opportunity entered (a snapshot per entry) and the stages' names."""
    entries = events[events["activity"].isin(SALES_STAGES)].sort_values([CASE_ID, END])
    exits = entries.groupby(CASE_ID)[END].shift(-1)
    snapshots = pd.DataFrame({
        "OptyStgSnapshotId": range(300400001, 300400001 + len(entries)),
        "OptyId": [300100000 + int(opportunity_number(c)) for c in entries[CASE_ID]],
        "StgId": [SALES_STAGES[a][0] for a in entries["activity"]],
        "StgEnterDate": entries[END].values, "StgExitDate": exits.values,
        "CreatedBy": entries["resource"].values, "ActiveFlag": "Y"})
    stages = pd.DataFrame([{"StgId": stage, "Name": name, "PhaseCd": phase}
                           for name, (stage, phase) in SALES_STAGES.items()])
    return {"opportunityStageSnapshots": snapshots, "salesStages": stages}


def write_oracle_sample(directory: Path) -> list[Path]:
    """Write the sample's extracts and event tables as CSV files into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in oracle_tables().items():
        text = table.copy()
        for column in text.columns:
            if pd.api.types.is_datetime64_any_dtype(text[column]):
                text[column] = text[column].dt.strftime(TIME_FORMAT)
        path = directory / f"{name}.csv"
        path.write_bytes(csv_bytes(text))
        written.append(path)
    return written
