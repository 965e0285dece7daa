"""Limits on what one file may hold, checked before parsing where that is possible.

The size limit alone does not bound a read: one 50 MB cell in a CSV of normal size took
minutes and gigabytes, and was printed whole to the terminal. So the rows of a CSV are
measured and counted in a fast pass over its bytes before it is parsed, and cells and names
are measured right after; each refusal names the line or the row and column. The
limits lie far beyond real exports and can be raised with environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import PlannerError, shorten
from sim.eventlog import ACTIVITY, CASE_ID, RESOURCE


@dataclass(frozen=True)
class Limit:
    """One limit: its default and the environment variable that raises it."""

    env: str
    default: int
    what: str

    def value(self) -> int:
        """The limit in force: the variable when it holds a positive whole number."""
        text = os.environ.get(self.env, "").strip()
        if not text:
            return self.default
        if not text.isdigit() or int(text) < 1:
            raise PlannerError(f"${self.env} must be a whole number above 0 (got "
                               f"'{shorten(text, 20)}'); it sets {self.what}.")
        return int(text)

    def raise_hint(self) -> str:
        return f"raise the limit with ${self.env} if the file is right"


LINE_KB = Limit("L2C_MAX_LINE_KB", 1024, "the longest row of a CSV file, in KB")
CELL_CHARS = Limit("L2C_MAX_CELL_CHARS", 32_767, "the longest cell, in characters")
NAME_CHARS = Limit("L2C_MAX_NAME_CHARS", 200, "the longest case id, activity, resource and "
                                              "column name, in characters")
# about 1 GB of memory per million rows read: the default keeps a read near 2 GB
ROWS = Limit("L2C_MAX_ROWS", 2_000_000, "the most rows a file may have")
NAME_ROLES = (CASE_ID, ACTIVITY, RESOURCE)
NEWLINE, QUOTE = ord("\n"), ord('"')


@dataclass(frozen=True)
class LineScan:
    """What the pass over a CSV's bytes found: its rows and the longest one."""

    rows: int
    longest: int


def scan_rows(stream: Iterable[bytes], name: str) -> LineScan:
    """Count the rows (line ends outside double quotes, so a quoted cell over many lines
    is one row) and refuse the file at the first row over the limit, or once it has more
    rows than allowed; memory stays at one chunk."""
    limit = LINE_KB.value() * 1024
    rows, current, longest, quotes = 0, 0, 0, 0
    for chunk in stream:
        data = np.frombuffer(chunk, dtype=np.uint8)
        ends = np.flatnonzero(data == NEWLINE)
        quoted = np.flatnonzero(data == QUOTE)
        if quoted.size or quotes:  # keep the line ends with an even number of quotes before
            ends = ends[(np.searchsorted(quoted, ends) + quotes) % 2 == 0]
            quotes = (quotes + quoted.size) % 2
        if ends.size:
            lengths = np.diff(ends, prepend=-1)
            lengths[0] += current
            over = np.flatnonzero(lengths > limit)
            if over.size:
                _too_long(name, rows + int(over[0]) + 1, limit)
            longest = max(longest, int(lengths.max()))
            rows += int(ends.size)
            current = len(chunk) - int(ends[-1]) - 1
        else:
            current += len(chunk)
        if current > limit:
            _too_long(name, rows + 1, limit)
        check_rows(rows, name)
    return LineScan(rows + (current > 0), max(longest, current))


def _too_long(name: str, row: int, limit: int) -> None:
    raise PlannerError(f"{name}: row {row:,} (the header is row 1) is longer than "
                       f"{limit // 1024:,} KB: a cell that large is not an event, or a quote "
                       f"is never closed. Check the export, or {LINE_KB.raise_hint()}.")


def check_rows(count: int, name: str) -> None:
    """Refuse a table with more rows than allowed (before it is parsed, where possible)."""
    limit = ROWS.value()
    if count > limit:
        raise PlannerError(f"{name}: the file has more than {limit:,} rows. Filter the "
                           f"export to fewer cases, or {ROWS.raise_hint()}.")


def check_cells(frame: pd.DataFrame, first_row: int, name: str,
                columns: Iterable[str] | None = None, limit: Limit = CELL_CHARS) -> None:
    """Refuse the first cell (in ``columns``, default all) longer than the limit, naming
    its row and column."""
    most = limit.value()
    for column in columns if columns is not None else frame.columns:
        values = frame[column]
        if values.dtype != object:
            continue
        too_long = (values.astype("string").str.len() > most).fillna(False).to_numpy(bool)
        if not too_long.any():
            continue
        at = int(np.argmax(too_long))
        raise PlannerError(f"{name}: row {first_row + at:,}, column '{shorten(column)}': a "
                           f"value of {len(str(values.iloc[at])):,} characters "
                           f"('{shorten(str(values.iloc[at]), 40)}'), over the limit of {most:,} "
                           f"({limit.what}). Correct the cell, or {limit.raise_hint()}.")


def check_headers(columns: Iterable[object], name: str) -> None:
    """Column names appear in every report: hold them to the name limit."""
    most = NAME_CHARS.value()
    for position, header in enumerate(columns):
        if len(str(header)) > most:
            raise PlannerError(f"{name}: the name of column {position + 1} has "
                               f"{len(str(header)):,} characters ('{shorten(str(header))}'), "
                               f"over the limit of {most}. Check the header row, or "
                               f"{NAME_CHARS.raise_hint()}.")


def check_names(frame: pd.DataFrame, mapping: dict[str, str], first_row: int,
                name: str) -> None:
    """Case ids, activity and resource names are shown everywhere: hold them short."""
    columns = [mapping[role] for role in NAME_ROLES if mapping.get(role) in frame.columns]
    check_cells(frame, first_row, name, columns, NAME_CHARS)
