"""The Dataverse tables ``l2c extract dynamics`` reads: their names, columns and choices.

Names are those of the Dataverse table reference (logical name, entity set name of the Web
API, display name as "Export to Excel" writes it), e.g.
https://learn.microsoft.com/en-us/dynamics365/sales/developer/entities/salesorder,
https://learn.microsoft.com/en-us/dynamics365/sales/developer/entities/opportunitysalesprocess
and https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/audit.
Status (``statecode``) and status reason (``statuscode``) values are the defaults listed in
"Default status and status reason values" (learn.microsoft.com, dn531157); audit ``action``
values are those of the audit table's option set (learn.microsoft.com, gg309520). Only the
columns the extraction uses are listed; any other column is ignored, except custom columns
(a publisher prefix such as ``new_region``) which become case attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

ID, TEXT, TIME, DATE, NUMBER, CHOICE, LOOKUP = ("id", "text", "datetime", "date", "number",
                                                "choice", "lookup")


@dataclass(frozen=True)
class Column:
    """One column: its logical name, its "Export to Excel" header and its kind."""

    logical: str
    display: str
    kind: str = TEXT


@dataclass(frozen=True)
class TableSpec:
    """One table: how files and headers name it, its key, and the columns it must have."""

    logical: str
    entity_set: str
    display: str
    display_collection: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]
    needed: bool = False  # the extraction cannot start without this table

    @property
    def key(self) -> str:
        return self.columns[0].logical

    def column(self, logical: str) -> Column:
        return next(c for c in self.columns if c.logical == logical)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a file of this table may carry (compared in lower case)."""
        return (self.logical, self.entity_set, self.display, self.display_collection)


def _record(*columns: Column) -> tuple[Column, ...]:
    """Columns every business record has: created/modified on and by, owner, state."""
    return (*columns,
            Column("createdon", "Created On", TIME), Column("createdby", "Created By", LOOKUP),
            Column("modifiedon", "Modified On", TIME),
            Column("modifiedby", "Modified By", LOOKUP), Column("ownerid", "Owner", LOOKUP),
            Column("statecode", "Status", CHOICE),
            Column("statuscode", "Status Reason", CHOICE))


LEAD = TableSpec(
    "lead", "leads", "Lead", "Leads", _record(
        Column("leadid", "(Do Not Modify) Lead", ID), Column("subject", "Topic"),
        Column("fullname", "Name"), Column("companyname", "Company Name"),
        Column("leadsourcecode", "Lead Source", CHOICE),
        Column("estimatedamount", "Est. Value", NUMBER)),
    ("leadid", "createdon", "statecode"))
OPPORTUNITY = TableSpec(
    "opportunity", "opportunities", "Opportunity", "Opportunities", _record(
        Column("opportunityid", "(Do Not Modify) Opportunity", ID), Column("name", "Topic"),
        Column("originatingleadid", "Originating Lead", LOOKUP),
        Column("customerid", "Potential Customer", LOOKUP),
        Column("estimatedvalue", "Est. Revenue", NUMBER),
        Column("discountpercentage", "Opportunity Discount (%)", NUMBER),
        Column("actualclosedate", "Actual Close Date", DATE)),
    ("opportunityid", "createdon", "statecode"), needed=True)
QUOTE = TableSpec(
    "quote", "quotes", "Quote", "Quotes", _record(
        Column("quoteid", "(Do Not Modify) Quote", ID), Column("name", "Name"),
        Column("quotenumber", "Quote ID"), Column("revisionnumber", "Revision ID", NUMBER),
        Column("opportunityid", "Opportunity", LOOKUP), Column("closedon", "Closed On", TIME)),
    ("quoteid", "createdon", "statecode", "opportunityid"))
SALESORDER = TableSpec(
    "salesorder", "salesorders", "Order", "Orders", _record(
        Column("salesorderid", "(Do Not Modify) Order", ID), Column("name", "Name"),
        Column("ordernumber", "Order ID"), Column("opportunityid", "Opportunity", LOOKUP),
        Column("quoteid", "Quote", LOOKUP), Column("datefulfilled", "Date Fulfilled", TIME)),
    ("salesorderid", "createdon", "statecode"))
