"""Money the CRM's tables carry beyond the deal's amount: what was invoiced and what was paid.

The deal's amount is an estimate made while selling; the invoices' totals say what was
billed and the payments what came in (a part payment, a write-off, a discount given at the
end show as the difference). Each becomes a case attribute, the sum over the case's
records: ``invoice_amount`` and ``amount_paid``, left empty for a case without any.
"""

from __future__ import annotations

import pandas as pd

INVOICE_AMOUNT = "invoice_amount"
AMOUNT_PAID = "amount_paid"


def per_case(cases: pd.Series, amounts: pd.Series) -> pd.Series:
    """The sum of the amounts per case; records without a case or an amount are skipped."""
    frame = pd.DataFrame({"case": cases.to_numpy(),
                          "amount": pd.to_numeric(amounts, errors="coerce").to_numpy()})
    return frame.dropna().groupby("case")["amount"].sum()


def with_amounts(cases: pd.DataFrame, totals: dict[str, pd.Series]) -> pd.DataFrame:
    """The case attributes with each non-empty total as a column (empty where unknown)."""
    found = {name: cases.index.map(total).astype(float)
             for name, total in totals.items() if len(total)}
    return cases.assign(**found) if found else cases
