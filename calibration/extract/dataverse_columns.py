"""Dataverse tables in one shape, whichever way they were exported.

The same table reaches us three ways: with logical names (``createdon``; a lookup as its
GUID, perhaps with ``owneridname`` beside it as the SQL endpoint writes it), with display
names as "Export to Excel" writes them (``Created On``; choices and lookups as their labels
and names), or as Web API JSON (``_ownerid_value`` plus its ``FormattedValue``
annotation). This module turns each into logical names, with every choice and lookup
column ``c`` split into ``c`` (the code or GUID, when the export has it) and ``c#name`` (the
label or name, when it has that), checks the columns the extraction needs (with a "did you
mean"), and removes duplicate keys, counting each one.
"""

from __future__ import annotations

import re

import pandas as pd

from calibration.extract.dataverse_schema import CHOICE, LOOKUP, TableSpec, standard_labels
from calibration.extract.report import TableCount
from calibration.extract.tables import SOURCE, RawTable
from sim.errors import PlannerError, did_you_mean

NAME = "#name"  # suffix of the label / name column beside a choice or lookup
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
DO_NOT_MODIFY = "(Do Not Modify)"
CUSTOM = re.compile(r"^[a-z][a-z0-9]{1,7}_[a-z0-9_]+$")  # publisher prefix + name
# Prefixes of standard columns and of Microsoft's own solutions, not the customer's.
NOT_CUSTOM = ("address1_", "address2_", "address3_", "msdyn_", "msdynmkt_", "mspp_", "adx_",
              "msa_", "mserp_", "msft_")
LOGICAL, DISPLAY, WEBAPI = "logical names", "display names", "Web API JSON"


def normalise(raw: RawTable, spec: TableSpec, count: TableCount) -> tuple[pd.DataFrame, str]:
    """The table in logical names, its form, duplicates removed (and counted)."""
    if raw.webapi:
        frame, form = _from_webapi(raw.frame, spec), WEBAPI
    elif _display_share(raw.frame, spec) > _logical_share(raw.frame, spec):
        frame, form = _from_display(raw.frame, spec), DISPLAY
    else:
        frame, form = _from_logical(raw.frame, spec), LOGICAL
    _check_required(frame, raw, spec, form)
    return _without_duplicates(frame, spec, count), form


def custom_columns(frame: pd.DataFrame, spec: TableSpec, form: str) -> dict[str, str]:
    """Custom columns kept as case attributes: column -> attribute name (snake case)."""
    known = {c.logical for c in spec.columns}
    found: dict[str, str] = {}
    for column in frame.columns:
        if column in known or column.endswith(NAME) or column == SOURCE:
            continue
        if form == DISPLAY and column.startswith("custom:"):
            found[column] = snake(column.removeprefix("custom:"))
        elif form != DISPLAY and CUSTOM.match(column) and not column.startswith(NOT_CUSTOM):
            found[column] = column.split("_", 1)[1]
    return found


