"""``l2c extract oracle``: Oracle CX Sales extracts to a lead-to-cash event log.

One case per opportunity (``OptyNumber``); a lead no opportunity came from is a case of
its own; revenue lines give the product category (``oracle_revenue``). Opportunities and
leads give Lead Created and Opportunity Created (their ``CreationDate``), won or lost with
the reason (``StatusCode``, ``ReasonWonLostCode``, dated by ``EffectiveDate``, a date
without time, so marked approximated) and retired leads (``RetireReasonCode``, dated by
``LastUpdateDate``, approximated). Quotes, orders, invoices, receipts and sales activities
arrive as event tables in template columns, keyed by opportunity or lead number, with their
own start and end times; a step an event table dates is not taken again from the records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from calibration.extract import oracle_schema as ox
from calibration.extract.amounts import AMOUNT_PAID, INVOICE_AMOUNT, per_case, with_amounts
from calibration.extract.events import APPROXIMATED, COLUMNS, RANK, finish
from calibration.extract.oracle_revenue import product_categories
from calibration.extract.oracle_stages import stage_entries
from calibration.extract.report import ExtractionReport, TableCount
from calibration.extract.tables import SOURCE, RawTable, read_tables
from calibration.mapping import detect_roles
from calibration.values import auto_type
from sim.errors import PlannerError, did_you_mean
from sim.eventlog import (
    ACCOUNT,
    ACTIVITY,
    AMOUNT,
    CASE_ATTRIBUTES,
    CASE_ID,
    END,
    LOST,
    LOST_REASON,
    OUTCOME,
    PRODUCT_CATEGORY,
    RESOURCE,
    STAGE,
    START,
    WON,
    EventLog,
)

PAID = "paid"  # a receipt's amount, beside its event until the case attributes take it
INVOICED, INVOICE = "invoiced", "invoice"  # an invoice row's total and its invoice number
RANKS = {"Lead Created": 0, "Opportunity Created": 2, "Opportunity Won": 7,
        "Opportunity Lost": 7}


def extract_oracle(paths: Iterable[Path], *, since: pd.Timestamp | None = None,
                   max_size_mb: float | None = None) -> tuple[EventLog, ExtractionReport]:
    """The event log the extracts under ``paths`` describe, and the extraction report."""
    report = ExtractionReport("Oracle CX Sales", form="REST / BICC attribute names")
    names = {alias: r.name for r in ox.RESOURCES for alias in r.aliases}
    names.update({name: name for name in ox.EVENT_TABLES})
    raw, report.warnings = read_tables(paths, names, max_size_mb)
    if ox.OPPORTUNITIES.name not in raw:
        found = ", ".join(sorted(raw)) or "none"
        aside = (" Files not recognised: " + " ".join(report.warnings)) if report.warnings \
            else ""
        raise PlannerError(f"Missing table: opportunities (found: {found}). Export the "
                           "opportunities resource (or its BICC view object) as "
                           f"opportunities.csv, .xlsx or .json.{aside}")
    for name, table in raw.items():
        report.tables[name] = TableCount(table.label, len(table.frame))
    records = {r.name: _checked(raw[r.name], r, report) for r in ox.RESOURCES
               if r.name in raw and r is not ox.REVENUE_ITEMS}
    if ox.SALES_STAGES.name in records and ox.STAGE_SNAPSHOTS.name not in records:
        report.warnings.append("salesStages without opportunityStageSnapshots: the stages "
                               "are named, but no stage entry is dated.")
    opportunities = records[ox.OPPORTUNITIES.name]
    leads = records.get(ox.LEADS.name, pd.DataFrame(columns=list(ox.LEADS.required)))
    lead_case = _lead_cases(opportunities, leads, records.get(ox.OPPORTUNITY_LEADS.name),
                            report)
    table_events = [_event_table(raw[name], name, lead_case, opportunities, report)
                    for name in ox.EVENT_TABLES if name in raw]
    if ox.STAGE_SNAPSHOTS.name in records:
        table_events.append(stage_entries(records[ox.STAGE_SNAPSHOTS.name],
                                          records.get(ox.SALES_STAGES.name), opportunities,
                                          report))
    given = pd.concat(table_events, ignore_index=True) if table_events else pd.DataFrame(
        columns=[*COLUMNS, PAID])
    dated = set(zip(given[CASE_ID], given[ACTIVITY], strict=True))
    own = _record_events(opportunities, leads, lead_case, dated)
    events = finish(pd.concat([given, own], ignore_index=True), since, report)
    cases = _attributes(opportunities, leads, lead_case, events)
    if ox.REVENUE_ITEMS.name in raw:
        categories = product_categories(raw[ox.REVENUE_ITEMS.name].frame,
                                        set(opportunities[ox.OPPORTUNITIES.key]), report,
                                        ox.REVENUE_ITEMS.name)
        found = cases.index.to_series().map(categories)
        cases[PRODUCT_CATEGORY] = found.fillna(cases[PRODUCT_CATEGORY]) \
            if PRODUCT_CATEGORY in cases else found
    cases = with_amounts(cases, {AMOUNT_PAID: per_case(given[CASE_ID], given[PAID]),
                                 INVOICE_AMOUNT: _invoice_totals(given)})
    report.cases = len(cases)
    report.lead_only_cases = int(cases.index.isin(leads[ox.LEADS.key]).sum())
    return EventLog(events, cases, name="Oracle CX Sales extract"), report


def _checked(raw: RawTable, resource: ox.Resource, report: ExtractionReport) -> pd.DataFrame:
    """The extract with its required attributes (named with a did-you-mean), keys unique."""
    frame = raw.frame
    for attribute in resource.required:
        if attribute not in frame:
            headers = [str(c) for c in frame.columns if c != SOURCE]
            raise PlannerError(f"table {resource.name} ({raw.label}): no attribute "
                               f"'{attribute}'.{did_you_mean(attribute, headers)} Attributes "
                               f"in the file: {', '.join(headers[:12])}.")
    frame = frame.assign(**{resource.key: frame[resource.key].map(ox.key_text)})
    count = report.table(resource.name)
    missing = frame[resource.key].isna()
    count.leave_out(f"no {resource.key}", list(frame.loc[missing, SOURCE]))
    frame = frame.loc[~missing]
    if resource is ox.OPPORTUNITY_LEADS:
        return frame.reset_index(drop=True)
    duplicated = frame.duplicated(resource.key, keep="last")
    count.leave_out(f"duplicate {resource.key}: an older copy of a record read twice",
                    [f"{s} ({resource.key} {k})" for s, k in zip(
                        frame.loc[duplicated, SOURCE], frame.loc[duplicated, resource.key],
                        strict=True)])
    return frame.loc[~duplicated].reset_index(drop=True)


def _lead_cases(opportunities: pd.DataFrame, leads: pd.DataFrame,
                links: pd.DataFrame | None, report: ExtractionReport) -> dict[str, str]:
    """Lead number -> case: the opportunity it became, else the lead itself."""
    known_leads = set(leads[ox.LEADS.key])
    known_opportunities = set(opportunities[ox.OPPORTUNITIES.key])
    cases = {lead: lead for lead in known_leads}
    if links is None:
        return cases
    link_to_lead = report.link("opportunity lead -> lead")
    link_to_opportunity = report.link("opportunity lead -> opportunity")
    unplaced = []
    for lead, opportunity, source in zip(links[ox.LEADS.key], links["OptyNumber"].map(ox.key_text),
                                         links[SOURCE], strict=True):
        link_to_lead.add(lead in known_leads, f"{source}: no lead {lead}")
        link_to_opportunity.add(opportunity in known_opportunities,
                                f"{source}: no opportunity {opportunity}")
        if lead in known_leads and opportunity in known_opportunities:
            cases[lead] = opportunity
        else:
            unplaced.append(source)
    report.table(ox.OPPORTUNITY_LEADS.name).leave_out("a link to a record not in the export",
                                                      unplaced)
    return cases


def _event_table(raw: RawTable, name: str, lead_case: dict[str, str],
                 opportunities: pd.DataFrame, report: ExtractionReport) -> pd.DataFrame:
    """Events of a table in template columns; case ids are opportunity or lead numbers."""
    frame = raw.frame
    roles = detect_roles([str(c) for c in frame.columns if c != SOURCE])
    for role in (CASE_ID, ACTIVITY):
        if role not in roles:
            raise PlannerError(f"table {name} ({raw.label}): no {role} column; an event table "
                               "has the columns of 'l2c template' (case_id, activity, "
                               f"start_time, ...).{did_you_mean(role, list(frame.columns))}")
    start_column = roles.get(START, roles.get(END))
    if start_column is None:
        raise PlannerError(f"table {name} ({raw.label}): no start_time column.")
    starts = pd.to_datetime(frame[start_column], errors="coerce", format="mixed")
    ends = pd.to_datetime(frame[roles[END]], errors="coerce", format="mixed") \
        if END in roles else starts
    ends = ends.fillna(starts)
    numbers = frame[roles[CASE_ID]].map(ox.key_text)
    known = set(opportunities[ox.OPPORTUNITIES.key])
    cases = numbers.map(lambda n: n if n in known else lead_case.get(n))
    link = report.link(f"{name} -> opportunity or lead")
    for number, case, source in zip(numbers, cases, frame[SOURCE], strict=True):
        link.add(case is not None, f"{source}: no opportunity or lead {number}")
    count = report.table(name)
    count.leave_out("no opportunity or lead of that number in the export",
                    list(frame.loc[cases.isna(), SOURCE]))
    undated = cases.notna() & starts.isna()
    count.leave_out(f"{start_column} unreadable", list(frame.loc[undated, SOURCE]))
    keep = cases.notna() & starts.notna()
    paid = frame.loc[keep, roles[AMOUNT]] if AMOUNT in roles and name in ox.PAYMENT_TABLES \
        else None
    invoiced = _invoiced(frame.loc[keep], raw.label, roles, report) \
        if AMOUNT in roles and name == ox.INVOICE_TABLE else {}
    return pd.DataFrame({
        CASE_ID: cases[keep], ACTIVITY: frame.loc[keep, roles[ACTIVITY]].map(ox.key_text),
        START: starts[keep], END: ends[keep],
        RESOURCE: frame.loc[keep, roles[RESOURCE]].map(ox.key_text) if RESOURCE in roles else None,
        STAGE: frame.loc[keep, roles[STAGE]].map(ox.key_text) if STAGE in roles else None,
        APPROXIMATED: None, RANK: 5, PAID: paid, **invoiced})


def _invoiced(frame: pd.DataFrame, label: str, roles: dict[str, str],
              report: ExtractionReport) -> dict[str, pd.Series]:
    """An invoice row's total and its invoice number, when a column tells the invoices
    apart; without one the totals are left out (with a warning), since each invoice's total
    stands on every row of it (generated, sent) and a sum would count it twice or more."""
    headers = {str(c).strip().lower(): c for c in frame.columns if c != SOURCE}
    number = next((headers[n] for n in ox.INVOICE_NUMBERS if n in headers), None)
    if number is None:
        report.warnings.append(
            f"invoices ({label}): the amounts are not taken as invoice totals, since no "
            "invoice number column (TransactionNumber, invoice_number) tells one invoice's "
            "rows from another's and a total on each row would be counted once per row. Add "
            "the invoice number to have invoice_amount.")
        return {}
    return {INVOICED: pd.to_numeric(frame[roles[AMOUNT]], errors="coerce"),
            INVOICE: frame[number].map(ox.key_text)}


def _invoice_totals(given: pd.DataFrame) -> pd.Series:
    """Per case, the sum of its invoices' totals: each invoice counted once, by its number,
    at the total its latest row states."""
    if INVOICED not in given:
        return pd.Series(dtype=float)
    rows = given.dropna(subset=[INVOICED, INVOICE]).sort_values(END, kind="stable")
    latest = rows.groupby([CASE_ID, INVOICE], sort=False)[INVOICED].last().reset_index()
    return per_case(latest[CASE_ID], latest[INVOICED])


def _times(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NaT, frame.index)
    times = pd.to_datetime(frame[column], errors="coerce", format="mixed", utc=True)
    return times.dt.tz_localize(None)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column the extract may lack, as empty cells when it does."""
    return frame[name] if name in frame else pd.Series(None, frame.index, dtype=object)


