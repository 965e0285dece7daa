"""Revenue lines (the opportunity's Revenue Items, ``ChildRevenue``): the product of a deal.

An opportunity's products sit on its revenue lines, not on the opportunity. The case takes
the product group (``ProdGroupName``) of its primary line (``PrimaryFlag``), else of its
largest (``RevnAmount``), as its product category. Lines of opportunities missing from the
export are counted as broken links and left out.
"""

from __future__ import annotations

import pandas as pd

from calibration.extract.report import ExtractionReport
from calibration.extract.tables import SOURCE

TRUE = ("true", "y", "yes", "1")


def product_categories(lines: pd.DataFrame, opportunities: set[str],
                       report: ExtractionReport, table: str) -> dict[str, str]:
    """Opportunity number -> product category of its primary (else largest) line."""
    numbers = lines["OptyNumber"].map(lambda v: None if pd.isna(v) else str(v).strip()
                                      .removesuffix(".0"))
    known = numbers.isin(opportunities)
    link = report.link("revenue line -> opportunity")
    for source, number, ok in zip(lines[SOURCE], numbers, known, strict=True):
        link.add(bool(ok), f"{source}: no opportunity {number}")
    report.table(table).leave_out("its opportunity is not in the export",
                                  list(lines.loc[~known, SOURCE]))
    if "ProdGroupName" not in lines:
        report.warnings.append(f"table {table}: no ProdGroupName column, so cases get no "
                               "product category from their revenue lines.")
        return {}
    ranked = pd.DataFrame({
        "number": numbers, "group": lines["ProdGroupName"],
        "primary": lines.get("PrimaryFlag", pd.Series("", lines.index)).astype(str)
        .str.strip().str.lower().isin(TRUE),
        "amount": pd.to_numeric(lines.get("RevnAmount"), errors="coerce"),
    }).loc[known & lines["ProdGroupName"].notna()]
    ranked = ranked.sort_values(["primary", "amount"], ascending=False, kind="stable")
    first = ranked.drop_duplicates("number")
    return dict(zip(first["number"], first["group"], strict=True))


