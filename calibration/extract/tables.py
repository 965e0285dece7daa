"""Finding and reading a CRM's tables: folders, zips or files; CSV, Excel or Web API JSON.

An export arrives as a folder of files, a zip of them, or a few files named on the command
line, one file (or several pages) per table. Which table a file holds is read from the Web
API's ``@odata.context`` or from the file name (logical name, entity set name or display
name, with page numbers such as ``quotes_2`` allowed). Every table comes back in one shape:
text cells, the file and row each record came from (``_source``), and the export's own
headers, so the CRM-specific modules decide what the columns mean.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from calibration import sources
from sim.errors import PlannerError, did_you_mean

SOURCE = "_source"  # "file:row" of every record, for messages and the report
TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".xlsx", ".json")
PAGE_SUFFIX = re.compile(r"([ _-]*(page)?[ _-]*\(?\d+\)?)$", re.IGNORECASE)
ODATA_CONTEXT = re.compile(r"\$metadata#([A-Za-z0-9_]+)")


@dataclass
class RawTable:
    """One table's records as read, before its columns are interpreted."""

    name: str
    frame: pd.DataFrame
    files: list[str] = field(default_factory=list)
    webapi: bool = False

    @property
    def label(self) -> str:
        return ", ".join(self.files)


def read_tables(paths: Iterable[Path], names: Mapping[str, str],
                max_size_mb: float | None = None) -> tuple[dict[str, RawTable], list[str]]:
    """Every known table found under ``paths``, plus warnings about files not used.

    ``names`` maps each accepted file name (lower case) to the table's own name.
    """
    tables: dict[str, RawTable] = {}
    warnings: list[str] = []
    with _expanded(list(paths), max_size_mb) as files:
        if not files:
            raise PlannerError("No table files found: give a folder, a zip or files ending in "
                               f"{', '.join(TABLE_SUFFIXES)}.")
        for path, shown in files:
            frame, context = _read_file(path, shown, max_size_mb)
            table = _table_name(path, context, names)
            if table is None:
                stem = _stem(path)
                warnings.append(f"{shown}: not a table the extraction reads, left aside."
                                f"{did_you_mean(stem, names)}")
                continue
            frame = frame.assign(**{SOURCE: [f"{shown}:{row}" for row in _row_numbers(
                frame, path)]})
            if table in tables:
                known = tables[table]
                known.frame = pd.concat([known.frame, frame], ignore_index=True)
                known.files.append(shown)
            else:
                tables[table] = RawTable(table, frame, [shown], webapi=context is not None)
    return tables, warnings


@contextmanager
def _expanded(paths: list[Path], max_size_mb: float | None) -> Iterator[list[tuple[Path, str]]]:
    """Table files under the given paths, zips unpacked into a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="l2c-extract-") as scratch:
        found: list[tuple[Path, str]] = []
        for path in paths:
            if not path.exists():
                raise PlannerError(f"{path}: no such file or folder.")
            if path.is_dir():
                found.extend((p, str(p.relative_to(path))) for p in sorted(path.rglob("*"))
                             if p.is_file() and _is_table_file(p))
            elif zipfile.is_zipfile(path):
                found.extend(_unzip(path, Path(scratch) / f"{len(found)}", max_size_mb))
            else:
                found.append((path, path.name))
        yield found


def _unzip(path: Path, target: Path, max_size_mb: float | None) -> list[tuple[Path, str]]:
    """Unpack only table files, by base name, after checking their expanded size."""
    limit = sources.max_bytes(max_size_mb)
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.infolist()
                   if not m.is_dir() and _is_table_file(Path(m.filename))]
        if sum(m.file_size for m in members) > limit:
            raise PlannerError(f"{path}: the tables in the zip expand to more than "
                               f"{limit / 2**20:.0f} MB; raise --max-size to read them.")
        target.mkdir(parents=True)
        unpacked = []
        for number, member in enumerate(members):
            name = Path(member.filename).name
            destination = target / f"{number}" / name
            destination.parent.mkdir()
            destination.write_bytes(archive.read(member))
            unpacked.append((destination, f"{path.name}/{member.filename}"))
        return unpacked


def _is_table_file(path: Path) -> bool:
    return path.name.lower().endswith(TABLE_SUFFIXES) and not path.name.startswith(".")


def _read_file(path: Path, shown: str, max_size_mb: float | None
               ) -> tuple[pd.DataFrame, str | None]:
    """The file's records as text cells, and the Web API context of a JSON page."""
    sources.check_size(path, sources.max_bytes(max_size_mb))
    if path.name.lower().endswith(".json"):
        return _read_json(path, shown)
    try:
        raw = sources.read_excel(path) if path.suffix.lower() == ".xlsx" else \
            sources.read_csv(path)
    except PlannerError as exc:
        raise PlannerError(str(exc).replace(str(path), shown)) from exc
    frame = raw.frame
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, None


def _read_json(path: Path, shown: str) -> tuple[pd.DataFrame, str | None]:
    """A REST page: Dataverse's ``{"@odata.context": ..., "value": [records]}`` or Oracle's
    ``{"items": [records], "hasMore": ...}``; the context is None for Oracle's."""
    try:
        page = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlannerError(f"{shown}: not a Web API JSON page ({exc}).") from exc
    found = [key for key in ("value", "items")
             if isinstance(page, dict) and isinstance(page.get(key), list)]
    if not found:
        raise PlannerError(f"{shown}: a REST page holds its records in a 'value' list "
                           "(Dataverse Web API) or an 'items' list (Oracle REST); this file "
                           "has neither. Save each response page as it comes.")
    records = [r for r in page[found[0]] if isinstance(r, dict)]
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None)
    if found[0] == "items":
        frame = frame.drop(columns=[c for c in ("links",) if c in frame])
        return frame, None
    return frame, str(page.get("@odata.context", ""))


def _row_numbers(frame: pd.DataFrame, path: Path) -> range:
    """File rows (header = 1) for tables, record numbers for JSON pages."""
    first = 1 if path.name.lower().endswith(".json") else 2
    return range(first, first + len(frame))


def _stem(path: Path) -> str:
    name = path.name
    for suffix in sorted(TABLE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip()


def _table_name(path: Path, context: str | None, names: Mapping[str, str]) -> str | None:
    """The table a file holds: from the Web API context, else from the file name."""
    if context:
        match = ODATA_CONTEXT.search(context)
        if match and match.group(1).lower() in names:
            return names[match.group(1).lower()]
    stem = _stem(path).lower()
    for candidate in (stem, PAGE_SUFFIX.sub("", stem)):
        if candidate in names:
            return names[candidate]
    return None
