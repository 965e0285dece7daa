"""An optional payments file joined to the CRM's invoices by invoice number.

Payments are often booked outside the CRM (in the ERP or the bank), so the moment an
invoice was paid may exist only there. The file needs three columns: the invoice number,
the date paid and the amount; several payments of one invoice date it by the last one. It is
given on its own (``--payments``) or found among the tables, as ``payments.csv`` (or
``payment``) in the folder or the zip.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from calibration import sources
from calibration.extract.amounts import per_case
from calibration.extract.report import ExtractionReport, TableCount
from calibration.extract.tables import SOURCE
from sim.errors import PlannerError, did_you_mean

PAYMENTS = "payments"
FILE_NAMES = ("payments", "payment")  # the payments file among the tables
COLUMNS = {
    "invoice": ("invoice number", "invoicenumber", "invoice_number", "invoice id", "invoice",
                "invoice no", "invoicenum"),
    "paid": ("date paid", "datepaid", "date_paid", "paid on", "payment date", "paymentdate",
             "paid_on", "receipt date"),
    "amount": ("amount", "amount paid", "amountpaid", "paid amount", "payment amount"),
}


def read_payments(path: Path, report: ExtractionReport, max_size_mb: float | None = None
                  ) -> pd.DataFrame:
    """Invoice number, date paid (parsed), amount and source row of every payment."""
    sources.check_size(path, sources.max_bytes(max_size_mb))
    raw = sources.read_excel(path) if path.suffix.lower() == ".xlsx" else sources.read_csv(path)
    frame = raw.frame
    rows = [f"{path.name}:{row}" for row in range(2, 2 + len(frame))]
    return payments_of(frame.assign(**{SOURCE: rows}), path.name, report)


def payments_of(frame: pd.DataFrame, label: str, report: ExtractionReport) -> pd.DataFrame:
    """The payments of a table read with its source rows (``SOURCE``), from its file on its
    own or from among the tables; ``label`` names it in messages and the report."""
    headers = {str(c).strip().lower(): c for c in frame.columns if c != SOURCE}
    found: dict[str, str] = {}
    for role, names in COLUMNS.items():
        column = next((headers[n] for n in names if n in headers), None)
        if column is None:
            raise PlannerError(
                f"{label}: no {role} column (one of {', '.join(names[:3])}, ...)."
                f"{did_you_mean(names[0], list(headers))} The payments file needs the invoice "
                "number, the date paid and the amount.")
        found[role] = column
    payments = pd.DataFrame({
        "invoice": frame[found["invoice"]].astype(str).str.strip(),
        "paid": pd.to_datetime(frame[found["paid"]], errors="coerce", format="mixed"),
        "amount": pd.to_numeric(frame[found["amount"]], errors="coerce"),
        SOURCE: frame[SOURCE].to_numpy(),
    })
    count = report.tables[PAYMENTS] = TableCount(label, len(payments))
    unreadable = payments["paid"].isna()
    count.leave_out("date paid unreadable", list(payments.loc[unreadable, SOURCE]))
    return payments.loc[~unreadable]


def paid_dates(payments: pd.DataFrame, invoice_numbers: dict[str, str],
               report: ExtractionReport) -> dict[str, pd.Timestamp]:
    """Invoice key -> date of its last payment; payments of unknown invoices are counted."""
    known = payments["invoice"].isin(invoice_numbers)
    link = report.link("payment -> invoice")
    for source, number, ok in zip(payments[SOURCE], payments["invoice"], known, strict=True):
        link.add(bool(ok), f"{source}: no invoice numbered '{number}'")
    report.tables[PAYMENTS].leave_out("its invoice is not in the export",
                                      list(payments.loc[~known, SOURCE]))
    last = payments.loc[known].groupby("invoice")["paid"].max()
    return {invoice_numbers[number]: time for number, time in last.items()}


def paid_amounts(payments: pd.DataFrame, invoice_numbers: dict[str, str]) -> pd.Series:
    """Invoice key -> the sum of its payments' amounts (payments of unknown invoices aside)."""
    known = payments.loc[payments["invoice"].isin(invoice_numbers)]
    return per_case(known["invoice"].map(invoice_numbers), known["amount"])


def has_time_of_day(times: pd.Series) -> bool:
    """False when every value sits at midnight: the file holds dates, not moments."""
    valid = times.dropna()
    return bool(len(valid)) and bool((valid != valid.dt.normalize()).any())
