"""From a raw table and its column roles to the canonical event and case tables.

Steps, each reporting what it did: ids and activity names cleaned (rows without them set
aside and counted); timestamps parsed and time zones normalised to the file's dominant
offset; lifecycle events paired; columns split into case attributes (one value per case)
and event attributes; won/lost, money and discounts normalised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration import values
from calibration.lifecycle import SOURCE_ROW, TIME, pair_lifecycle
from calibration.mapping import XES_CASE_PREFIX, timestamp_roles
from calibration.report import ValidationReport, plural, row_list
from calibration.schema import CASE_LEVEL_ROLES, LIFECYCLE, ROLE_BY_NAME, TIMESTAMP
from calibration.timestamps import ParsedTimes, parse_timestamps
from sim.eventlog import (
    ACTIVITY,
    AMOUNT,
    CASE_ID,
    DISCOUNT,
    END,
    OUTCOME,
    START,
)

EXAMPLES = 3


def _examples(raw: pd.Series, mask: pd.Series) -> str:
    shown = raw[mask].astype(str).drop_duplicates().head(EXAMPLES)
    return ", ".join(f"'{v}'" for v in shown)


def _set_aside(frame: pd.DataFrame, mask: pd.Series, report: ValidationReport, code: str,
               what: str) -> pd.DataFrame:
    """Drop rows with a reason, counted in the report."""
    if mask.any():
        rows = frame.loc[mask, SOURCE_ROW]
        report.warning(code, f"{plural(int(mask.sum()), 'row')} set aside: {what} "
                             f"({row_list(rows)}).", tuple(rows.head(100)))
        frame = frame[~mask]
    return frame


def _parse_time_column(frame: pd.DataFrame, column: str, label: str, report: ValidationReport,
                       date_format: str | None) -> ParsedTimes:
    parsed = parse_timestamps(frame[column], date_format)
    if parsed.failed.any():
        rows = frame.loc[parsed.failed, SOURCE_ROW]
        report.error(
            "unparsable_timestamp",
            f"Column '{column}' ({label}): {plural(int(parsed.failed.sum()), 'value')} could "
            f"not be read as dates ({row_list(rows)}), "
            f"e.g. {_examples(frame[column], parsed.failed)}. "
            f"The other values were read as {parsed.how}. Fix those cells, or give the format "
            f"with --date-format (e.g. --date-format '%d/%m/%Y %H:%M').",
            tuple(rows.head(100)))
    elif parsed.ambiguous_with:
        report.warning(
            "ambiguous_dates",
            f"Column '{column}': every date fits both {parsed.how} and {parsed.ambiguous_with}; "
            f"assumed {parsed.how}. If that is wrong, pass --date-format with the right order.")
    else:
        report.note("timestamp_format", f"Column '{column}' was read as {parsed.how}.")
    return parsed


def _normalise_zones(parsed: list[ParsedTimes], report: ValidationReport) -> str | None:
    """Bring every value that carried an offset to the dominant offset's wall-clock time."""
    offsets = pd.concat([p.offsets for p in parsed]).dropna()
    if offsets.empty:
        return None
    dominant = float(offsets.mode().iloc[0])
    label = _offset_label(dominant)
    for p in parsed:
        carried = p.offsets.notna()
        p.values[carried] = p.values[carried] + pd.Timedelta(minutes=dominant)
    distinct = sorted(offsets.unique())
    untagged = sum(int((p.offsets.isna() & p.values.notna()).sum()) for p in parsed)
    if len(distinct) > 1:
        counts = offsets.value_counts()
        listed = ", ".join(f"{_offset_label(o)} ({counts[o]})" for o in distinct)
        report.warning("mixed_time_zones",
                       f"Timestamps carry different UTC offsets: {listed}. All were converted to "
                       f"{label}, the most common one, so durations across them stay right.")
    if untagged:
        report.warning("mixed_time_zones",
                       f"{untagged} timestamps have no time zone while others do; they were "
                       f"taken as {label} local time.")
    else:
        report.note("time_zone", f"Timestamps were normalised to {label}.")
    return label


def _offset_label(minutes: float) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(int(minutes)), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def build_events(raw: pd.DataFrame, roles: dict[str, str], report: ValidationReport,
                 first_row: int, date_format: str | None) -> tuple[pd.DataFrame, str | None]:
    """Canonical activity instances (all attributes still on the rows) and the time zone."""
    frame = raw.copy()
    frame.columns = [str(c) for c in frame.columns]
    frame[SOURCE_ROW] = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    frame[CASE_ID] = values.as_text(frame[roles[CASE_ID]])
    frame[ACTIVITY] = values.as_text(frame[roles[ACTIVITY]])
    frame = _set_aside(frame, frame[CASE_ID].isna(), report, "missing_case_id",
                       f"no case id in column '{roles[CASE_ID]}'")
    frame = _set_aside(frame, frame[ACTIVITY].isna(), report, "missing_activity",
                       f"no activity name in column '{roles[ACTIVITY]}'")
    start_column, end_column = timestamp_roles(roles)
    start = _parse_time_column(frame, start_column, "start time", report, date_format)
    parsed = [start]
    end = None
    if end_column is not None:
        end = _parse_time_column(frame, end_column, "end time", report, date_format)
        parsed.append(end)
    if not report.ok:
        return frame.iloc[0:0], None
    zone = _normalise_zones(parsed, report)
    frame[START] = start.values
    frame[END] = end.values if end is not None else start.values
    frame = _set_aside(frame, frame[START].isna(), report, "missing_timestamp",
                       f"no timestamp in column '{start_column}'")
    if end is not None:
        missing_end = frame[END].isna()
        if missing_end.any():
            report.note("missing_end", f"{int(missing_end.sum())} events have no end time; "
                                       "their end was set to their start.")
            frame.loc[missing_end, END] = frame.loc[missing_end, START]
    used = {roles[CASE_ID], roles[ACTIVITY], start_column, end_column,
            roles.get(TIMESTAMP), roles.get(LIFECYCLE)}
    frame = frame.drop(columns=[c for c in used if c is not None and c in frame.columns
                                and c not in (CASE_ID, ACTIVITY, START, END)])
    if LIFECYCLE in roles:
        frame = _pair(frame, raw.loc[frame.index, roles[LIFECYCLE]], report)
    return frame, zone


