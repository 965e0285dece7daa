"""Which cases ended and which are still open at the end of the log.

A log is a snapshot: deals still in progress when it was exported have not ended, and must
not be counted as finished (their cycle times would be biased short). An activity *ends*
cases when it is the last event of nearly every case it appears in (Payment Received,
Opportunity Lost, Pay Invoice). A case is open when its last activity is not one of those
and its last event is too recent to tell: closer to the end of the log than nearly every
wait seen after that activity (its 99th percentile). A case whose last step lies far back
stopped there (a requisition rejected after its analysis), whatever its last activity.
Calibration censors open cases; the KPIs count the others as finished in a log that states
no outcome.
"""

from __future__ import annotations

import pandas as pd

from sim.eventlog import ACTIVITY, CASE_ID, END, START

LAST_SHARE = 0.9  # an end activity is last in at least this share of its cases
MIN_CASE_SHARE = 0.02  # ... and ends at least this share of all cases
RECENT_GAP_QUANTILE = 0.95
STALE_WAIT_QUANTILE = 0.99
MIN_GAPS = 20  # fewer gaps seen after an activity: its wait is the log-wide one


def last_events(events: pd.DataFrame) -> pd.DataFrame:
    """Per case, the activity and end of its last event."""
    ordered = events.sort_values([CASE_ID, END, START], kind="stable")
    return ordered.groupby(CASE_ID, sort=False)[[ACTIVITY, END]].last()


def end_activities(events: pd.DataFrame) -> list[str]:
    """Activities that end the cases they appear in."""
    last = last_events(events)[ACTIVITY]
    cases_with = events.drop_duplicates([CASE_ID, ACTIVITY])[ACTIVITY].value_counts()
    last_counts = last.value_counts()
    share_last = (last_counts / cases_with.reindex(last_counts.index)).fillna(0.0)
    ends = share_last[(share_last >= LAST_SHARE) & (last_counts >= MIN_CASE_SHARE * len(last))]
    return sorted(ends.index.astype(str))


def open_case_ids(events: pd.DataFrame, ends: list[str] | None = None) -> pd.Index:
    """Cases that had not ended when the log was taken."""
    ends = end_activities(events) if ends is None else ends
    last = last_events(events)
    if not ends:
        return last.index[last[END] > events[END].max() - usual_gap(events)]
    waits = usual_waits(events)
    recent = last[END] > events[END].max() - last[ACTIVITY].map(waits).fillna(
        waits.attrs["log_wide"]).to_numpy()
    return last.index[recent & ~last[ACTIVITY].isin(ends)]


def _gaps_after(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per event followed by another in its case: the time until that next start (none
    negative), and the event's activity."""
    ordered = events.sort_values([CASE_ID, START, END], kind="stable")
    followed = ordered[CASE_ID].eq(ordered[CASE_ID].shift(-1))
    gaps = (ordered[START].shift(-1) - ordered[END]).clip(lower=pd.Timedelta(0))
    return gaps[followed], ordered[ACTIVITY][followed]


def usual_gap(events: pd.DataFrame) -> pd.Timedelta:
    """The 95th percentile of the time from one event's end to the next start in a case."""
    gaps, _ = _gaps_after(events)
    gaps = gaps[gaps > pd.Timedelta(0)]
    return gaps.quantile(RECENT_GAP_QUANTILE) if len(gaps) else pd.Timedelta(0)


def usual_waits(events: pd.DataFrame) -> pd.Series:
    """Per activity: the 99th percentile of the time from its end to the case's next start
    (where at least ``MIN_GAPS`` were seen); ``attrs["log_wide"]`` the same over all."""
    gaps, activity = _gaps_after(events)
    by_activity = gaps.groupby(activity)
    waits = by_activity.quantile(STALE_WAIT_QUANTILE)[by_activity.size() >= MIN_GAPS]
    waits.attrs["log_wide"] = (gaps.quantile(STALE_WAIT_QUANTILE) if len(gaps)
                               else pd.Timedelta(0))
    return waits
