"""Checks on an Excel workbook before it is parsed: it is a zip of XML that can hide a bomb.

A 1.7 MB workbook can expand to three million rows, which the spreadsheet reader would
parse for minutes. The zip's own table of contents gives each part's expanded size (the
zip reader never yields more), and a pass over each sheet's XML counts its rows,
stopping at the first row over the limit, before anything is parsed.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from calibration import limits
from sim.errors import PlannerError

EXCEL_MAX_ROWS = 1_048_576  # a sheet Excel writes has at most this many rows
ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # <row ...> and prefixed <x:row ...>
CHUNK = 1 << 20
OVERLAP = 8  # bytes kept between chunks so a tag cut in two is still seen
SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
MAX_WORKBOOK_XML = 1 << 20  # xl/workbook.xml lists the sheets; it is small


def check_workbook(path: Path, limit_bytes: int) -> None:
    """Refuse a workbook whose parts expand beyond the size limit, or any of whose sheets
    has more rows than a real Excel sheet (or than the row limit)."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
            expanded = sum(part.file_size for part in parts)
            if expanded > limit_bytes:
                raise PlannerError(
                    f"{path}: the workbook expands to {expanded / 2**20:,.0f} MB, over the "
                    f"{limit_bytes / 2**20:,.0f} MB limit (it is {path.stat().st_size / 2**20:,.1f}"
                    " MB packed). Export fewer cases, save it as CSV, or raise the limit with "
                    "--max-size.")
            most = min(EXCEL_MAX_ROWS, limits.ROWS.value())
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    _count_rows(book, part, most, path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PlannerError(f"{path}: could not be read as an Excel workbook ({exc}).") from exc


def _count_rows(book: zipfile.ZipFile, part: zipfile.ZipInfo, most: int, path: Path) -> None:
    rows = 0
    tail = b""
    with book.open(part) as sheet:
        while chunk := sheet.read(CHUNK):
            data = tail + chunk
            cut = max(len(data) - OVERLAP, 0)  # tags from here on are counted with the next
            rows += sum(data.count(tag) - data.count(tag, cut) for tag in ROW_TAGS)
            tail = data[cut:]
            if rows > most:
                raise PlannerError(
                    f"{path}: the sheet in {part.filename} has more than {most:,} rows "
                    f"(a sheet Excel writes has at most {EXCEL_MAX_ROWS:,}). Export fewer "
                    "cases or save the data as CSV; for a larger limit set $L2C_MAX_ROWS "
                    "and use CSV or Parquet.")


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, read from its table of sheets without opening any sheet
    (a spreadsheet reader may parse every row first); [] when the file is not a workbook."""
    try:
        with zipfile.ZipFile(path) as book, book.open("xl/workbook.xml") as listing:
            text = listing.read(MAX_WORKBOOK_XML)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return []
    return [html.unescape(name.decode("utf-8", "replace")) for name in SHEET_NAME.findall(text)]
