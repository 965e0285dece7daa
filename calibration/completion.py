"""Which cases ended and which are still open at the end of the log.

A log is a snapshot: deals still in progress when it was exported have not ended, and must
not be counted as finished (their cycle times would be biased short). An activity *ends*
cases when it is the last event of nearly every case it appears in (Payment Received,
Opportunity Lost); a case whose last activity is not one of those is open. When no activity
ends cases, a case is open if its last event is more recent than the usual gap between two
events of a case (the 95th percentile), counted back from the end of the log.
"""

from __future__ import annotations

import pandas as pd

from sim.eventlog import ACTIVITY, CASE_ID, END, START

LAST_SHARE = 0.9  # an end activity is last in at least this share of its cases
MIN_CASE_SHARE = 0.02  # ... and ends at least this share of all cases
RECENT_GAP_QUANTILE = 0.95


def _last_events(events: pd.DataFrame) -> pd.DataFrame:
    ordered = events.sort_values([CASE_ID, END, START], kind="stable")
    return ordered.groupby(CASE_ID, sort=False)[[ACTIVITY, END]].last()


def end_activities(events: pd.DataFrame) -> list[str]:
    """Activities that end the cases they appear in."""
    last = _last_events(events)[ACTIVITY]
    cases_with = events.drop_duplicates([CASE_ID, ACTIVITY])[ACTIVITY].value_counts()
    last_counts = last.value_counts()
    share_last = (last_counts / cases_with.reindex(last_counts.index)).fillna(0.0)
    ends = share_last[(share_last >= LAST_SHARE) & (last_counts >= MIN_CASE_SHARE * len(last))]
    return sorted(ends.index.astype(str))


def open_case_ids(events: pd.DataFrame, ends: list[str] | None = None) -> pd.Index:
    """Cases that had not ended when the log was taken."""
    ends = end_activities(events) if ends is None else ends
    last = _last_events(events)
    if ends:
        return last.index[~last[ACTIVITY].isin(ends)]
    return last.index[last[END] > events[END].max() - usual_gap(events)]


def usual_gap(events: pd.DataFrame) -> pd.Timedelta:
    """The 95th percentile of the time from one event's end to the next start in a case."""
    ordered = events.sort_values([CASE_ID, START, END], kind="stable")
    same_case = ordered[CASE_ID].eq(ordered[CASE_ID].shift())
    gaps = (ordered[START] - ordered[END].shift())[same_case]
    gaps = gaps[gaps > pd.Timedelta(0)]
    return gaps.quantile(RECENT_GAP_QUANTILE) if len(gaps) else pd.Timedelta(0)
