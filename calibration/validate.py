"""Checks on the canonical table that warn without stopping the import.

Each check says what it found, how many rows, where, and what was done about it. Rows are
only removed for exact duplicates, and those are counted.
"""

from __future__ import annotations

import pandas as pd

from calibration.completion import end_activities, open_case_ids
from calibration.lifecycle import SOURCE_ROW
from calibration.report import ValidationReport, plural, row_list
from sim.errors import did_you_mean
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START

MIN_ACTIVITY_COUNT = 5
EARLIEST = pd.Timestamp("1970-01-01")  # before: a date typed wrong, or a spreadsheet's 1900
LATEST_AHEAD = pd.Timedelta(days=366)  # after now plus this: a placeholder such as 2099


def check_events(events: pd.DataFrame, report: ValidationReport,
                 min_activity_count: int = MIN_ACTIVITY_COUNT) -> pd.DataFrame:
    """Run every check; returns the events with end-before-start fixed and duplicates removed."""
    _implausible_dates(events, report)
    events = _end_before_start(events, report)
    events = _duplicates(events, report)
    _one_event_cases(events, report)
    _open_cases(events, report)
    _rare_activities(events, report, min_activity_count)
    return events


def _implausible_dates(events: pd.DataFrame, report: ValidationReport) -> None:
    """Dates before 1970 or more than a year ahead are kept but named: they stretch the
    log's period, its arrivals and every duration that touches them."""
    latest = pd.Timestamp.now() + LATEST_AHEAD
    for label, bad in (("before 1970", (events[START] < EARLIEST) | (events[END] < EARLIEST)),
                       (f"after {latest:%Y-%m-%d} (a year from now)",
                        (events[START] > latest) | (events[END] > latest))):
        if bad.any():
            rows = events.loc[bad, SOURCE_ROW]
            first = events.loc[bad, [START, END]].iloc[0]
            report.warning("implausible_date",
                           f"{plural(int(bad.sum()), 'event')} dated {label} ({row_list(rows)}; "
                           f"e.g. {first[START]:%Y-%m-%d} to {first[END]:%Y-%m-%d}). Check those "
                           "cells: a typing error or a placeholder date stretches the log's "
                           "period and its durations.", tuple(rows.head(100)))


def _end_before_start(events: pd.DataFrame, report: ValidationReport) -> pd.DataFrame:
    bad = events[END] < events[START]
    if bad.any():
        rows = events.loc[bad, SOURCE_ROW]
        report.warning("end_before_start",
                       f"End before start in {plural(int(bad.sum()), 'event')} ({row_list(rows)}); "
                       "their end was set to their start.", tuple(rows.head(100)))
        events = events.copy()
        events.loc[bad, END] = events.loc[bad, START]
    return events


def _duplicates(events: pd.DataFrame, report: ValidationReport) -> pd.DataFrame:
    keys = [c for c in (CASE_ID, ACTIVITY, START, END, RESOURCE) if c in events.columns]
    dup = events.duplicated(subset=keys, keep="first")
    if dup.any():
        rows = events.loc[dup, SOURCE_ROW]
        report.warning("duplicate_events",
                       f"Exact duplicates: {plural(int(dup.sum()), 'row')} repeat an earlier row "
                       f"(same case, activity, times and resource: {row_list(rows)}); "
                       "each event was counted once.",
                       tuple(rows.head(100)))
        events = events[~dup]
    return events


def _one_event_cases(events: pd.DataFrame, report: ValidationReport) -> None:
    sizes = events.groupby(CASE_ID, sort=False).size()
    single = sizes.index[sizes == 1]
    if len(single):
        shown = ", ".join(map(str, single[:5]))
        report.warning("one_event_cases",
                       f"{plural(len(single), 'case')} with a single event (e.g. {shown}): they "
                       "say nothing about durations and are often fragments of an incomplete "
                       "export.")


def _open_cases(events: pd.DataFrame, report: ValidationReport) -> None:
    ends = end_activities(events)
    still_open = open_case_ids(events, ends)
    if len(still_open):
        n_cases = events[CASE_ID].nunique()
        why = (f"their last activity is not one that ends cases ({', '.join(ends)})" if ends
               else "no activity ends most cases, and their last event is more recent than "
                    "the usual gap between two events")
        report.warning("open_cases",
                       f"{len(still_open)} cases ({len(still_open) / n_cases:.0%}) look still open "
                       f"at the end of the log: {why}. They are kept, and treated as unfinished, "
                       "not as ended.")


def _rare_activities(events: pd.DataFrame, report: ValidationReport, minimum: int) -> None:
    counts = events[ACTIVITY].value_counts()
    frequent = counts.index[counts >= minimum]
    for activity, count in counts[counts < minimum].items():
        hint = did_you_mean(str(activity), frequent)
        typo = f"{hint} A typo splits one activity into two." if hint else ""
        report.warning("rare_activity",
                       f"Activity '{activity}' occurs only {plural(int(count), 'time')} "
                       f"(fewer than {minimum}); its durations and branches cannot be estimated "
                       f"well.{typo}")
