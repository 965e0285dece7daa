"""Which column plays which role: recognised automatically, overridable by the user.

Headers are compared loosely against the names Dynamics 365, Oracle CX Sales, XES and common
tools use (see ``calibration.schema``). ``--map role=column`` wins over detection. A missing
required role is an error that lists the columns found and the closest match.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from calibration.report import ValidationReport
from calibration.schema import (
    ACTIVITY,
    ALIAS_TO_ROLE,
    CASE_ID,
    END,
    ROLE_BY_NAME,
    START,
    TIMESTAMP,
    normalise_header,
)
from sim.errors import PlannerError, did_you_mean

XES_CASE_PREFIX = "case:"


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """Turn ``["case_id=Deal", "resource=Rep"]`` into a dict, validating role names."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        role, sep, column = pair.partition("=")
        role, column = role.strip(), column.strip()
        if not sep or not role or not column:
            raise PlannerError(f"--map '{pair}': write it as role=column, e.g. case_id=Deal ID.")
        if role not in ROLE_BY_NAME:
            raise PlannerError(f"--map '{pair}': unknown role '{role}'."
                               f"{did_you_mean(role, ROLE_BY_NAME)} "
                               f"Roles: {', '.join(ROLE_BY_NAME)}.")
        overrides[role] = column
    return overrides


def _role_of(column: str) -> str | None:
    key = normalise_header(column)
    if key in ALIAS_TO_ROLE:
        return ALIAS_TO_ROLE[key]
    if key.startswith(XES_CASE_PREFIX):
        return ALIAS_TO_ROLE.get(key.removeprefix(XES_CASE_PREFIX).strip())
    return None


def detect_roles(columns: Sequence[str], overrides: Mapping[str, str] | None = None
                 ) -> dict[str, str]:
    """Role -> column: overrides first, then the first column whose header is a known alias."""
    mapping: dict[str, str] = {}
    for role, column in (overrides or {}).items():
        if column not in columns:
            raise PlannerError(f"--map {role}={column}: the file has no column '{column}'."
                               f"{did_you_mean(column, columns)} "
                               f"Columns found: {', '.join(map(str, columns))}.")
        mapping[role] = column
    taken = set(mapping.values())
    for column in columns:
        found = _role_of(str(column))
        if found is not None and found not in mapping and column not in taken:
            mapping[found] = column
            taken.add(column)
    return mapping


def _closest_column(role: str, columns: Sequence[str], used: set[str]) -> str | None:
    """The unused header most similar to any alias of the role."""
    free = [str(c) for c in columns if c not in used]
    best, best_score = None, 0.0
    for alias in ROLE_BY_NAME[role].aliases:
        for column in free:
            score = difflib.SequenceMatcher(None, normalise_header(column), alias).ratio()
            if score > best_score:
                best, best_score = column, score
    return best if best_score >= 0.5 else None


def check_required(mapping: dict[str, str], columns: Sequence[str],
                   report: ValidationReport) -> None:
    """Record an error for each required role without a column, naming the closest match."""
    needs = {CASE_ID: "the case id (opportunity id)", ACTIVITY: "the activity name"}
    missing = [role for role in needs if role not in mapping]
    if not ({START, END, TIMESTAMP} & mapping.keys()):
        missing.append(START)
        needs[START] = "a timestamp (start time, or the time of each event)"
    found = ", ".join(f"'{c}'" for c in columns)
    for role in missing:
        closest = _closest_column(role, columns, set(mapping.values()))
        hint = (f" The closest match is '{closest}': if that is it, pass --map {role}={closest}."
                if closest else f" Name the column with --map {role}=COLUMN.")
        report.error("missing_column",
                     f"No column for {needs[role]} was found. Columns found: {found}.{hint}")


def timestamp_roles(mapping: dict[str, str]) -> tuple[str, str | None]:
    """The columns to read as start and end time; a single timestamp gives end = None."""
    start = mapping.get(START) or mapping.get(TIMESTAMP) or mapping[END]
    end = mapping.get(END)
    return start, (end if end != start else None)