def snake(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def labels(frame: pd.DataFrame, table: str, column: str,
           stringmap: dict[tuple[str, str, int], str]) -> pd.Series:
    """A choice column's labels: the export's own, else the string map, else the default."""
    codes = codes_of(frame, table, column)
    if column + NAME in frame:
        given = frame[column + NAME]
    elif column in frame:  # labels written in place of the values
        given = frame[column].where(pd.to_numeric(frame[column], errors="coerce").isna())
    else:
        given = pd.Series(None, frame.index)
    default = standard_labels(table, column)

    def label(code: float, shown: object) -> object:
        if isinstance(shown, str) and shown.strip():
            return shown.strip()
        if pd.isna(code):
            return None
        number = int(code)
        return stringmap.get((table, column, number), default.get(number, str(number)))

    return pd.Series([label(c, s) for c, s in zip(codes, given, strict=True)], frame.index,
                     dtype=object)


def codes_of(frame: pd.DataFrame, table: str, column: str,
             stringmap: dict[tuple[str, str, int], str] | None = None) -> pd.Series:
    """A choice column's numeric codes; from its labels where the export has only those
    (display names, or logical names exported with labels in place of the values)."""
    values = pd.to_numeric(frame[column], errors="coerce") if column in frame else \
        pd.Series(float("nan"), frame.index)
    shown = frame[column + NAME] if column + NAME in frame else frame.get(column)
    if shown is None:
        return values
    reverse = {label.lower(): code for code, label in standard_labels(table, column).items()}
    for (name, attribute, code), label in (stringmap or {}).items():
        if name == table and attribute == column:
            reverse[label.lower()] = code
    from_labels = shown.map(
        lambda s: reverse.get(str(s).strip().lower()) if isinstance(s, str) else None)
    return values.fillna(pd.to_numeric(from_labels, errors="coerce"))


def _logical_share(frame: pd.DataFrame, spec: TableSpec) -> float:
    headers = {str(c).lower() for c in frame.columns}
    return sum(c.logical in headers for c in spec.columns) / len(spec.columns)


def _display_share(frame: pd.DataFrame, spec: TableSpec) -> float:
    headers = {str(c).strip().lower() for c in frame.columns}
    return sum(c.display.lower() in headers for c in spec.columns) / len(spec.columns)


def _from_logical(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Logical names; ``owneridname`` / ``statecodename`` become ``ownerid#name`` etc."""
    frame = frame.rename(columns={c: str(c).lower() for c in frame.columns if c != SOURCE})
    renames = {}
    for column in spec.columns:
        if column.kind in (CHOICE, LOOKUP) and column.logical + "name" in frame:
            renames[column.logical + "name"] = column.logical + NAME
    return frame.rename(columns=renames)


def _from_display(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Display names: choices and lookups hold labels and names; other headers are custom."""
    by_display = {c.display.lower(): c for c in spec.columns}
    renames: dict[str, str] = {}
    for header in frame.columns:
        if header == SOURCE:
            continue
        column = by_display.get(str(header).strip().lower())
        if column is None:
            if not str(header).startswith(DO_NOT_MODIFY):
                renames[header] = "custom:" + str(header).strip()
            continue
        renames[header] = column.logical + NAME if column.kind in (CHOICE, LOOKUP) \
            else column.logical
    frame = frame.rename(columns=renames)
    for column in spec.columns:
        if column.kind in (CHOICE, LOOKUP) and column.logical + NAME in frame \
                and column.logical not in frame:
            frame[column.logical] = None
    return frame


def _from_webapi(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Web API records: ``_x_value`` is lookup x, ``...FormattedValue`` its name or label."""
    kinds = {c.logical: c.kind for c in spec.columns}
    renames: dict[str, str] = {}
    for key in frame.columns:
        if key == SOURCE:
            continue
        base, _, annotation = str(key).partition("@")
        lookup = re.fullmatch(r"_(.+)_value", base)
        name = lookup.group(1) if lookup else base
        if not annotation:
            renames[key] = name
        elif "@" + annotation == FORMATTED and kinds.get(name) in (CHOICE, LOOKUP):
            renames[key] = name + NAME
    return frame[[*renames, SOURCE]].rename(columns=renames)


def _check_required(frame: pd.DataFrame, raw: RawTable, spec: TableSpec, form: str) -> None:
    """A required column the export lacks is named, with the closest header it has."""
    for logical in spec.required:
        if logical in frame or logical + NAME in frame:
            continue
        column = spec.column(logical)
        wanted = column.display if form == DISPLAY else logical
        headers = [str(c) for c in raw.frame.columns if c != SOURCE]
        raise PlannerError(
            f"table {spec.logical} ({raw.label}): no column '{wanted}' ({column.display}), "
            f"which the extraction needs.{did_you_mean(wanted, headers)} "
            f"Columns in the file: {', '.join(headers[:12])}"
            + (", ..." if len(headers) > 12 else "") + ".")


def _without_duplicates(frame: pd.DataFrame, spec: TableSpec, count: TableCount
                        ) -> pd.DataFrame:
    """One row per key: the last modified is kept, the others counted with their rows."""
    key = spec.key
    if key not in frame or frame[key].isna().all():
        return frame
    order = pd.to_datetime(frame["modifiedon"], errors="coerce", utc=True) \
        if "modifiedon" in frame else pd.Series(0, frame.index)
    ranked = frame.assign(_order=order.values).sort_values("_order", kind="stable")
    duplicated = ranked[key].notna() & ranked.duplicated(key, keep="last")
    if duplicated.any():
        dropped = ranked.loc[duplicated]
        rows = [f"{source} ({key} {value})" for source, value in
                zip(dropped[SOURCE], dropped[key], strict=True)]
        count.leave_out(f"duplicate {key}: an older copy of a record read twice", rows)
    return ranked.loc[~duplicated].drop(columns="_order").sort_index()