INVOICE = TableSpec(
    "invoice", "invoices", "Invoice", "Invoices", _record(
        Column("invoiceid", "(Do Not Modify) Invoice", ID), Column("name", "Name"),
        Column("invoicenumber", "Invoice ID"), Column("salesorderid", "Order", LOOKUP),
        Column("opportunityid", "Opportunity", LOOKUP),
        Column("totalamount", "Total Amount", NUMBER)),
    ("invoiceid", "createdon", "statecode"))
OPPORTUNITYCLOSE = TableSpec(
    "opportunityclose", "opportunitycloses", "Opportunity Close", "Opportunity Close", (
        Column("activityid", "(Do Not Modify) Opportunity Close", ID),
        Column("opportunityid", "Opportunity", LOOKUP), Column("actualend", "Actual End", TIME),
        Column("createdby", "Created By", LOOKUP), Column("statecode", "Activity Status", CHOICE),
        Column("description", "Description")),
    ("activityid", "opportunityid", "actualend"))
PROCESSSTAGE = TableSpec(
    "processstage", "processstages", "Process Stage", "Process Stages", (
        Column("processstageid", "(Do Not Modify) Process Stage", ID),
        Column("stagename", "Stage Name"), Column("stagecategory", "Stage Category", CHOICE),
        Column("processid", "Process", LOOKUP)),
    ("processstageid", "stagename"))
_BPF_COLUMNS = (Column("businessprocessflowinstanceid", "(Do Not Modify) Process Instance", ID),
                Column("name", "Name"),
                Column("activestageid", "Active Stage", LOOKUP),
                Column("activestagestartedon", "Active Stage Started On", TIME))
OPPORTUNITY_BPF = TableSpec(
    "opportunitysalesprocess", "opportunitysalesprocesses", "Opportunity Sales Process",
    "Opportunity Sales Process",
    (*_BPF_COLUMNS, Column("opportunityid", "Opportunity", LOOKUP)),
    ("businessprocessflowinstanceid", "opportunityid"))
LEAD_BPF = TableSpec(
    "leadtoopportunitysalesprocess", "leadtoopportunitysalesprocesses",
    "Lead To Opportunity Sales Process", "Lead To Opportunity Sales Process",
    (*_BPF_COLUMNS, Column("leadid", "Lead", LOOKUP),
     Column("opportunityid", "Opportunity", LOOKUP)),
    ("businessprocessflowinstanceid", "leadid"))
AUDIT = TableSpec(
    "audit", "audits", "Auditing", "Audits", (
        Column("auditid", "Record Id", ID), Column("createdon", "Changed Date", TIME),
        Column("objectid", "Record", LOOKUP), Column("objecttypecode", "Entity"),
        Column("action", "Event", CHOICE), Column("userid", "Changed By", LOOKUP),
        Column("changedata", "Change Data")),
    ("auditid", "createdon", "objectid", "objecttypecode", "action"))
STRINGMAP = TableSpec(
    "stringmap", "stringmaps", "String Map", "String Maps", (
        Column("stringmapid", "(Do Not Modify) String Map", ID),
        Column("objecttypecode", "Object Type Code"), Column("attributename", "Attribute Name"),
        Column("attributevalue", "Attribute Value", NUMBER), Column("value", "Value")),
    ("objecttypecode", "attributename", "attributevalue", "value"))

TABLES: tuple[TableSpec, ...] = (LEAD, OPPORTUNITY, QUOTE, SALESORDER, INVOICE,
                                 OPPORTUNITYCLOSE, PROCESSSTAGE, OPPORTUNITY_BPF, LEAD_BPF,
                                 AUDIT, STRINGMAP)
BY_NAME: dict[str, TableSpec] = {name.lower(): spec for spec in TABLES for name in spec.names}

