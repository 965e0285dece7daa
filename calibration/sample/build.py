"""Write the bundled sample files: ``python -m calibration.sample.build``.

One generated log, three exports: Dynamics 365 Sales column names (ISO timestamps), Oracle
CX Sales column names (US dates, upper-case status codes) and XES with start/complete
lifecycle events, plus the true parameters. Gzip without timestamps keeps the bytes stable.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from calibration.sample import FILES, SAMPLE_DIR, TRUE_PARAMS, truth
from calibration.sample.generator import generate
from calibration.writers import csv_bytes, write_log
from sim.eventlog import (
    ACCOUNT,
    ACTIVITY,
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
    RESOURCE,
    STAGE,
    START,
    EventLog,
)

D365_COLUMNS = {
    CASE_ID: "Opportunity ID", ACTIVITY: "Activity", START: "Start Time", END: "End Time",
    RESOURCE: "Owner", STAGE: "Sales Stage", OUTCOME: "Status", AMOUNT: "Est. Revenue",
    LEAD_SOURCE: "Lead Source", ACCOUNT: "Account", REGION: "Region",
    LOST_REASON: "Lost Reason", DISCOUNT: "Discount %", PAYMENT_TERMS: "Payment Terms",
    CONTRACT_TYPE: "Contract Type", PRODUCT_CATEGORY: "Product Category",
}
ORACLE_COLUMNS = {
    CASE_ID: "OptyNumber", ACTIVITY: "ActivityName", START: "ActivityStartDate",
    END: "ActivityEndDate", RESOURCE: "OwnerResourcePartyName", STAGE: "SalesStage",
    OUTCOME: "StatusCode", AMOUNT: "Revenue", LEAD_SOURCE: "LeadSourceCode",
    ACCOUNT: "TargetPartyName", REGION: "PrimaryTerritory", LOST_REASON: "ReasonWonLostCode",
    DISCOUNT: "DiscountPercentage", PAYMENT_TERMS: "PaymentTermsCode",
    CONTRACT_TYPE: "ContractType", PRODUCT_CATEGORY: "ProductCategory",
}


def d365_table(log: EventLog) -> pd.DataFrame:
    flat = log.flat()
    flat[OUTCOME] = flat[OUTCOME].fillna("Open")
    flat[DISCOUNT] = (flat[DISCOUNT] * 100).round(1)  # D365 shows discount in percent
    for column in (START, END):
        flat[column] = flat[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    return flat[list(D365_COLUMNS)].rename(columns=D365_COLUMNS)


def oracle_table(log: EventLog) -> pd.DataFrame:
    flat = log.flat()
    flat[OUTCOME] = flat[OUTCOME].fillna("Open").str.upper()
    flat[DISCOUNT] = (flat[DISCOUNT] * 100).round(1)
    flat[CASE_ID] = flat[CASE_ID].str.replace("OPP-", "", regex=False)
    for column in (START, END):
        flat[column] = flat[column].dt.strftime("%m/%d/%Y %H:%M:%S")
    return flat[list(ORACLE_COLUMNS)].rename(columns=ORACLE_COLUMNS)


def build(directory: Path = SAMPLE_DIR) -> list[Path]:
    """Generate the sample and write every bundled file into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    log = generate()
    written = []
    for style, table in (("d365", d365_table(log)), ("oracle", oracle_table(log))):
        path = directory / FILES[style]
        path.write_bytes(gzip.compress(csv_bytes(table), mtime=0))
        written.append(path)
    written.append(write_log(log, directory / FILES["xes"], lifecycle=True))
    params = directory / TRUE_PARAMS
    params.write_text(json.dumps(truth.as_dict(), indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    written.append(params)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"{path}  {path.stat().st_size / 1e6:.2f} MB")
