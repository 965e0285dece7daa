"""Which case each Dataverse record belongs to, following the links between records.

A case is an opportunity (its originating lead, quotes, orders, invoices, close records and
process-flow records join it), or a lead that never became one. Links are lookups: a GUID
in logical-name and Web API exports, the related record's name in "Export to Excel" files,
so both are resolved. Every link that points at a record missing from the export is counted
in the report, with examples, and the record it leaves without a case is counted as left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from calibration.extract.dataverse_columns import NAME
from calibration.extract.report import ExtractionReport
from calibration.extract.tables import SOURCE

# The column that names a record of each table (its primary name attribute).
PRIMARY_NAME = {"lead": "fullname", "opportunity": "name", "quote": "name", "salesorder": "name",
                "invoice": "name", "processstage": "stagename", "opportunitysalesprocess": "name",
                "leadtoopportunitysalesprocess": "name"}


@dataclass
class Keys:
    """The records of one table, found by key (GUID) or by their unique name."""

    table: str
    ids: set[str]
    by_name: dict[str, str]
    ambiguous: set[str]

    @classmethod
    def of(cls, table: str, frame: pd.DataFrame, key: str) -> Keys:
        ids = {str(k) for k in frame[key].dropna()} if key in frame else set()
        by_name: dict[str, str] = {}
        ambiguous: set[str] = set()
        name = PRIMARY_NAME.get(table)
        if name in frame and key in frame:
            for value, record in zip(frame[name], frame[key], strict=True):
                if not isinstance(value, str) or pd.isna(record):
                    continue
                if value in by_name and by_name[value] != str(record):
                    ambiguous.add(value)
                by_name[value] = str(record)
        return cls(table, ids, by_name, ambiguous)

    def find(self, code: object, name: object) -> tuple[str | None, str]:
        """(key, status): status is "ok", "none" (no link given) or why the link broke."""
        if isinstance(code, str) and code.strip():
            code = code.strip()
            return (code, "ok") if code in self.ids else (None, f"{self.table} {code}")
        if isinstance(name, str) and name.strip():
            name = name.strip()
            if name in self.ambiguous:
                return None, f"{self.table} named '{name}' (several records have that name)"
            found = self.by_name.get(name)
            return (found, "ok") if found else (None, f"{self.table} named '{name}'")
        return None, "none"


def lookup(frame: pd.DataFrame, column: str) -> list[tuple[object, object]]:
    """(GUID, name) pairs of a lookup column, whichever of the two the export has."""
    codes = frame[column] if column in frame else pd.Series(None, frame.index)
    names = frame[column + NAME] if column + NAME in frame else pd.Series(None, frame.index)
    return list(zip(codes, names, strict=True))


@dataclass
class CaseIndex:
    """Record key -> case id, per table, built while the links are resolved."""

    cases: dict[str, dict[str, str]] = field(default_factory=dict)

    def put(self, table: str, key: str, case: str) -> None:
        self.cases.setdefault(table, {})[key] = case

    def case(self, table: str, key: str | None) -> str | None:
        return None if key is None else self.cases.get(table, {}).get(key)


@dataclass(frozen=True)
class Link:
    """A lookup column leading to another table's records, and from them to a case."""

    column: str
    name: str  # as the report names it, e.g. "order -> quote"
    keys: Keys
    to_case: Callable[[str], str | None]


def link_records(frame: pd.DataFrame, key: str, table: str, report: ExtractionReport,
                 links: list[Link], index: CaseIndex) -> pd.Series:
    """Give every record the case its first resolvable link leads to.

    ``links`` are in order of preference; every link given is counted (resolved or broken),
    and a record none of whose links leads to a case is counted as left out.
    """
    pairs = {link.column: lookup(frame, link.column) for link in links}
    cases: list[str | None] = []
    unplaced: list[str] = []
    for position, (record, source) in enumerate(zip(frame[key], frame[SOURCE], strict=True)):
        found: str | None = None
        for link in links:
            target, status = link.keys.find(*pairs[link.column][position])
            if status == "none":
                continue
            report.link(link.name).add(status == "ok", f"{source}: no {status}")
            if found is None and target is not None:
                found = link.to_case(target)
        if found is None:
            unplaced.append(f"{source} ({key} {record})")
        else:
            index.put(table, str(record), found)
        cases.append(found)
    report.table(table).leave_out("no link to a case in the export", unplaced)
    return pd.Series(cases, frame.index, dtype=object)
