"""The bundled sample written as the Dataverse tables it would come from.

A user who wonders what to export can look at these files: the same 3,064 opportunities as
the bundled log, as lead, opportunity, quote, salesorder, invoice, opportunityclose,
process-flow, processstage, audit and stringmap tables. Steps no record carries (First
Customer Contact, Solution Proposed, Contract Signed) are stages of a business process
flow, entered in the audit history. Records begun before the sample's window are written
whole, as a real export would hold them (``l2c extract ... --since 2024-01-01`` gives back
the bundled log). Three forms: logical names (CSV with the SQL endpoint's ``...name``
columns beside lookups and choices), display names as "Export to Excel" writes them, and
Web API JSON pages.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from calibration.extract import dataverse_schema as dv
from calibration.extract.dataverse_columns import DISPLAY, LOGICAL, WEBAPI
from calibration.extract.sample_log import billed, full_sample
from calibration.writers import csv_bytes
from sim.eventlog import (
    ACCOUNT,
    AMOUNT,
    CONTRACT_TYPE,
    DISCOUNT,
    LEAD_SOURCE,
    LOST_REASON,
    PAYMENT_TERMS,
    PRODUCT_CATEGORY,
    REGION,
)

NAMESPACE = uuid.UUID("5b1f3c9e-7a1d-4c2b-9f3e-0d6c1a2b3c4d")
PREFIX = "l2c_"  # the sample's publisher prefix for its custom columns
CUSTOM = {REGION: ("l2c_region", "Region"),
          PRODUCT_CATEGORY: ("l2c_productcategory", "Product Category"),
          CONTRACT_TYPE: ("l2c_contracttype", "Contract Type"),
          PAYMENT_TERMS: ("l2c_paymentterms", "Payment Terms")}
LEAD_DISCOUNT = ("l2c_discount", "Discount")
LEAD_SOURCES = {"Web": 8, "Partner": 4, "Referral": 100000000, "Event": 100000001,
                "Cold Call": 100000002}
STAGES = {"First Customer Contact": 1, "Solution Proposed": 2, "Contract Signed": 3}
SALES_PROCESS = "Lead to Cash Sales Process"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FORMS = (LOGICAL, DISPLAY, WEBAPI)
ODATA = "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#"


def _percent(share: object) -> float | None:
    """A share as Dataverse's percentage (none for a case without a discount)."""
    return round(float(share) * 100, 4) if isinstance(share, int | float) else None


def guid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


