"""The data template a process owner fills in when their CRM has no usable export.

It has every canonical column in order, with two example deals (one won, one lost) that the
planner reads back as a valid log, so a user can see the expected layout and overwrite it.
The Excel version adds a "Columns" sheet explaining each column and the other header names
the reader recognises for it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from calibration.schema import ROLE_BY_NAME
from calibration.writers import SHEET_NAME, csv_bytes, file_suffix, save_bytes, xlsx_bytes
from sim.errors import PlannerError
from sim.eventlog import CANONICAL_COLUMNS, END, START

COLUMNS_SHEET = "Columns"
TEMPLATE_SUFFIXES: tuple[str, ...] = (".xlsx", ".csv")

# Deal (case) attributes, repeated on every row of the deal as in the template's layout.
_DEALS = {
    "OPP-000123": {"outcome": "Won", "amount": 48000, "lead_source": "Web",
                   "account": "Contoso Ltd", "region": "EMEA", "discount": 0.12,
                   "payment_terms": "Net 30", "contract_type": "Subscription",
                   "product_category": "Software"},
    "OPP-000124": {"outcome": "Lost", "amount": 125000, "lead_source": "Event",
                   "account": "山田商事株式会社", "region": "APAC",
                   "lost_reason": "Price too high", "product_category": "Services"},
}
# (case, activity, start, end, resource, stage): a won deal through to cash, a lost one.
_EVENTS = (
    ("OPP-000123", "Lead Created", "2025-03-03 09:12:00", "2025-03-03 09:12:00", "Aiko Tanaka",
     "Qualify"),
    ("OPP-000123", "Opportunity Created", "2025-03-04 09:15:00", "2025-03-04 09:15:00",
     "Aiko Tanaka", "Qualify"),
    ("OPP-000123", "Quote Created", "2025-03-10 10:00:00", "2025-03-10 11:30:00",
     "Aiko Tanaka", "Propose"),
    ("OPP-000123", "Quote Approved", "2025-03-12 14:00:00", "2025-03-12 14:20:00",
     "Kenji Sato", "Propose"),
    ("OPP-000123", "Contract Signed", "2025-03-20 16:05:00", "2025-03-20 16:05:00",
     "Aiko Tanaka", "Close"),
    ("OPP-000123", "Invoice Sent", "2025-03-24 11:00:00", "2025-03-24 11:00:00",
     "Maria Lopez", "Close"),
    ("OPP-000123", "Payment Received", "2025-04-22 08:30:00", "2025-04-22 08:30:00",
     "Maria Lopez", "Close"),
    ("OPP-000124", "Lead Created", "2025-03-05 13:40:00", "2025-03-05 13:40:00", "佐藤 健",
     "Qualify"),
    ("OPP-000124", "Quote Created", "2025-03-14 09:00:00", "2025-03-14 10:15:00", "佐藤 健",
     "Propose"),
    ("OPP-000124", "Opportunity Lost", "2025-04-02 17:30:00", "2025-04-02 17:30:00",
     "佐藤 健", "Propose"),
)


def write_template(path: str | Path) -> Path:
    """Write the data template as ``.xlsx`` (with the column guide) or ``.csv``."""
    target = Path(path)
    suffix = file_suffix(target)
    if suffix == ".csv":
        return save_bytes(target, csv_bytes(example_rows(), bom=True))
    if suffix == ".xlsx":
        sheets = {SHEET_NAME: example_rows(), COLUMNS_SHEET: column_guide()}
        return save_bytes(target, xlsx_bytes(sheets))
    shown = f"'{suffix}'" if suffix else "no suffix"
    raise PlannerError(f"{target}: cannot write the data template with {shown}; "
                       f"use {' or '.join(TEMPLATE_SUFFIXES)}.")


def example_rows() -> pd.DataFrame:
    """The example deals in the template's layout: one row per event, deal data repeated."""
    rows = []
    for case_id, activity, start, end, resource, stage in _EVENTS:
        rows.append({"case_id": case_id, "activity": activity, START: start, END: end,
                     "resource": resource, "stage": stage, **_DEALS[case_id]})
    table = pd.DataFrame(rows).reindex(columns=list(CANONICAL_COLUMNS))
    for column in (START, END):
        table[column] = pd.to_datetime(table[column], format="%Y-%m-%d %H:%M:%S")
    return table


def column_guide() -> pd.DataFrame:
    """One row per template column: what it means, whether it is needed, other names for it."""
    rows = []
    for column in CANONICAL_COLUMNS:
        role = ROLE_BY_NAME[column]
        rows.append({
            "column": column,
            "meaning": role.meaning,
            "required": "yes" if role.required else "no",
            "level": "event" if role.level == "event" else "deal (same on every row of it)",
            "example": role.example,
            "also recognised": ", ".join(a for a in role.aliases if a != column),
        })
    return pd.DataFrame(rows)