def _record_events(opportunities: pd.DataFrame, leads: pd.DataFrame,
                   lead_case: dict[str, str], dated: set[tuple[str, str]]) -> pd.DataFrame:
    """Creation, win, loss and retirement, unless an event table dates them already."""
    rows: list[dict[str, object]] = []

    def add(case: str, activity: str, time: pd.Timestamp, resource: object, stage: str,
            approximated: str | None = None) -> None:
        if (case, activity) in dated or pd.isna(time):
            return
        rows.append({CASE_ID: case, ACTIVITY: activity, START: time, END: time,
                     RESOURCE: ox.key_text(resource), STAGE: stage, APPROXIMATED: approximated,
                     RANK: RANKS[activity]})

    lead_created = _times(leads, "CreationDate")
    lead_updated = _times(leads, "LastUpdateDate")
    for i, (lead, status, creator, updater) in enumerate(zip(
            leads[ox.LEADS.key], leads["StatusCode"], _column(leads, "CreatedBy"),
            _column(leads, "LastUpdatedBy"), strict=True)):
        case = lead_case.get(lead, lead)
        add(case, "Lead Created", lead_created[i], creator, "Qualify")
        if str(status).upper() == ox.RETIRED and case == lead:
            add(case, "Opportunity Lost", lead_updated[i], updater, "Close",
                "from LastUpdateDate")
    created = _times(opportunities, "CreationDate")
    closed = _times(opportunities, "EffectiveDate")
    for i, (case, status, creator) in enumerate(zip(
            opportunities[ox.OPPORTUNITIES.key], opportunities["StatusCode"],
            _column(opportunities, "CreatedBy"), strict=True)):
        add(case, "Opportunity Created", created[i], creator, "Develop")
        outcome = str(status).upper()
        if outcome in (ox.WON, ox.LOST):
            add(case, "Opportunity Won" if outcome == ox.WON else "Opportunity Lost",
                closed[i], None, "Close", "from EffectiveDate (a date without time)")
    return pd.DataFrame(rows, columns=COLUMNS)


