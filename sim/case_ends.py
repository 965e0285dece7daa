"""Which cases ended and which are still open at the end of the log.

A log is a snapshot: deals still in progress when it was exported have not ended, and must
not be counted as finished (their cycle times would be biased short). An activity *ends*
cases when it is the last event of nearly every case it appears in (Payment Received,
Opportunity Lost, Pay Invoice). A case is open when its last activity is not one of those
and its last event is too recent to tell: closer to the end of the log than nearly every
wait seen after that activity (its 99th percentile). A case whose last step lies far back
stopped there (a requisition rejected after its analysis), whatever its last activity.
The waits seen are those that ended inside the log, so a process that slowed down near its
end (fines sent to collection ever later) shows waits too short to judge its idle cases by:
where the cases idle just beyond a wait stopped there far more often than the older ones
did, that wait is doubled until they do not (``checked_waits``).
Calibration censors open cases; the KPIs count the others as finished in a log that states
no outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import bdtrc

from sim.eventlog import ACTIVITY, CASE_ID, END, START

LAST_SHARE = 0.9  # an end activity is last in at least this share of its cases
MIN_CASE_SHARE = 0.02  # ... and ends at least this share of all cases
RECENT_GAP_QUANTILE = 0.95
STALE_WAIT_QUANTILE = 0.99
MIN_GAPS = 20  # fewer gaps seen after an activity: its wait is the log-wide one
LATE_TAIL = 0.01  # the continuing cases still to come after the stale wait (its quantile)
STOP_ALPHA = 0.001  # the cases idle just beyond a wait stop more often than older ones did,
STOP_RATIO = 2.0  # ... and more than this many times as often (a steady trend in how many
# cases stop at a step is a change in routing, not a slowdown)


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
    waits = checked_waits(events, last, ends)
    recent = (events[END].max() - last[END]) < last[ACTIVITY].map(waits)
    return last.index[recent & ~last[ACTIVITY].isin(ends)]


def checked_waits(events: pd.DataFrame, last: pd.DataFrame, ends: list[str]) -> pd.Series:
    """Per activity that is not an end activity: the stale wait (``usual_waits``), doubled
    while the cases idle between one and two of it stopped there significantly more than
    ``STOP_RATIO`` times as often as the cases of its earlier events did (a one-sided
    binomial test at ``STOP_ALPHA``, allowing the ``LATE_TAIL`` of continuing cases still to
    come). Those cases are not stopped: the process slowed down, and its slowest waits have
    not ended yet. (A fine is almost never left after its penalty, until the penalties of the
    log's last years look left: their collection comes later than any seen before.)"""
    usual = usual_waits(events)
    log_end = events[END].max()
    idle = {activity: times.to_numpy()
            for activity, times in (log_end - last[END]).groupby(last[ACTIVITY])}
    stale: dict[str, pd.Timedelta] = {}
    for activity, times in events.groupby(ACTIVITY, sort=False)[END]:
        if activity in ends:
            continue
        wait = usual.get(activity, usual.attrs["log_wide"])
        ages = (log_end - times).to_numpy()
        idle_here = idle.get(activity, ages[:0])
        while wait > pd.Timedelta(0) and _stops_more_lately(ages, idle_here, wait):
            wait *= 2
        stale[str(activity)] = wait
    return pd.Series(stale, dtype="timedelta64[ns]")


def _stops_more_lately(ages: np.ndarray, idle: np.ndarray, wait: pd.Timedelta) -> bool:
    """Whether the events between one and two ``wait`` before the log's end were their
    case's last (idle beyond ``wait``) significantly more than ``STOP_RATIO`` times as often
    as the older events."""
    band_events = int(((ages > wait) & (ages <= 2 * wait)).sum())
    older_events = int((ages > 2 * wait).sum())
    if band_events < MIN_GAPS or older_events < MIN_GAPS:
        return False
    band_stops = int(((idle > wait) & (idle <= 2 * wait)).sum())
    older_stops = int((idle > 2 * wait).sum())
    allowed = min(STOP_RATIO * older_stops / older_events + LATE_TAIL, 1.0)
    # one-sided binomial test: P(at least band_stops of band_events) at the allowed share;
    # scipy.special's tail, not scipy.stats, which a simulation worker would take 1 s to import
    return bool(bdtrc(band_stops - 1, band_events, allowed) < STOP_ALPHA)


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
