"""The audit history: when a record changed state or stage, and who changed it.

Dataverse keeps no column for "qualified on" or "activated on"; the moment a lead was
qualified, a quote activated or a process stage entered is in the audit table. A row is
found by its record and by its ``action`` (Qualify, Activate, Fulfill, Paid, ...) or by the
new value of a column in ``changedata``, which Dataverse writes as JSON:
``{"changedAttributes": [{"logicalName": "statecode", "oldValue": "0", "newValue": "1"}]}``.
Every audit row is either used by one event or counted as left out with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from calibration.extract.dataverse_columns import NAME, codes_of
from calibration.extract.dataverse_schema import BY_NAME

# Object type codes of the standard tables, for audit exports that hold numbers.
OBJECT_TYPE_CODES = {"3": "opportunity", "4": "lead", "1084": "quote", "1088": "salesorder",
                     "1090": "invoice"}


@dataclass(frozen=True)
class Change:
    """One audit row: a record's change at a moment, by a user."""

    row: int
    time: pd.Timestamp
    user: str | None
    action: int | None
    new: dict[str, str]


@dataclass
class AuditTrail:
    """Audit rows by (table, record key); marks the rows events use."""

    changes: dict[tuple[str, str], list[Change]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    exported: bool = False  # False: no audit table, so a missing row proves nothing

    def find(self, table: str, record: str, *, actions: tuple[int, ...] = (),
             column: str | None = None, values: tuple[str, ...] = ()) -> Change | None:
        """The first unused change of the record with one of ``actions`` or a new value."""
        for change in self.changes.get((table, record), []):
            if change.row in self.used:
                continue
            if change.action in actions or (column is not None
                                            and change.new.get(column) in values):
                self.used.add(change.row)
                return change
        return None

    def of_record(self, table: str, record: str) -> list[Change]:
        return self.changes.get((table, record), [])

    def use(self, change: Change) -> None:
        self.used.add(change.row)


def read_trail(frame: pd.DataFrame, times: pd.Series,
               resolve: Callable[[str, object, object], str | None],
               known_tables: set[str]) -> tuple[AuditTrail, list[tuple[int, str]]]:
    """The audit rows about records in the export, and the rows set aside (row, reason)."""
    trail = AuditTrail(exported=True)
    aside: list[tuple[int, str]] = []
    actions = codes_of(frame, "audit", "action")
    users = frame["userid" + NAME] if "userid" + NAME in frame else pd.Series(None, frame.index)
    tables = frame["objecttypecode"].map(_table_name)
    objects = frame["objectid"] if "objectid" in frame else pd.Series(None, frame.index)
    names = frame["objectid" + NAME] if "objectid" + NAME in frame \
        else pd.Series(None, frame.index)
    for row, (table, code, name, time, action, user, data) in enumerate(zip(
            tables, objects, names, times, actions, users,
            frame.get("changedata", pd.Series(None, frame.index)), strict=True)):
        if table not in known_tables:
            aside.append((row, "about a table outside the lead-to-cash process"))
            continue
        if pd.isna(time):
            aside.append((row, "createdon unreadable"))
            continue
        record = resolve(table, code, name)
        if record is None:
            aside.append((row, "its record is not in the export"))
            continue
        change = Change(row, time, user if isinstance(user, str) else None,
                        None if pd.isna(action) else int(action), new_values(data))
        trail.changes.setdefault((table, record), []).append(change)
    for changes in trail.changes.values():
        changes.sort(key=lambda c: (c.time, c.row))
    return trail, aside


def new_values(data: object) -> dict[str, str]:
    """Column -> new value from ``changedata`` JSON; empty for the older CSV form."""
    if not isinstance(data, str) or not data.strip().startswith("{"):
        return {}
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError:
        return {}
    changed = parsed.get("changedAttributes", []) if isinstance(parsed, dict) else []
    return {str(c.get("logicalName")): str(c.get("newValue")) for c in changed
            if isinstance(c, dict) and c.get("newValue") is not None}


def _table_name(value: object) -> str:
    text = str(value).strip().lower() if value is not None and not pd.isna(value) else ""
    if text in BY_NAME:
        return BY_NAME[text].logical
    return OBJECT_TYPE_CODES.get(text, text)
