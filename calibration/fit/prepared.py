"""The event log as the fitters read it: numbered cases and activities, times in seconds.

Every fitter needs the same few arrays (who did what when, what came before it in the
case, which cases were still open or had begun before the log, which steps the log saw long
enough after to know what followed them), so they are computed once here, vectorised, and
shared. Times are local wall-clock seconds since the Monday 00:00 on
or before the log's first day: the anchor of every working calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from calibration.completion import open_case_ids
from calibration.survival import km_quantile
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog
from sim.model import END as END_OF_CASE

LEFT_CENSOR_QUANTILE = 0.99  # of case durations: a case seen first sooner than this after
# the log's start may have begun before it
START_SHARE = 0.05  # activities that begin at least this share of cases are start activities
SETTLE_QUANTILE = 0.95  # a step is settled once the log ran this quantile of its gaps after it
MIN_GAPS = 20  # fewer observed gaps after an activity: its horizon is the log-wide one


@dataclass(frozen=True)
class PreparedLog:
    log: EventLog
    events: pd.DataFrame  # the log's events in the order of every array below
    anchor: pd.Timestamp  # Monday 00:00 on or before the first event, wall clock
    case: np.ndarray  # per event: case number
    activity: np.ndarray  # per event: activity number
    activities: tuple[str, ...]
    resource: np.ndarray  # per event: resource name or None
    start: np.ndarray  # per event: seconds since anchor
    end: np.ndarray
    first_in_case: np.ndarray  # per event: bool
    prev_end: np.ndarray  # per event: end of the case's previous event (NaN for the first)
    prev_activity: np.ndarray  # per event: previous activity number (-1 for the first)
    case_ids: pd.Index
    open_case: np.ndarray  # per case: still running at the end of the log
    left_censored: np.ndarray  # per case: probably began before the log did
    settled: np.ndarray  # per event: the log ran long enough after it to see what followed
    timed: bool  # the log has start and end times (not one timestamp per event)
    dates_only: bool  # every timestamp is at midnight: the log has no time of day

    @property
    def n_events(self) -> int:
        return len(self.case)

    @cached_property
    def case_span(self) -> tuple[np.ndarray, np.ndarray]:
        """Per case number: its first start and its last end (seconds)."""
        firsts = np.flatnonzero(self.first_in_case)
        return self.start[firsts], np.maximum.reduceat(self.end, firsts)

    @cached_property
    def visit(self) -> np.ndarray:
        """Per event: how many times its case has now done its activity (1 the first time)."""
        return (pd.DataFrame({"case": self.case, "activity": self.activity})
                .groupby(["case", "activity"]).cumcount().to_numpy() + 1)

    @cached_property
    def following(self) -> np.ndarray:
        """Per event: the activity its case did next, ``END`` after a closed case's last
        one, None where the log cannot tell (an open case's last step, or one too close to
        the end of the log to have seen what followed)."""
        names = np.array([*self.activities, END_OF_CASE], dtype=object)
        last = np.r_[self.first_in_case[1:], True]
        following = names[np.where(last, len(self.activities), np.r_[self.activity[1:], 0])]
        following[last & (self.open_case[self.case] | ~self.settled)] = None  # unknown
        return following

    @cached_property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return self.to_time(self.start.min()), self.to_time(self.end.max())

    def to_time(self, seconds: float) -> pd.Timestamp:
        return self.anchor + pd.Timedelta(seconds=float(seconds))

    def case_attribute(self, column: str) -> pd.Series:
        """Per-case value of a case attribute, aligned with case numbers."""
        return self.log.cases[column].reindex(self.case_ids).reset_index(drop=True)


def wall_clock(times: pd.Series) -> pd.Series:
    """Local time without a zone: working hours are read off the wall clock."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        return times.dt.tz_localize(None)
    return times


