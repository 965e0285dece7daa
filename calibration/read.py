"""Read any supported export into the canonical event log plus a validation report.

This is the one entry point for files: it never raises for a bad file (the problems go in
the report, and ``log`` is None when they stop the import), never changes the caller's
data, and never drops a row without counting it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import pandas as pd

from calibration import limits, sources, values
from calibration.canonical import build_events, split_attributes
from calibration.lifecycle import SOURCE_ROW
from calibration.mapping import check_required, detect_roles
from calibration.parquet_check import check_parquet
from calibration.report import ValidationReport
from calibration.validate import MIN_ACTIVITY_COUNT, check_events
from calibration.xes import read_xes
from calibration.xlsx_check import check_workbook
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, STAGE, START, EventLog
from sim.log_meta import LogMeta


@dataclass
class ReadResult:
    """What reading a file gave: the log (None if it could not be imported) and the report."""

    path: Path
    log: EventLog | None
    report: ValidationReport
    mapping: dict[str, str] = field(default_factory=dict)
    fmt: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    columns: list[str] = field(default_factory=list)  # the file's headers, as read

    def require_log(self) -> EventLog:
        """The log, or a PlannerError carrying every error of the report."""
        if self.log is None:
            raise PlannerError(f"{self.path}: the file cannot be used:\n- "
                               + "\n- ".join(self.report.errors))
        return self.log


class ReadOptions(TypedDict, total=False):
    """``read_log``'s options, for callers that hand them on (the app reads uploads in a
    process of its own)."""

    mapping: Mapping[str, str] | None
    sheet: str | None
    date_format: str | None
    max_size_mb: float | None
    min_activity_count: int


def load_raw(path: Path, sheet: str | None = None, max_size_mb: float | None = None
             ) -> sources.RawTable:
    """Open the file with the reader of its format, after the size check."""
    sources.check_size(path, sources.max_bytes(max_size_mb))
    fmt = sources.detect_format(path)
    if fmt == "csv":
        return sources.read_csv(path)
    if fmt == "xlsx":
        check_workbook(path, sources.max_bytes(max_size_mb))
        raw = sources.read_excel(path, sheet)
    elif fmt == "parquet":
        check_parquet(path, sources.max_bytes(max_size_mb))
        raw = sources.read_parquet(path)
    else:
        raw = read_xes(path)
    limits.check_rows(len(raw.frame), str(path))
    limits.check_cells(raw.frame, raw.first_row, str(path))
    return raw


def read_log(path: str | Path, *, mapping: Mapping[str, str] | None = None,
             sheet: str | None = None, date_format: str | None = None,
             max_size_mb: float | None = None,
             min_activity_count: int = MIN_ACTIVITY_COUNT) -> ReadResult:
    """Read, map, parse and validate one event-log file."""
    path = Path(path)
    report = ValidationReport()
    result = ReadResult(path, None, report)
    try:
        raw = load_raw(path, sheet, max_size_mb)
        result.fmt, result.encoding, result.delimiter = raw.fmt, raw.encoding, raw.delimiter
        result.rows = len(raw.frame)
        if raw.frame.empty:
            report.error("empty_file", f"{path.name}: the file has column headers but no rows. "
                                       "Export the event log again with its data.")
            return result
        limits.check_headers(raw.frame.columns, str(path))
        columns = result.columns = [str(c) for c in raw.frame.columns]
        result.mapping = detect_roles(columns, mapping)
        limits.check_names(raw.frame.set_axis(columns, axis=1), result.mapping, raw.first_row,
                           str(path))
    except PlannerError as exc:
        report.error("unreadable", str(exc))
        return result
    check_required(result.mapping, columns, report)
    if not report.ok:
        return result
    frame = raw.frame.set_axis(columns, axis=1)
    flat, zone = build_events(frame, result.mapping, report, raw.first_row, date_format)
    if not report.ok:
        return result
    if flat.empty:
        report.error("no_events", f"{path.name}: no row has a case id, an activity and a "
                                  "timestamp, so there is nothing to analyse.")
        return result
    events, cases = split_attributes(flat, result.mapping, report)
    events = check_events(_text_columns(events), report, min_activity_count)
    events = events.sort_values([CASE_ID, START, END, SOURCE_ROW], kind="stable")
    cases = cases.loc[events[CASE_ID].unique()]
    result.log = EventLog(events.reset_index(drop=True), cases, name=path.name, timezone=zone,
                          meta=LogMeta(source_path=str(path.resolve()), file_format=raw.fmt))
    return result


def _text_columns(events: pd.DataFrame) -> pd.DataFrame:
    """Known text roles as clean text; other attribute columns typed by their values."""
    events = events.copy()
    for column in events.columns:
        if column in (RESOURCE, STAGE):
            events[column] = values.as_text(events[column])
        elif column not in (CASE_ID, ACTIVITY, START, END, SOURCE_ROW):
            events[column] = values.auto_type(events[column])
    return events
