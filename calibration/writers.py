"""Writing an event log back to disk in the canonical schema.

A log the planner has read (or simulated) is saved as CSV, Excel, Parquet or XES so that the
planner and any process-mining tool can open it again. Every format is built in memory first
and then written once: a failure never leaves half a file behind, and the same log always
gives the same bytes for CSV and XES (gzip without a timestamp). Text meant for spreadsheets
is defused against formula injection, and the file the log was read from is never overwritten.
"""

from __future__ import annotations

import gzip
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.errors import PlannerError, did_you_mean
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog

if TYPE_CHECKING:
    from openpyxl import Workbook
    from pm4py.objects.log.obj import Event, Trace

SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx", ".parquet", ".xes", ".xes.gz")
SHEET_NAME = "Event log"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
EXCEL_TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"
EXCEL_MAX_ROWS = 1_048_576
# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP CSV injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_XES_EXTENSIONS = ("Concept", "Time", "Organizational", "Lifecycle")
_MAX_COLUMN_WIDTH = 60


def write_log(log: EventLog, path: str | Path, *, lifecycle: bool = True) -> Path:
    """Write ``log`` in the format its suffix names; ``lifecycle`` only matters for XES."""
    target = Path(path)
    suffix = file_suffix(target)
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise PlannerError(
            f"{target}: cannot write an event log with {shown}; use one of "
            f"{', '.join(SUPPORTED_SUFFIXES)}.{did_you_mean(suffix, SUPPORTED_SUFFIXES)}"
        )
    _refuse_source(log, target)
    data = _encode(log, suffix.removesuffix(".gz"), lifecycle)
    if suffix.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    return save_bytes(target, data)


