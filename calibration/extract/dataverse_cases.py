"""Case attributes from Dataverse records: the opportunity's, else the lead's.

Estimated revenue (``estimatedvalue``, a lead's ``estimatedamount``), the potential
customer, the originating lead's source, the discount (``discountpercentage`` in percent),
won or lost with the status reason's label, and every custom column (publisher prefix, or
a header "Export to Excel" does not know), named as the canonical attribute it spells.
"""

from __future__ import annotations

import pandas as pd

from calibration.extract import dataverse_schema as dv
from calibration.extract.dataverse_columns import NAME, codes_of, custom_columns, labels
from calibration.extract.dataverse_events import KEY
from calibration.extract.dataverse_links import Keys, lookup
from calibration.values import auto_type
from sim.eventlog import (
    ACCOUNT,
    AMOUNT,
    CASE_ATTRIBUTES,
    DISCOUNT,
    LEAD_SOURCE,
    LOST,
    LOST_REASON,
    OUTCOME,
    WON,
)


def case_attributes(frames: dict[str, pd.DataFrame], stringmap: dict[tuple[str, str, int], str],
                events: pd.DataFrame, leads: Keys) -> pd.DataFrame:
    """One row per case with events: from the opportunity, else from the lead."""
    lead_values = _lead_attributes(frames["lead"], stringmap)
    rows: dict[str, dict[str, object]] = lead_values.to_dict("index")
    opportunity = frames["opportunity"]
    opp_values = _opportunity_attributes(opportunity, stringmap)
    for (code, name), key in zip(lookup(opportunity, "originatingleadid"), opportunity[KEY],
                                 strict=True):
        if not isinstance(key, str):
            continue
        values = opp_values.loc[key].to_dict()
        origin, _ = leads.find(code, name)
        values[LEAD_SOURCE] = rows.get(origin, {}).get(LEAD_SOURCE) if origin else None
        rows[key] = values
    cases = pd.DataFrame.from_dict(rows, orient="index")
    cases = cases.loc[[c for c in events["case_id"].unique() if c in cases.index]]
    cases.index.name = "case_id"
    cases = cases.apply(auto_type)  # custom columns arrive as text
    ordered = [c for c in CASE_ATTRIBUTES if c in cases.columns]
    return cases[ordered + [c for c in cases.columns if c not in ordered]]


def _lead_attributes(lead: pd.DataFrame, stringmap: dict[tuple[str, str, int], str]
                     ) -> pd.DataFrame:
    state = codes_of(lead, "lead", "statecode")
    values = pd.DataFrame({
        OUTCOME: state.map({dv.LEAD_DISQUALIFIED: LOST}),
        AMOUNT: pd.to_numeric(lead.get("estimatedamount"), errors="coerce"),
        LEAD_SOURCE: labels(lead, "lead", "leadsourcecode", stringmap)
        if "leadsourcecode" in lead else None,
        ACCOUNT: lead.get("companyname"),
        LOST_REASON: labels(lead, "lead", "statuscode", stringmap).where(
            state == dv.LEAD_DISQUALIFIED),
    }, index=lead.index)
    values = _with_custom(values, lead, "lead")
    return values.set_axis(lead[KEY].values).loc[lambda f: f.index.notna()]


def _opportunity_attributes(opportunity: pd.DataFrame,
                            stringmap: dict[tuple[str, str, int], str]) -> pd.DataFrame:
    state = codes_of(opportunity, "opportunity", "statecode")
    account = opportunity.get("customerid" + NAME, None)
    values = pd.DataFrame({
        OUTCOME: state.map({dv.OPPORTUNITY_WON: WON, dv.OPPORTUNITY_LOST: LOST}),
        AMOUNT: pd.to_numeric(opportunity.get("estimatedvalue"), errors="coerce"),
        ACCOUNT: account,
        LOST_REASON: labels(opportunity, "opportunity", "statuscode", stringmap).where(
            state == dv.OPPORTUNITY_LOST),
        DISCOUNT: (pd.to_numeric(opportunity.get("discountpercentage"), errors="coerce")
                   / 100).round(6),
    }, index=opportunity.index)
    values = _with_custom(values, opportunity, "opportunity")
    return values.set_axis(opportunity[KEY].values).loc[lambda f: f.index.notna()]


def _with_custom(values: pd.DataFrame, frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Custom columns as attributes, under the canonical name they spell (if any)."""
    spec = dv.BY_NAME[table]
    form = "display names" if any(str(c).startswith("custom:") for c in frame.columns) \
        else "logical names"
    canonical = {c.replace("_", ""): c for c in CASE_ATTRIBUTES}
    for column, name in custom_columns(frame, spec, form).items():
        attribute = canonical.get(name.replace("_", ""), name)
        values[attribute] = frame[column].values
    return values