def prepare(log: EventLog) -> PreparedLog:
    events = log.events.sort_values([CASE_ID, START, END], kind="stable")
    starts, ends = wall_clock(events[START]), wall_clock(events[END])
    first_day = starts.min().normalize()
    anchor = first_day - pd.Timedelta(days=first_day.dayofweek)
    start = (starts - anchor).dt.total_seconds().to_numpy()
    end = (ends - anchor).dt.total_seconds().to_numpy()
    case_codes, case_ids = pd.factorize(events[CASE_ID], sort=False)
    activity_codes, activity_names = pd.factorize(events[ACTIVITY], sort=True)
    first = np.r_[True, case_codes[1:] != case_codes[:-1]]
    prev_end = np.where(first, np.nan, np.r_[np.nan, end[:-1]])
    prev_activity = np.where(first, -1, np.r_[-1, activity_codes[:-1]])
    resource = (events[RESOURCE].to_numpy(dtype=object) if RESOURCE in events
                else np.full(len(events), None, dtype=object))
    open_ids = open_case_ids(events)
    open_case = case_ids.isin(open_ids)
    left = _left_censored(activity_codes, start, end, first, np.asarray(open_case))
    settled = _settled(activity_codes, start, end, first, np.asarray(open_case)[case_codes],
                       len(activity_names))
    return PreparedLog(
        log=log, events=events, anchor=anchor, case=case_codes, activity=activity_codes,
        activities=tuple(str(a) for a in activity_names), resource=resource, start=start,
        end=end, first_in_case=first, prev_end=prev_end, prev_activity=prev_activity,
        case_ids=pd.Index(case_ids), open_case=np.asarray(open_case), left_censored=left,
        settled=settled,
        timed=bool(np.any(end > start)),
        dates_only=bool(np.all(start % 86400.0 == 0) and np.all(end % 86400.0 == 0)))


def _left_censored(activity: np.ndarray, start: np.ndarray, end: np.ndarray,
                   first: np.ndarray, open_case: np.ndarray) -> np.ndarray:
    """Per case (events sorted by case): seen only from the middle. Its first activity is
    not one that starts cases, and it appears so early in the log that it may have begun
    before it: sooner after the log's start than nearly every case lasts (the
    ``LEFT_CENSOR_QUANTILE`` of the durations of the cases that begin with a starting
    activity, open ones counted as still running). A fixed period would fit one process
    only: four months hides every case that rarely starts elsewhere (a fraud check first)
    in a log of four months, and misses fines seen from the middle years on."""
    first_activity = activity[first]
    shares = np.bincount(first_activity) / max(len(first_activity), 1)
    begins = (shares >= START_SHARE)[first_activity]
    duration = np.maximum.reduceat(end, np.flatnonzero(first)) - start[first]
    window = km_quantile(duration[begins], ~open_case[begins], LEFT_CENSOR_QUANTILE)
    return (start[first] < start.min() + window) & ~begins


def _settled(activity: np.ndarray, start: np.ndarray, end: np.ndarray, first: np.ndarray,
             open_case: np.ndarray, n_activities: int) -> np.ndarray:
    """Steps whose successor, if there was one, would almost surely be in the log.

    What follows an activity (and after how long) can only be judged where the log ran on
    long enough after it: otherwise the quick successors are seen and the slow ones are
    not, and routing and delays learn that slow paths are rare and slow delays short (a
    fine sent to collection two years later, say). The horizon of an activity is the
    ``SETTLE_QUANTILE`` of the gaps after it; the steps closer than that to the end of the
    log are left out of routing and delays, whatever followed them. The gaps seen are
    themselves cut short near the end, so the quantile is the Kaplan-Meier one: the last
    step of an open case is a gap still running at the end of the log (right-censored).
    """
    follows = np.r_[~first[1:], False]
    waiting = np.r_[first[1:], True] & open_case
    gaps = np.where(follows, np.maximum(np.r_[start[1:], 0.0] - end, 0.0), end.max() - end)
    used = follows | waiting
    gaps, seen, sources = gaps[used], follows[used], activity[used]
    log_wide = km_quantile(gaps, seen, SETTLE_QUANTILE)
    horizon = np.full(n_activities, log_wide)
    order = np.argsort(sources, kind="stable")
    bounds = np.searchsorted(sources[order], np.arange(n_activities + 1))
    for code in range(n_activities):
        mine = order[bounds[code]:bounds[code + 1]]
        if seen[mine].sum() >= MIN_GAPS:
            horizon[code] = km_quantile(gaps[mine], seen[mine], SETTLE_QUANTILE)
    return end + horizon[activity] <= end.max()