def _attributes(opportunities: pd.DataFrame, leads: pd.DataFrame, lead_case: dict[str, str],
                events: pd.DataFrame) -> pd.DataFrame:
    """Case attributes from the opportunity, else from the lead; custom fields kept."""
    rows: dict[str, dict[str, object]] = {}
    for record in leads.to_dict("records"):
        lead = record[ox.LEADS.key]
        retired = str(record.get("StatusCode")).upper() == ox.RETIRED
        rows[lead] = {OUTCOME: LOST if retired else None, AMOUNT: record.get("DealAmount"),
                      ACCOUNT: record.get("CustomerPartyName"),
                      LOST_REASON: record.get("RetireReasonCode") if retired else None,
                      **_custom(record)}
    from_lead = {case: rows[lead] for lead, case in lead_case.items() if case != lead}
    for record in opportunities.to_dict("records"):
        case = record[ox.OPPORTUNITIES.key]
        status = str(record.get("StatusCode")).upper()
        rows[case] = {**from_lead.get(case, {}),
                      OUTCOME: {ox.WON: WON, ox.LOST: LOST}.get(status),
                      AMOUNT: record.get("Revenue"), ACCOUNT: record.get("TargetPartyName"),
                      LOST_REASON: record.get("ReasonWonLostCode") if status == ox.LOST
                      else None, **_custom(record)}
    cases = pd.DataFrame.from_dict(rows, orient="index")
    cases = cases.loc[[c for c in events[CASE_ID].unique() if c in cases.index]]
    cases.index.name = CASE_ID
    cases = cases.apply(auto_type)
    ordered = [c for c in CASE_ATTRIBUTES if c in cases.columns]
    return cases[ordered + [c for c in cases.columns if c not in ordered]]


def _custom(record: dict[str, object]) -> dict[str, object]:
    """Custom fields (``Region_c``) as attributes (``region``)."""
    found = {}
    for name, value in record.items():
        if isinstance(name, str) and name.endswith(ox.CUSTOM_SUFFIX):
            base = name.removesuffix(ox.CUSTOM_SUFFIX)
            found[re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()] = value
    return found