def _pair(frame: pd.DataFrame, lifecycle: pd.Series, report: ValidationReport) -> pd.DataFrame:
    frame = frame.drop(columns=[END]).rename(columns={START: TIME})
    instances, counts = pair_lifecycle(frame, lifecycle)
    report.note("lifecycle", f"Lifecycle events were paired into {counts.paired} activity "
                             f"instances with a start and an end; {counts.atomic} events of "
                             "activities that are never started are instant.")
    if counts.unpaired_completes:
        report.warning("unpaired_complete",
                       f"{counts.unpaired_completes} 'complete' events have no matching 'start': "
                       "kept as instant activities at their completion time.")
    if counts.unpaired_starts:
        report.warning("unpaired_start",
                       f"{counts.unpaired_starts} 'start' events have no matching 'complete': "
                       "kept as instant activities at their start time.")
    if counts.set_aside:
        listed = ", ".join(f"'{k}' ({v})" for k, v in counts.set_aside.items())
        report.warning("lifecycle_set_aside",
                       f"{sum(counts.set_aside.values())} lifecycle events that are neither start "
                       f"nor complete were set aside: {listed}. They do not change durations.")
    instances[SOURCE_ROW] = pd.to_numeric(instances[SOURCE_ROW]).astype(np.int64)
    instances[START] = pd.to_datetime(instances[START])
    instances[END] = pd.to_datetime(instances[END])
    return instances


def split_attributes(frame: pd.DataFrame, roles: dict[str, str], report: ValidationReport
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events keep per-event columns; one row per case gets the case attributes."""
    rename = {column: role for role, column in roles.items()
              if role in ROLE_BY_NAME and column in frame.columns
              and role not in (CASE_ID, ACTIVITY, START, END, TIMESTAMP, LIFECYCLE)}
    frame = frame.rename(columns=rename)
    core = {CASE_ID, ACTIVITY, START, END, SOURCE_ROW}
    case_columns: list[str] = []
    event_columns: list[str] = []
    grouped = frame.groupby(CASE_ID, sort=False)
    for column in frame.columns:
        if column in core:
            continue
        if column in CASE_LEVEL_ROLES or column.startswith(XES_CASE_PREFIX):
            case_columns.append(column)
        elif column in ROLE_BY_NAME or not _constant_per_case(grouped[column]):
            event_columns.append(column)
        else:
            case_columns.append(column)
    for column in case_columns:
        if column in CASE_LEVEL_ROLES and not _constant_per_case(grouped[column]):
            varying = int((grouped[column].nunique() > 1).sum())
            report.note("varying_case_attribute",
                        f"'{column}' changes within {varying} cases; the last value of each case "
                        "was kept as the case attribute.")
    cases = grouped[case_columns].last() if case_columns else pd.DataFrame(
        index=pd.Index(frame[CASE_ID].unique(), name=CASE_ID))
    cases = cases.rename(columns=lambda c: c.removeprefix(XES_CASE_PREFIX))
    events = frame[[CASE_ID, ACTIVITY, START, END, *event_columns, SOURCE_ROW]]
    return events, _clean_case_values(cases, report)


def _constant_per_case(column: pd.core.groupby.SeriesGroupBy) -> bool:
    return bool((column.nunique(dropna=True) <= 1).all())


def _clean_case_values(cases: pd.DataFrame, report: ValidationReport) -> pd.DataFrame:
    cases = cases.copy()
    if OUTCOME in cases:
        cases[OUTCOME], unknown = values.outcome(cases[OUTCOME])
        if unknown:
            listed = ", ".join(f"'{k}' ({v})" for k, v in list(unknown.items())[:5])
            report.warning("unknown_outcome",
                           f"Outcome values not recognised as won or lost: {listed}. Those cases "
                           "are treated as open. Rename them to Won/Lost if they are closed.")
    if AMOUNT in cases:
        cases[AMOUNT], bad = values.money(cases[AMOUNT])
        _warn_bad_values(report, AMOUNT, cases.index[bad], "are not amounts of money")
    if DISCOUNT in cases:
        cases[DISCOUNT], bad, was_percent = values.share(cases[DISCOUNT])
        _warn_bad_values(report, DISCOUNT, cases.index[bad], "are not discount rates")
        if was_percent:
            report.note("discount_percent", "Discounts were given in percent; they were "
                                            "converted to shares (12 -> 0.12).")
    for column in cases.columns:
        if column in CASE_LEVEL_ROLES and column not in (OUTCOME, AMOUNT, DISCOUNT):
            cases[column] = values.as_text(cases[column])
        elif column not in CASE_LEVEL_ROLES:
            cases[column] = values.auto_type(cases[column])
    return cases


def _warn_bad_values(report: ValidationReport, column: str, case_ids: pd.Index,
                     what: str) -> None:
    if len(case_ids):
        shown = ", ".join(map(str, case_ids[:EXAMPLES]))
        report.warning(f"bad_{column}", f"'{column}' values of {len(case_ids)} cases {what} "
                                        f"(cases {shown}); they were left empty.")