# statecode values (Default status and status reason values).
LEAD_OPEN, LEAD_QUALIFIED, LEAD_DISQUALIFIED = 0, 1, 2
OPPORTUNITY_OPEN, OPPORTUNITY_WON, OPPORTUNITY_LOST = 0, 1, 2
QUOTE_DRAFT, QUOTE_ACTIVE, QUOTE_WON, QUOTE_CLOSED = 0, 1, 2, 3
ORDER_FULFILLED, ORDER_INVOICED = 3, 4
INVOICE_PAID = 2
INVOICE_BILLED_STATUS = 4  # invoice statuscode "Billed": the invoice went to the customer
INVOICE_PAID_STATUSES = (100001, 100002)  # statuscode Complete, Partial (state Paid)
# Audit ``action`` values that name the change themselves (audit option set).
AUDIT_ACTIVATE, AUDIT_FULFILL, AUDIT_PAID, AUDIT_QUALIFY, AUDIT_DISQUALIFY = 4, 22, 23, 24, 25

STATE_LABELS: dict[str, dict[int, str]] = {
    "lead": {0: "Open", 1: "Qualified", 2: "Disqualified"},
    "opportunity": {0: "Open", 1: "Won", 2: "Lost"},
    "quote": {0: "Draft", 1: "Active", 2: "Won", 3: "Closed"},
    "salesorder": {0: "Active", 1: "Submitted", 2: "Canceled", 3: "Fulfilled", 4: "Invoiced"},
    "invoice": {0: "Active", 1: "Closed (deprecated)", 2: "Paid", 3: "Canceled"},
    "opportunityclose": {0: "Open", 1: "Completed", 2: "Canceled"},
}
STATUS_LABELS: dict[str, dict[int, str]] = {
    "lead": {1: "New", 2: "Contacted", 3: "Qualified", 4: "Lost", 5: "Cannot Contact",
             6: "No Longer Interested", 7: "Canceled"},
    "opportunity": {1: "In Progress", 2: "On Hold", 3: "Won", 4: "Canceled", 5: "Out-Sold"},
    "quote": {1: "In Progress", 2: "In Progress", 3: "Open", 4: "Won", 5: "Lost",
              6: "Canceled", 7: "Revised"},
    "salesorder": {1: "New", 2: "Pending", 3: "In Progress", 4: "No Money",
                   100001: "Complete", 100002: "Partial", 100003: "Invoiced"},
    "invoice": {1: "New", 2: "Partially Shipped", 4: "Billed", 5: "Booked (applies to services)",
                6: "Installed (applies to services)", 3: "Canceled (deprecated)",
                7: "Paid (deprecated)", 100001: "Complete", 100002: "Partial",
                100003: "Canceled"},
}
LEAD_SOURCE_LABELS: dict[int, str] = {
    1: "Advertisement", 2: "Employee Referral", 3: "External Referral", 4: "Partner",
    5: "Public Relations", 6: "Seminar", 7: "Trade Show", 8: "Web", 9: "Word of Mouth",
    10: "Other"}
STAGE_CATEGORY_LABELS: dict[int, str] = {
    0: "Qualify", 1: "Develop", 2: "Propose", 3: "Close", 4: "Identify", 5: "Research",
    6: "Resolve", 7: "Approval"}
AUDIT_ACTION_LABELS: dict[int, str] = {
    0: "Unknown", 1: "Create", 2: "Update", 3: "Delete", 4: "Activate", 5: "Deactivate",
    13: "Assign", 16: "Close", 17: "Cancel", 18: "Complete", 21: "Reopen", 22: "Fulfill",
    23: "Paid", 24: "Qualify", 25: "Disqualify", 26: "Submit", 29: "Invoice"}


def standard_labels(table: str, column: str) -> dict[int, str]:
    """The out-of-the-box labels of a choice column (empty when there are none)."""
    if column == "statecode":
        return STATE_LABELS.get(table, {})
    if column == "statuscode":
        return STATUS_LABELS.get(table, {})
    if column == "action":
        return AUDIT_ACTION_LABELS
    return {"leadsourcecode": LEAD_SOURCE_LABELS,
            "stagecategory": STAGE_CATEGORY_LABELS}.get(column, {})