def file_suffix(path: Path) -> str:
    """The format suffix in lower case, with ``.gz`` kept together with the one before it."""
    suffixes = [s.lower() for s in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz":
        return "".join(suffixes[-2:])
    return suffixes[-1] if suffixes else ""


def save_bytes(path: Path, data: bytes) -> Path:
    """Create ``path`` with ``data``, turning file-system problems into plain-word errors."""
    if not path.parent.is_dir():
        raise PlannerError(f"{path}: the folder '{path.parent}' does not exist; "
                           "create it first or choose another output path.")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise PlannerError(f"{path}: cannot write the file ({exc.strerror}); "
                           "check that it is not open in another program and that the folder "
                           "is writable.") from exc
    return path


def _refuse_source(log: EventLog, target: Path) -> None:
    """The user's input file is their evidence: a converted copy must never replace it."""
    if log.meta.source_path is None:
        return
    source_path = Path(log.meta.source_path)
    same = target.resolve() == source_path.resolve() or (
        target.exists() and source_path.exists() and target.samefile(source_path))
    if same:
        stem = target.name[: -len(file_suffix(target))] or target.name
        alternative = target.with_name(f"{stem}_canonical{file_suffix(target)}")
        raise PlannerError(
            f"{target}: this is the file the log was read from and it will not be overwritten; "
            f"choose another output path, e.g. '{alternative}'."
        )


def _encode(log: EventLog, kind: str, lifecycle: bool) -> bytes:
    if kind == ".xes":
        return xes_bytes(log, lifecycle=lifecycle)
    flat = log.flat()
    if kind == ".csv":
        return csv_bytes(flat)
    if kind == ".xlsx":
        return xlsx_bytes({SHEET_NAME: flat})
    buffer = BytesIO()
    flat.to_parquet(buffer, index=False)
    return buffer.getvalue()


# --- spreadsheets: CSV and Excel -------------------------------------------------------------

def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` where text that a spreadsheet would run as a formula starts with ``'``.

    Only text cells (and header names) change; numbers, timestamps and missing values don't.
    """
    out = df.copy()
    for column in out.columns:
        if _is_text_column(out[column]):
            out[column] = out[column].astype(object).map(_neutralise_cell)
    out.columns = [_neutralise_cell(c) for c in out.columns]
    return out


def _is_text_column(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series)
                or pd.api.types.is_timedelta64_dtype(series))


def _neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_bytes(table: pd.DataFrame, *, bom: bool = False) -> bytes:
    """UTF-8 CSV with timestamps to the second; ``bom`` helps Excel read non-ASCII text."""
    text = neutralise_formulas(table)
    for column in text.columns:
        if pd.api.types.is_datetime64_any_dtype(text[column]):
            text[column] = text[column].dt.strftime(TIMESTAMP_FORMAT)
    encoding = "utf-8-sig" if bom else "utf-8"
    return text.to_csv(index=False, lineterminator="\n").encode(encoding)


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one formatted sheet per table, in the order given."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets.items():
        _add_sheet(workbook, title, table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_sheet(workbook: Workbook, title: str, table: pd.DataFrame) -> None:
    """Real Excel dates and numbers, bold frozen header, widths that fit the content."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if len(table) + 1 > EXCEL_MAX_ROWS:
        raise PlannerError(f"sheet '{title}': {len(table)} rows do not fit in an Excel sheet "
                           f"({EXCEL_MAX_ROWS - 1} at most); write .csv or .parquet instead.")
    safe = neutralise_formulas(table)
    dates = [i for i, c in enumerate(safe.columns, start=1)
             if pd.api.types.is_datetime64_any_dtype(safe[c])]
    for index in dates:
        safe.isetitem(index - 1, safe.iloc[:, index - 1].dt.floor("s"))
    sheet = workbook.create_sheet(title)
    sheet.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_plain(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index in dates:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = EXCEL_TIMESTAMP_FORMAT
    for index, column in enumerate(safe.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(safe, column)


def _plain(value: object) -> object:
    """openpyxl and pm4py want plain Python values: None for missing, no numpy scalars."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.floor("us").to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _column_width(table: pd.DataFrame, column: object) -> float:
    if pd.api.types.is_datetime64_any_dtype(table[column]):
        values = [EXCEL_TIMESTAMP_FORMAT]
    else:
        values = [str(v) for v in table[column].head(200).dropna()]
    widest = max([_display_width(str(column)), *map(_display_width, values)])
    return float(min(widest + 2, _MAX_COLUMN_WIDTH))


def _display_width(text: str) -> int:
    """Japanese (wide) characters take two columns in a spreadsheet."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- XES ------------------------------------------------------------------------------------

def xes_bytes(log: EventLog, *, lifecycle: bool = True) -> bytes:
    """XES through pm4py's line-by-line exporter, which keeps our event order and types.

    ``pm4py.write_xes`` is not used: it switches to an optional Rust backend when installed
    (different output) and gzips with the current time (not reproducible).
    """
    from pm4py.objects.log.exporter.xes import exporter
    from pm4py.objects.log.exporter.xes.variants import line_by_line
    from pm4py.objects.log.obj import EventLog as XesLog
    from pm4py.objects.log.obj import XESExtension

    extensions = {e.name: {"prefix": e.prefix, "uri": e.uri}
                  for e in XESExtension if e.name in _XES_EXTENSIONS}
    xes_log = XesLog(_xes_traces(log, lifecycle), attributes={"concept:name": log.name},
                     extensions=extensions)
    return exporter.serialize(xes_log, variant=exporter.Variants.LINE_BY_LINE,
                              parameters={line_by_line.Parameters.SHOW_PROGRESS_BAR: False})


def _xes_traces(log: EventLog, lifecycle: bool) -> list[Trace]:
    from pm4py.objects.log.obj import Trace

    attributes = log.cases.drop(columns=[c for c in log.cases.columns
                                         if c in log.events.columns])
    traces = []
    for case_id, events in log.events.groupby(CASE_ID, sort=False):
        trace_attributes: dict[str, object] = {"concept:name": str(case_id)}
        if case_id in attributes.index:
            trace_attributes |= _present(attributes.loc[case_id].to_dict())
        trace = Trace(attributes=trace_attributes)
        for _key, event in sorted(_xes_events(events, lifecycle), key=lambda pair: pair[0]):
            trace.append(event)
        traces.append(trace)
    return traces


def _xes_events(events: pd.DataFrame, lifecycle: bool) -> list[tuple[tuple, Event]]:
    """(sort key, event) pairs: by time, a completion before a start at the same moment."""
    from pm4py.objects.log.obj import Event

    pairs = []
    for order, row in enumerate(events.to_dict("records")):
        start = row[START]
        end = row[END] if pd.notna(row[END]) else start
        base: dict[str, object] = {"concept:name": str(row[ACTIVITY])}
        base |= _present({"org:resource": row.get(RESOURCE)})
        base |= _present({k: v for k, v in row.items()
                          if k not in (CASE_ID, ACTIVITY, START, END, RESOURCE)})
        if lifecycle and start != end:
            pairs.append(((start, 1, order), Event(base | _when(start, "start"))))
        pairs.append(((end, 0, order), Event(base | _when(end, "complete"))))
    return pairs


def _when(moment: pd.Timestamp, transition: str) -> dict[str, object]:
    return {"time:timestamp": _plain(moment), "lifecycle:transition": transition}


def _present(values: dict[object, object]) -> dict[str, object]:
    """XES has no missing values: those attributes are left out."""
    plain = {str(k): _plain(v) for k, v in values.items()}
    return {k: v for k, v in plain.items() if v is not None}