class TableBuilder:
    """Rows of every table, built case by case from the sample's events."""

    def __init__(self, lost_reasons: list[str]) -> None:
        self.rows: dict[str, list[dict[str, object]]] = defaultdict(list)
        self.reason_codes = {r: 100000000 + i for i, r in enumerate(sorted(lost_reasons))}

    def audit(self, table: str, record: object, name: object, time: pd.Timestamp, user: str,
              action: int, **new: object) -> None:
        """An audit row of a change to ``record`` (its id and name as its table holds them)."""
        data = {"changedAttributes": [{"logicalName": k, "oldValue": None, "newValue": str(v)}
                                      for k, v in new.items()]} if new else None
        self.rows["audit"].append({
            "auditid": guid("audit", table, record, time, action, *new),
            "createdon": time, "objectid": record, "objectidname": name,
            "objecttypecode": table, "action": action,
            "actionname": dv.AUDIT_ACTION_LABELS[action],
            "userid": guid("user", user), "useridname": user,
            "changedata": json.dumps(data) if data else None})

    def case(self, case_id: str, attributes: dict[str, object],
             events: list[tuple[str, pd.Timestamp, str]]) -> None:
        """All records of one case; ``events`` are (activity, moment, resource) in order."""
        activities = [a for a, _, _ in events]
        has_opportunity = "Opportunity Created" in activities
        lead_id, opp_id = guid("lead", case_id), guid("opportunity", case_id)
        lead = self._lead(case_id, lead_id, attributes, events, has_opportunity)
        if not has_opportunity:
            self.rows["lead"].append(lead)
            return
        self.rows["lead"].append(lead)
        self._opportunity(case_id, opp_id, lead_id, attributes, events)

    def _lead(self, case_id: str, lead_id: str, attributes: dict[str, object],
              events: list[tuple[str, pd.Timestamp, str]], converted: bool
              ) -> dict[str, object]:
        first = events[0]
        state, status, last = dv.LEAD_OPEN, 1, first[1]
        for activity, time, user in events:
            if activity == "Lead Qualified":
                state, status, last = dv.LEAD_QUALIFIED, 3, time
                self.audit("lead", lead_id, case_id, time, user, dv.AUDIT_QUALIFY,
                           statecode=dv.LEAD_QUALIFIED)
            elif activity == "Opportunity Lost" and not converted:
                status = self.reason_codes[str(attributes[LOST_REASON])]
                state, last = dv.LEAD_DISQUALIFIED, time
                self.audit("lead", lead_id, case_id, time, user, dv.AUDIT_DISQUALIFY,
                           statecode=dv.LEAD_DISQUALIFIED)
        row = {"leadid": lead_id, "subject": case_id, "fullname": case_id,
               "companyname": attributes[ACCOUNT], "createdon": first[1],
               **self._user("createdby", first[2]), "modifiedon": last,
               **self._user("modifiedby", first[2]), **self._user("ownerid", first[2]),
               "statecode": state, "statecodename": dv.STATE_LABELS["lead"][state],
               "statuscode": status,
               "leadsourcecode": LEAD_SOURCES[str(attributes[LEAD_SOURCE])],
               "leadsourcecodename": attributes[LEAD_SOURCE],
               "estimatedamount": attributes[AMOUNT],
               LEAD_DISCOUNT[0]: attributes[DISCOUNT]}
        row["statuscodename"] = self._status_label("lead", status, attributes)
        row.update({column: attributes[key] for key, (column, _) in CUSTOM.items()})
        return row

    def _opportunity(self, case_id: str, opp_id: str, lead_id: str,
                     attributes: dict[str, object],
                     events: list[tuple[str, pd.Timestamp, str]]) -> None:
        created = next(e for e in events if e[0] == "Opportunity Created")
        state, status, last, closed = dv.OPPORTUNITY_OPEN, 1, created[1], None
        flow = guid("flow", case_id)
        stage: tuple[str, pd.Timestamp] | None = None
        quotes: list[dict[str, object]] = []
        order: dict[str, object] | None = None
        invoice: dict[str, object] | None = None
        for activity, time, user in events:
            last = max(last, time) if activity not in ("Lead Created", "Lead Qualified") \
                else last
            if activity in STAGES:
                stage = (activity, time)
                self.audit("opportunitysalesprocess", flow, case_id, time, user, 2,
                           activestageid=guid("stage", activity))
            elif activity in ("Opportunity Won", "Opportunity Lost"):
                won = activity == "Opportunity Won"
                state = dv.OPPORTUNITY_WON if won else dv.OPPORTUNITY_LOST
                status = 3 if won else self.reason_codes[str(attributes[LOST_REASON])]
                closed = time
                self.rows["opportunityclose"].append({
                    "activityid": guid("close", case_id), "opportunityid": opp_id,
                    "opportunityidname": case_id, "actualend": time,
                    **self._user("createdby", user), "statecode": 1,
                    "statecodename": "Completed"})
                if quotes and quotes[-1]["statecode"] in (dv.QUOTE_DRAFT, dv.QUOTE_ACTIVE):
                    self._close_quote(quotes[-1], time, 5)
            elif activity.startswith("Quote"):
                self._quote_step(case_id, opp_id, quotes, activity, time, user)
            elif activity == "Sales Order Created":
                order = self._order(case_id, opp_id, quotes, time, user)
            elif activity == "Order Fulfilled" and order is not None:
                order.update({"datefulfilled": time, "statecode": dv.ORDER_FULFILLED,
                              "statecodename": "Fulfilled", "statuscode": 100001,
                              "statuscodename": "Complete", "modifiedon": time,
                              **self._user("modifiedby", user)})
                self.audit("salesorder", order["salesorderid"], order["name"], time, user,
                           dv.AUDIT_FULFILL, statecode=dv.ORDER_FULFILLED)
            elif activity == "Invoice Generated" and order is not None:
                invoice = self._invoice(case_id, opp_id, order, time, user)
                invoice["totalamount"] = billed(attributes)
            elif activity in ("Invoice Sent", "Payment Received") and invoice is not None:
                self._invoice_step(invoice, activity, time, user)
        self.rows["quote"].extend(quotes)
        if order is not None:
            self.rows["salesorder"].append(order)
        if invoice is not None:
            self.rows["invoice"].append(invoice)
        if stage is not None:
            self.rows["opportunitysalesprocess"].append({
                "businessprocessflowinstanceid": flow, "name": case_id, "opportunityid": opp_id,
                "opportunityidname": case_id, "activestageid": guid("stage", stage[0]),
                "activestageidname": stage[0], "activestagestartedon": stage[1]})
        row = {"opportunityid": opp_id, "name": case_id, "createdon": created[1],
               **self._user("createdby", created[2]), "modifiedon": last,
               **self._user("modifiedby", created[2]), **self._user("ownerid", created[2]),
               "statecode": state, "statecodename": dv.STATE_LABELS["opportunity"][state],
               "statuscode": status,
               "statuscodename": self._status_label("opportunity", status, attributes),
               "originatingleadid": lead_id, "originatingleadidname": case_id,
               "customerid": guid("account", attributes[ACCOUNT]),
               "customeridname": attributes[ACCOUNT], "estimatedvalue": attributes[AMOUNT],
               "discountpercentage": _percent(attributes[DISCOUNT]),
               "actualclosedate": closed.normalize() if closed is not None else None}
        row.update({column: attributes[key] for key, (column, _) in CUSTOM.items()})
        self.rows["opportunity"].append(row)

    def _quote_step(self, case_id: str, opp_id: str, quotes: list[dict[str, object]],
                    activity: str, time: pd.Timestamp, user: str) -> None:
        if activity == "Quote Created":
            if quotes and quotes[-1]["statecode"] in (dv.QUOTE_DRAFT, dv.QUOTE_ACTIVE):
                self._close_quote(quotes[-1], time, 7)
            number = len(quotes)
            quotes.append({
                "quoteid": guid("quote", case_id, number), "name": f"{case_id} quote {number}",
                "quotenumber": f"QUO-{case_id.removeprefix('OPP-')}", "revisionnumber": number,
                "opportunityid": opp_id, "opportunityidname": case_id, "createdon": time,
                **self._user("createdby", user), "modifiedon": time,
                **self._user("modifiedby", user), **self._user("ownerid", user),
                "statecode": dv.QUOTE_DRAFT, "statecodename": "Draft", "statuscode": 1,
                "statuscodename": "In Progress", "closedon": None})
            return
        quote = quotes[-1]
        if activity == "Quote Approved":
            quote.update({"statecode": dv.QUOTE_ACTIVE, "statecodename": "Active",
                          "statuscode": 2, "statuscodename": "In Progress",
                          "modifiedon": time, **self._user("modifiedby", user)})
            self.audit("quote", quote["quoteid"], quote["name"], time, user, dv.AUDIT_ACTIVATE,
                       statecode=dv.QUOTE_ACTIVE)
        elif activity == "Quote Accepted":
            quote.update({"statecode": dv.QUOTE_WON, "statecodename": "Won", "statuscode": 4,
                          "statuscodename": "Won", "closedon": time, "modifiedon": time,
                          **self._user("modifiedby", user)})
            self.audit("quote", quote["quoteid"], quote["name"], time, user, 2,
                       statecode=dv.QUOTE_WON)

    def _close_quote(self, quote: dict[str, object], time: pd.Timestamp, status: int) -> None:
        quote.update({"statecode": dv.QUOTE_CLOSED, "statecodename": "Closed",
                      "statuscode": status, "statuscodename": dv.STATUS_LABELS["quote"][status],
                      "closedon": time, "modifiedon": time})

    def _order(self, case_id: str, opp_id: str, quotes: list[dict[str, object]],
               time: pd.Timestamp, user: str) -> dict[str, object]:
        quote = quotes[-1] if quotes else {}
        return {"salesorderid": guid("order", case_id), "name": f"{case_id} order",
                "ordernumber": f"ORD-{case_id.removeprefix('OPP-')}", "opportunityid": opp_id,
                "opportunityidname": case_id, "quoteid": quote.get("quoteid"),
                "quoteidname": quote.get("name"), "createdon": time,
                **self._user("createdby", user), "modifiedon": time,
                **self._user("modifiedby", user), **self._user("ownerid", user),
                "statecode": 0, "statecodename": "Active", "statuscode": 1,
                "statuscodename": "New", "datefulfilled": None}

    def _invoice(self, case_id: str, opp_id: str, order: dict[str, object],
                 time: pd.Timestamp, user: str) -> dict[str, object]:
        return {"invoiceid": guid("invoice", case_id), "name": f"{case_id} invoice",
                "invoicenumber": f"INV-{case_id.removeprefix('OPP-')}",
                "salesorderid": order["salesorderid"], "salesorderidname": order["name"],
                "opportunityid": opp_id, "opportunityidname": case_id, "createdon": time,
                **self._user("createdby", user), "modifiedon": time,
                **self._user("modifiedby", user), **self._user("ownerid", user),
                "statecode": 0, "statecodename": "Active", "statuscode": 1,
                "statuscodename": "New"}

    def _invoice_step(self, invoice: dict[str, object], activity: str, time: pd.Timestamp,
                      user: str) -> None:
        if activity == "Invoice Sent":
            invoice.update({"statuscode": dv.INVOICE_BILLED_STATUS, "statuscodename": "Billed",
                            "modifiedon": time, **self._user("modifiedby", user)})
            self.audit("invoice", invoice["invoiceid"], invoice["name"], time, user, 2,
                       statuscode=dv.INVOICE_BILLED_STATUS)
        else:
            invoice.update({"statecode": dv.INVOICE_PAID, "statecodename": "Paid",
                            "statuscode": 100001, "statuscodename": "Complete",
                            "modifiedon": time, **self._user("modifiedby", user)})
            self.audit("invoice", invoice["invoiceid"], invoice["name"], time, user,
                       dv.AUDIT_PAID, statecode=dv.INVOICE_PAID)

    def _status_label(self, table: str, status: int, attributes: dict[str, object]) -> str:
        if status >= 100000000:
            return str(attributes[LOST_REASON])
        return dv.STATUS_LABELS[table][status]

    @staticmethod
    def _user(column: str, name: str) -> dict[str, object]:
        return {column: guid("user", name), column + "name": name}

    def stringmap(self) -> list[dict[str, object]]:
        rows = [("lead", "leadsourcecode", code, label) for label, code in LEAD_SOURCES.items()
                if code >= 100000000]
        rows += [(table, "statuscode", code, reason) for table in ("lead", "opportunity")
                 for reason, code in self.reason_codes.items()]
        return [{"stringmapid": guid("stringmap", *row), "objecttypecode": row[0],
                 "attributename": row[1], "attributevalue": row[2], "value": row[3]}
                for row in rows]

    def processstage(self) -> list[dict[str, object]]:
        return [{"processstageid": guid("stage", name), "stagename": name,
                 "stagecategory": category,
                 "stagecategoryname": dv.STAGE_CATEGORY_LABELS[category],
                 "processid": guid("process", SALES_PROCESS), "processidname": SALES_PROCESS}
                for name, category in STAGES.items()]


