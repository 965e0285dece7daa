"""``l2c extract dynamics``: Dynamics 365 Sales / Dataverse tables to a lead-to-cash log.

One case per opportunity (its originating lead, quotes, orders and invoices join it); a
lead never converted is a case of its own that ends at the lead stage. Case attributes come
from the opportunity (or the lead): estimated revenue, potential customer, lead source,
discount, won or lost with the status reason, and every custom column. The tables are read
by ``tables``, put in one shape by ``dataverse_columns``, linked by ``dataverse_links``,
dated by ``dataverse_events`` and ``dataverse_audit`` and described by ``dataverse_cases``;
this module runs those steps and fills the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from calibration.extract import dataverse_schema as dv
from calibration.extract.amounts import AMOUNT_PAID, INVOICE_AMOUNT, per_case, with_amounts
from calibration.extract.dataverse_audit import AuditTrail, read_trail
from calibration.extract.dataverse_cases import case_attributes
from calibration.extract.dataverse_columns import (
    codes_of,
    labels,
    normalise,
)
from calibration.extract.dataverse_events import (
    CASE,
    KEY,
    TIME,
    Dated,
    EventSink,
    RecordEvents,
    text,
    who,
)
from calibration.extract.dataverse_links import CaseIndex, Keys, Link, link_records, lookup
from calibration.extract.events import APPROXIMATED, COLUMNS, RANK, finish
from calibration.extract.payments import FILE_NAMES as PAYMENT_FILES
from calibration.extract.payments import (
    PAYMENTS,
    has_time_of_day,
    paid_amounts,
    paid_dates,
    payments_of,
    read_payments,
)
from calibration.extract.report import ExtractionReport, TableCount
from calibration.extract.tables import SOURCE, RawTable, read_tables
from sim.errors import PlannerError
from sim.eventlog import (
    END,
    START,
    EventLog,
)

REQUIRED_TABLES = ("lead", "opportunity", "quote", "salesorder", "invoice")
TIME_COLUMNS = ("createdon", "modifiedon", "closedon", "datefulfilled", "actualend",
                "activestagestartedon", "actualclosedate")
BPF_TABLES = ("opportunitysalesprocess", "leadtoopportunitysalesprocess")


def extract_dynamics(paths: Iterable[Path], *, payments: Path | None = None,
                     since: pd.Timestamp | None = None, max_size_mb: float | None = None
                     ) -> tuple[EventLog, ExtractionReport]:
    """The event log the tables under ``paths`` describe, and the extraction report."""
    report = ExtractionReport("Dynamics 365 Sales / Dataverse")
    names = {name: spec.logical for name, spec in dv.BY_NAME.items()}
    raw, report.warnings = read_tables(
        paths, names | dict.fromkeys(PAYMENT_FILES, PAYMENTS), max_size_mb)
    among = raw.pop(PAYMENTS, None)
    if among is not None and payments is not None:
        raise PlannerError(f"Two payments files: {payments.name} (--payments) and "
                           f"{among.label} among the tables. Give the payments once.")
    _require(raw, report.warnings)
    frames: dict[str, pd.DataFrame] = {}
    forms: set[str] = set()
    for table, found in raw.items():
        spec = dv.BY_NAME[table]
        report.tables[table] = TableCount(found.label, len(found.frame))
        frame, form = normalise(found, spec, report.tables[table])
        frames[table] = frame.reset_index(drop=True).assign(
            **{KEY: frame[spec.key].map(text).values})
        forms.add(form)
    report.form = ", ".join(sorted(forms))
    times = {table: _times(frame, table, report) for table, frame in frames.items()}
    stringmap = _stringmap(frames.get("stringmap"))
    keys = _link(frames, report)
    trail = _audit(frames, times, keys, report)
    sink = EventSink(report)
    paid = _payments(frames["invoice"], payments, among, report, max_size_mb)
    _events(frames, times, trail, sink, keys, paid[0])
    _count_unused_audit(frames.get("audit"), trail, report)
    events = _event_frame(sink.rows, since, report)
    cases = with_amounts(case_attributes(frames, stringmap, events, keys["lead"]),
                         _amounts(frames["invoice"], paid[1]))
    report.cases = len(cases)
    report.lead_only_cases = int(sum(case in keys["lead"].ids for case in cases.index))
    return EventLog(events, cases, name="Dataverse extract"), report


def _require(raw: Mapping[str, object], warnings: list[str]) -> None:
    missing = [t for t in REQUIRED_TABLES if t not in raw]
    if not missing:
        return
    found = ", ".join(sorted(raw)) or "none"
    aside = (" Files not recognised: " + " ".join(warnings)) if warnings else ""
    raise PlannerError(
        f"Missing table{'s' if len(missing) > 1 else ''}: {', '.join(missing)} (found: "
        f"{found}). Export each as <table>.csv, .xlsx or Web API .json with its logical name "
        f"(e.g. {missing[0]}.csv) or its display name; a table with no rows can be a file "
        f"with the header only.{aside}")


def _times(frame: pd.DataFrame, table: str, report: ExtractionReport) -> dict[str, pd.Series]:
    """Parsed date columns (naive; Web API UTC offsets removed); unreadable ones counted."""
    parsed: dict[str, pd.Series] = {}
    for column in TIME_COLUMNS:
        if column not in frame:
            continue
        values = frame[column]
        times = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
        times = times.dt.tz_localize(None)
        bad = values.notna() & times.isna() & values.map(lambda v: bool(text(str(v))))
        if bad.any():
            report.warnings.append(
                f"table {table}: {int(bad.sum())} unreadable {column} value(s), e.g. "
                f"'{values[bad].iloc[0]}' ({frame.loc[bad, SOURCE].iloc[0]}); those steps "
                "are counted as undated.")
        parsed[column] = times
    return parsed


def _stringmap(frame: pd.DataFrame | None) -> dict[tuple[str, str, int], str]:
    """Labels of custom choice values: (table, column, value) -> label."""
    if frame is None:
        return {}
    values = pd.to_numeric(frame["attributevalue"], errors="coerce")
    return {(str(t).lower(), str(a).lower(), int(v)): str(label)
            for t, a, v, label in zip(frame["objecttypecode"], frame["attributename"], values,
                                      frame["value"], strict=True) if not pd.isna(v)}


def _link(frames: dict[str, pd.DataFrame], report: ExtractionReport) -> dict[str, Keys]:
    """Assign every record its case; count links and records without a case."""
    index = CaseIndex()
    keys = {t: Keys.of(t, f, KEY) for t, f in frames.items()}
    opportunity = frames["opportunity"]
    lead_case: dict[str, str] = {}
    for (code, name), opp, source in zip(lookup(opportunity, "originatingleadid"),
                                         opportunity[KEY], opportunity[SOURCE], strict=True):
        lead, status = keys["lead"].find(code, name)
        if status != "none":
            report.link("opportunity -> originating lead").add(
                status == "ok", f"{source}: no {status}")
        if lead is not None and opp is not None:
            lead_case.setdefault(lead, opp)
    missing_key = opportunity[KEY].isna()
    report.table("opportunity").leave_out(
        "no opportunityid", list(opportunity.loc[missing_key, SOURCE]))
    opportunity[CASE] = opportunity[KEY]
    for opp in opportunity[KEY].dropna():
        index.put("opportunity", opp, opp)
    lead = frames["lead"]
    lead[CASE] = lead[KEY].map(lambda k: lead_case.get(k, k) if isinstance(k, str) else None)
    report.table("lead").leave_out("no leadid", list(lead.loc[lead[KEY].isna(), SOURCE]))
    for key, case in zip(lead[KEY], lead[CASE], strict=True):
        if isinstance(case, str):
            index.put("lead", key, case)

    def to(table: str):
        return lambda key: index.case(table, key)

    plan = {
        "quote": [Link("opportunityid", "quote -> opportunity", keys["opportunity"],
                       to("opportunity"))],
        "salesorder": [Link("quoteid", "order -> quote", keys["quote"], to("quote")),
                       Link("opportunityid", "order -> opportunity", keys["opportunity"],
                            to("opportunity"))],
        "invoice": [Link("salesorderid", "invoice -> order", keys["salesorder"],
                         to("salesorder")),
                    Link("opportunityid", "invoice -> opportunity", keys["opportunity"],
                         to("opportunity"))],
        "opportunityclose": [Link("opportunityid", "opportunity close -> opportunity",
                                  keys["opportunity"], to("opportunity"))],
        "opportunitysalesprocess": [Link("opportunityid", "process flow -> opportunity",
                                         keys["opportunity"], to("opportunity"))],
        "leadtoopportunitysalesprocess": [
            Link("opportunityid", "process flow -> opportunity", keys["opportunity"],
                 to("opportunity")),
            Link("leadid", "process flow -> lead", keys["lead"], to("lead"))],
    }
    for table, links in plan.items():
        if table in frames:
            frames[table][CASE] = link_records(frames[table], KEY, table, report, links, index)
    return keys


def _audit(frames: dict[str, pd.DataFrame], times: dict[str, dict[str, pd.Series]],
           keys: dict[str, Keys], report: ExtractionReport) -> AuditTrail:
    if "audit" not in frames:
        report.warnings.append("No audit table: state changes are dated by their own columns "
                               "or approximated from modifiedon, and process stages only by "
                               "the stage each flow is in now.")
        return AuditTrail()
    audit = frames["audit"]

    def resolve(table: str, code: object, name: object) -> str | None:
        found = keys.get(table)
        if found is None:
            return None
        record, _ = found.find(code, name)
        return record

    known = {t for t in frames if t not in ("audit", "stringmap", "processstage")}
    trail, aside = read_trail(audit, times["audit"]["createdon"], resolve, known)
    by_reason: dict[str, list[str]] = {}
    for row, reason in aside:
        by_reason.setdefault(reason, []).append(str(audit[SOURCE].iloc[row]))
    for reason, rows in by_reason.items():
        report.table("audit").leave_out(reason, rows)
    return trail


def _events(frames: dict[str, pd.DataFrame], times: dict[str, dict[str, pd.Series]],
            trail: AuditTrail, sink: EventSink, keys: dict[str, Keys],
            paid: dict[str, Dated]) -> None:
    def rules(table: str) -> RecordEvents:
        return RecordEvents(table, frames[table], times[table], trail, sink)

    lead = rules("lead")
    lead.created("Lead Created")
    lead.changed("Lead Qualified", states=(dv.LEAD_QUALIFIED,), actions=(dv.AUDIT_QUALIFY,))
    lead_only = {case for case in frames["lead"][CASE].dropna() if case in keys["lead"].ids}
    lead.changed("Opportunity Lost", states=(dv.LEAD_DISQUALIFIED,),
                 actions=(dv.AUDIT_DISQUALIFY,), only=lead_only)
    opportunity = rules("opportunity")
    opportunity.created("Opportunity Created")
    _stage_entries(frames, times, trail, sink, keys)
    closes = _closes(frames.get("opportunityclose"), times.get("opportunityclose", {}))
    for state, activity in ((dv.OPPORTUNITY_WON, "Opportunity Won"),
                            (dv.OPPORTUNITY_LOST, "Opportunity Lost")):
        opportunity.changed(activity, states=(state,), given={
            key: dated for key, dated in _close_dates(frames["opportunity"],
                                                      times["opportunity"], closes,
                                                      state).items()})
    quote = rules("quote")
    quote.created("Quote Created")
    quote.changed("Quote Approved", states=(dv.QUOTE_ACTIVE,), actions=(dv.AUDIT_ACTIVATE,),
                  beyond=(dv.QUOTE_WON, dv.QUOTE_CLOSED))
    quote.changed("Quote Accepted", states=(dv.QUOTE_WON,), column_time="closedon")
    order = rules("salesorder")
    order.created("Sales Order Created")
    order.changed("Order Fulfilled", states=(dv.ORDER_FULFILLED, dv.ORDER_INVOICED),
                  actions=(dv.AUDIT_FULFILL,), column_time="datefulfilled")
    invoice = rules("invoice")
    invoice.created("Invoice Generated")
    invoice.changed("Invoice Sent", statuses=(dv.INVOICE_BILLED_STATUS,),
                    beyond=dv.INVOICE_PAID_STATUSES)
    invoice.changed("Payment Received", states=(dv.INVOICE_PAID,), actions=(dv.AUDIT_PAID,),
                    given=paid)


def _closes(frame: pd.DataFrame | None, times: dict[str, pd.Series]
            ) -> dict[str, tuple[pd.Timestamp, str | None]]:
    """Opportunity -> (actual end, closed by) of its latest opportunity close."""
    if frame is None:
        return {}
    closers = who(frame, "createdby")
    found: dict[str, tuple[pd.Timestamp, str | None]] = {}
    for case, time, closer in zip(frame[CASE], times["actualend"], closers, strict=True):
        if isinstance(case, str) and not pd.isna(time) and (
                case not in found or time > found[case][0]):
            found[case] = (time, closer)
    return found


def _close_dates(frame: pd.DataFrame, times: dict[str, pd.Series],
                 closes: dict[str, tuple[pd.Timestamp, str | None]], state: int
                 ) -> dict[str, Dated]:
    """Won / lost moments: the close record, else the close date (a date without time)."""
    states = codes_of(frame, "opportunity", "statecode")
    dated: dict[str, Dated] = {}
    close_dates = times.get("actualclosedate", pd.Series(pd.NaT, frame.index))
    for key, current, day in zip(frame[KEY], states, close_dates, strict=True):
        if current != state or not isinstance(key, str):
            continue
        if key in closes:
            dated[key] = Dated(*closes[key])
        elif not pd.isna(day):
            dated[key] = Dated(day, None, "from actualclosedate (a date without time)")
    return dated


def _payments(invoices: pd.DataFrame, path: Path | None, among: RawTable | None,
              report: ExtractionReport, max_size_mb: float | None
              ) -> tuple[dict[str, Dated], pd.Series]:
    """From the payments file (given on its own, or found among the tables): when each
    invoice was paid, and how much (by invoice key)."""
    if path is not None:
        payments = read_payments(path, report, max_size_mb)
    elif among is not None:
        payments = payments_of(among.frame, among.label, report)
    else:
        return {}, pd.Series(dtype=float)
    numbers = {str(n).strip(): k for n, k in zip(invoices.get("invoicenumber", []),
                                                 invoices[KEY], strict=False)
               if isinstance(n, str) and isinstance(k, str)}
    dates = paid_dates(payments, numbers, report)
    note = None if has_time_of_day(payments["paid"]) else \
        "from the payments file (a date without time)"
    return ({key: Dated(time, None, note) for key, time in dates.items()},
            paid_amounts(payments, numbers))


def _amounts(invoices: pd.DataFrame, paid: pd.Series) -> dict[str, pd.Series]:
    """Per case: the invoices' totals (``totalamount``) and the payments' amounts."""
    case_of = dict(zip(invoices[KEY], invoices[CASE], strict=True))
    totals = invoices["totalamount"] if "totalamount" in invoices else pd.Series(
        None, invoices.index, dtype=object)
    return {INVOICE_AMOUNT: per_case(invoices[CASE], totals),
            AMOUNT_PAID: per_case(pd.Series(paid.index.map(case_of)),
                                  pd.Series(paid.to_numpy()))}


def _stage_entries(frames: dict[str, pd.DataFrame], times: dict[str, dict[str, pd.Series]],
                   trail: AuditTrail, sink: EventSink, keys: dict[str, Keys]) -> None:
    """Process stages entered, from the flows' audit rows (else the stage a flow is in)."""
    stages = frames.get("processstage")
    if stages is None:
        if any(t in frames for t in BPF_TABLES):
            sink.report.warnings.append("No processstage table: process-flow stages cannot be "
                                        "named, so stage entries are left out.")
        return
    names = dict(zip(stages[KEY], stages["stagename"], strict=True))
    categories = dict(zip(stages[KEY], labels(stages, "processstage", "stagecategory", {}),
                          strict=True))
    current_only = 0
    for table in BPF_TABLES:
        if table not in frames:
            continue
        flow = frames[table]
        active = lookup(flow, "activestageid")
        for i, (instance, case) in enumerate(zip(flow[KEY], flow[CASE], strict=True)):
            if not isinstance(case, str):
                continue
            entered = [c for c in trail.of_record(table, instance) if "activestageid" in c.new]
            for change in entered:
                trail.use(change)
                stage = change.new["activestageid"]
                sink.add(case, str(names.get(stage, stage)), Dated(change.time, change.user),
                         stage=categories.get(stage))
            if entered:
                continue
            now, _ = keys["processstage"].find(*active[i])
            started = times[table].get("activestagestartedon")
            if now is not None and started is not None and not pd.isna(started[i]):
                current_only += 1
                sink.add(case, str(names.get(now, now)), Dated(started[i], None),
                         stage=categories.get(now))
    if current_only:
        sink.report.warnings.append(
            f"{current_only} process flow(s) have no audit rows: only the stage each is in "
            "now is dated (activestagestartedon); earlier stages are missing.")


def _count_unused_audit(audit: pd.DataFrame | None, trail: AuditTrail,
                        report: ExtractionReport) -> None:
    if audit is None:
        return
    placed = {c.row for changes in trail.changes.values() for c in changes}
    unused = sorted(placed - trail.used)
    report.table("audit").leave_out("a change that is no step of the process",
                                    [str(audit[SOURCE].iloc[row]) for row in unused])


def _event_frame(rows: list[dict[str, object]], since: pd.Timestamp | None,
                 report: ExtractionReport) -> pd.DataFrame:
    events = pd.DataFrame(rows, columns=["case_id", "activity", TIME, "resource", "stage",
                                         APPROXIMATED, RANK])
    events[START] = events[TIME]
    events[END] = events[TIME]
    return finish(events[COLUMNS], since, report)
