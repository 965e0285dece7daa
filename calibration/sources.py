"""Opening an untrusted file: size limits, format, text encoding and CSV delimiter.

A process owner's export is untrusted and sometimes huge. This module refuses oversized
files before reading them whole, recognises the format from the name and the first bytes,
detects the encoding (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM, cp932/Shift_JIS as
Japanese Excel writes it, cp1252 as a last resort) and sniffs the CSV delimiter, and returns
one raw table of strings.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from calibration import limits
from sim.errors import PlannerError, did_you_mean

DEFAULT_MAX_MB = 1024.0
MAX_MB_ENV = "L2C_MAX_FILE_MB"
SNIFF_BYTES = 1 << 20
SCAN_CHUNK = 1 << 20
FORMATS = ("csv", "xlsx", "xes", "parquet")
# Cell values that mean "empty". "NA" is deliberately absent: it is a region (North America).
NULL_STRINGS = ["", "NULL", "null", "NaN", "nan", "None", "#N/A", "N/A", "n/a"]
# Encodings tried in order; the first that decodes the sample wins.
ENCODINGS = ("utf-8", "cp932", "cp1252")
UTF16_ZERO_SHARE = 0.4  # share of zero bytes in one byte position that means UTF-16


@dataclass(frozen=True)
class RawTable:
    """The file's cells before any interpretation, plus how they were read."""

    frame: pd.DataFrame
    fmt: str
    encoding: str | None = None
    delimiter: str | None = None
    first_row: int = 2  # file line of the first data row (header = line 1)


def max_bytes(limit_mb: float | None = None) -> int:
    """The size limit in bytes: the argument, else $L2C_MAX_FILE_MB, else 1 GiB."""
    if limit_mb is None:
        limit_mb = float(os.environ.get(MAX_MB_ENV, DEFAULT_MAX_MB))
    return int(limit_mb * 1024 * 1024)


def check_size(path: Path, limit: int) -> None:
    """Refuse a file (or the content of a .gz) larger than the limit, before reading it."""
    if not path.exists():
        raise PlannerError(f"{path}: no such file. Check the path and try again.")
    if not path.is_file():
        raise PlannerError(f"{path}: is not a file.")
    size = path.stat().st_size
    if size == 0:
        raise PlannerError(f"{path}: the file is empty (0 bytes). Export the event log again.")
    if size > limit:
        raise PlannerError(
            f"{path}: the file is {size / 2**20:.0f} MB, over the {limit / 2**20:.0f} MB limit. "
            f"Filter the export to fewer cases or raise the limit with --max-size "
            f"(or ${MAX_MB_ENV})."
        )
    if path.name.lower().endswith(".gz"):
        _check_gzip_size(path, limit)


def _check_gzip_size(path: Path, limit: int) -> None:
    """Decompress in chunks and stop at the limit: a tiny .gz can hide gigabytes."""
    total = 0
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(SNIFF_BYTES):
                total += len(chunk)
                if total > limit:
                    raise PlannerError(
                        f"{path}: decompressed, the file is over the {limit / 2**20:.0f} MB "
                        f"limit. Filter the export or raise the limit with --max-size."
                    )
    except (OSError, EOFError) as exc:
        raise PlannerError(f"{path}: is not a valid gzip file ({exc}).") from exc


def detect_format(path: Path) -> str:
    """Recognise the format from the suffix, then from the first bytes."""
    name = path.name.lower().removesuffix(".gz")
    for fmt, suffixes in (("csv", (".csv", ".txt", ".tsv")), ("xlsx", (".xlsx", ".xlsm")),
                          ("xes", (".xes", ".xml")), ("parquet", (".parquet", ".pq"))):
        if name.endswith(suffixes):
            return fmt
    head = _head(path, 512)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK"):
        return "xlsx"
    if b"<log" in head or head.lstrip().startswith(b"<?xml"):
        return "xes"
    if name.endswith(".xls"):
        raise PlannerError(f"{path}: old Excel .xls files are not supported. "
                           "Open it in Excel and save it as .xlsx or .csv.")
    return "csv"


def _head(path: Path, n: int) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as stream:
        return stream.read(n)


def detect_encoding(sample: bytes) -> str:
    """Pick the first encoding that decodes the sample (a cut multi-byte tail is fine)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    without_bom = _utf16_order(sample)
    if without_bom is not None:
        return without_bom
    for encoding in ENCODINGS:
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _utf16_order(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark, as some exports write it: text in Latin letters
    then has a zero byte in every other place (odd places little-endian, even big)."""
    head = sample[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    zeros_even = head[0::2].count(0) / pairs
    zeros_odd = head[1::2].count(0) / pairs
    if zeros_odd > UTF16_ZERO_SHARE and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > UTF16_ZERO_SHARE and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter from the first lines; Excel in many locales writes ';'."""
    lines = text.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        return max(",;\t|", key=header.count)


def read_csv(path: Path) -> RawTable:
    """Read every cell as text; interpretation (timestamps, numbers) happens later."""
    sample = _head(path, SNIFF_BYTES)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="ignore")
    if not text.strip():
        raise PlannerError(f"{path}: the file has no content. Export the event log again.")
    delimiter = sniff_delimiter(text)
    with text_stream(path) as stream:
        scan = limits.scan_rows(iter(lambda: stream.read(SCAN_CHUNK), b""), str(path))
    try:
        frame = pd.read_csv(path, sep=delimiter, dtype=str, encoding=encoding,
                            keep_default_na=False, na_values=NULL_STRINGS,
                            skipinitialspace=True, engine="c")
    except pd.errors.EmptyDataError as exc:
        raise PlannerError(f"{path}: the file has no header row and no data.") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise PlannerError(f"{path}: could not be read as CSV ({_first_line(exc)}). "
                           "Check that every row has the same number of columns.") from exc
    if scan.longest > limits.CELL_CHARS.value():
        limits.check_cells(frame, 2, str(path))
    return RawTable(frame, "csv", encoding=encoding, delimiter=delimiter)


def read_excel(path: Path, sheet: str | None = None) -> RawTable:
    """First sheet, or the named one; cells keep Excel's own types (dates stay dates)."""
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = [str(n) for n in book.sheet_names]
            if sheet is not None and sheet not in names:
                raise PlannerError(f"{path}: no sheet named '{sheet}'.{did_you_mean(sheet, names)}"
                                   f" Sheets in the file: {', '.join(names)}.")
            frame = book.parse(sheet if sheet is not None else 0, dtype=object,
                               keep_default_na=False, na_values=NULL_STRINGS)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise PlannerError(f"{path}: could not be read as an Excel workbook "
                           f"({_first_line(exc)}).") from exc
    return RawTable(frame, "xlsx")


def read_parquet(path: Path) -> RawTable:
    """Parquet keeps its types; row numbers are record numbers (first = 1)."""
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise PlannerError(f"{path}: could not be read as Parquet ({_first_line(exc)}).") from exc
    return RawTable(frame, "parquet", first_row=1)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def text_stream(path: Path) -> io.BufferedIOBase:
    """Binary stream of the (decompressed) file."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def fingerprint(*paths: Path) -> str:
    """SHA-256 over the bytes of the files, in order, so the model can be traced to both."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()