def sample_tables() -> dict[str, pd.DataFrame]:
    """Every table of the sample in logical names (``...name`` beside lookups and choices)."""
    events, cases = full_sample()
    builder = TableBuilder(sorted(cases[LOST_REASON].dropna().unique()))
    for case_id, group in events.groupby("case_id", sort=True):
        steps = list(zip(group["activity"], group["end_time"], group["resource"], strict=True))
        builder.case(str(case_id), cases.loc[case_id].to_dict(), steps)
    tables = {name: pd.DataFrame(rows) for name, rows in builder.rows.items()}
    tables["stringmap"] = pd.DataFrame(builder.stringmap())
    tables["processstage"] = pd.DataFrame(builder.processstage())
    return tables


def write_dataverse_sample(directory: Path, form: str = LOGICAL,
                           tables: Mapping[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write the sample's tables (``tables``, from ``sample_tables``, when already built:
    building them takes a second) into ``directory`` in ``form``; the files written."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (sample_tables() if tables is None else tables).items():
        spec = dv.BY_NAME[name]
        if form == WEBAPI:
            path = directory / f"{spec.entity_set}.json"
            path.write_text(json.dumps(_webapi_page(frame, spec), ensure_ascii=False),
                            encoding="utf-8")
        elif form == DISPLAY:
            path = directory / f"{spec.display_collection}.csv"
            path.write_bytes(csv_bytes(_display(frame, spec)))
        else:
            path = directory / f"{spec.logical}.csv"
            path.write_bytes(csv_bytes(_formatted(frame)))
        written.append(path)
    return written


def _formatted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime(TIME_FORMAT)
    return frame


def _display(frame: pd.DataFrame, spec: dv.TableSpec) -> pd.DataFrame:
    """Display headers; choices and lookups as labels and names; the key hidden-column style."""
    frame = _formatted(frame)
    columns: dict[str, pd.Series] = {}
    for column in spec.columns:
        if column.kind in (dv.CHOICE, dv.LOOKUP) and column.logical + "name" in frame:
            columns[column.display] = frame[column.logical + "name"]
        elif column.logical in frame:
            columns[column.display] = frame[column.logical]
    for key, (logical, display) in {**CUSTOM, DISCOUNT: LEAD_DISCOUNT}.items():
        del key
        if logical in frame:
            columns[display] = frame[logical]
    return pd.DataFrame(columns)


def _webapi_page(frame: pd.DataFrame, spec: dv.TableSpec) -> dict[str, object]:
    """One Web API page: lookups as ``_x_value`` with their FormattedValue annotations."""
    formatted = "@OData.Community.Display.V1.FormattedValue"
    kinds = {c.logical: c.kind for c in spec.columns}
    records = []
    for record in frame.to_dict("records"):
        out: dict[str, object] = {"@odata.etag": 'W/"1"'}
        for key, cell in record.items():
            if key.endswith("name") and kinds.get(key[:-4]) in (dv.CHOICE, dv.LOOKUP):
                continue
            value = _json_value(cell)
            kind = kinds.get(key)
            if kind == dv.LOOKUP:
                out[f"_{key}_value"] = value
                out[f"_{key}_value{formatted}"] = record.get(key + "name")
            else:
                out[key] = value
                if kind == dv.CHOICE and record.get(key + "name") is not None:
                    out[key + formatted] = record.get(key + "name")
        records.append(out)
    return {"@odata.context": ODATA + spec.entity_set, "value": records}


def _json_value(cell: object) -> object:
    """Web API values: times in UTC with a Z, missing values as null, numbers as numbers."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return None
    if isinstance(cell, pd.Timestamp):
        return cell.strftime("%Y-%m-%dT%H:%M:%SZ")
    return cell.item() if hasattr(cell, "item") else cell
