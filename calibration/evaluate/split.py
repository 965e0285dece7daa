"""The holdout: the log split in time by case start, so the model never sees the test period.

Training keeps the cases begun before the split date, as an export taken on that date would
have shown them: events not finished by then are cut off, and the outcome (won, lost, lost
reason) of a case still open then is unknown. The test part is every case begun on or after
the split date, with all its events up to the end of the log.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from calibration.fit.prepared import wall_clock
from sim.errors import PlannerError
from sim.eventlog import CASE_ID, END, LOST_REASON, OUTCOME, START, EventLog

DEFAULT_SPLIT = 0.7
MIN_CASES = 10  # cases each side of the split needs, at least


def case_starts(log: EventLog) -> pd.Series:
    """Per case id: the start of its first event (naive wall clock)."""
    return wall_clock(log.events[START]).groupby(log.events[CASE_ID].to_numpy()).min()


def log_end(log: EventLog) -> pd.Timestamp:
    """The last moment the log saw: its latest end (or start) time."""
    ends = wall_clock(log.events[END]).fillna(wall_clock(log.events[START]))
    return ends.max()


@dataclass(frozen=True)
class Holdout:
    """The two parts of a log split at ``split_date`` (naive wall clock, like every time
    here)."""

    split_date: pd.Timestamp
    train: EventLog  # cases begun before the split, cut at the split date
    test: EventLog  # cases begun on or after the split, complete
    log_start: pd.Timestamp
    log_end: pd.Timestamp  # the end of the test period
    train_cases: int
    test_cases: int

    @property
    def train_share(self) -> float:
        return self.train_cases / max(self.train_cases + self.test_cases, 1)

    @property
    def test_days(self) -> float:
        return (self.log_end - self.split_date) / pd.Timedelta(days=1)


def resolve_split_date(log: EventLog, split: float | None = None,
                       split_date: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """The split date: given, or the day on which ``split`` (a share) of the cases had begun.

    Raises a PlannerError naming the log's range when the date or share leaves fewer than
    ``MIN_CASES`` cases on either side.
    """
    if split is not None and split_date is not None:
        raise PlannerError("Give --split (a share of the cases) or --split-date, not both.")
    starts = case_starts(log).sort_values()
    if len(starts) < 2 * MIN_CASES:
        raise PlannerError(f"The log has {len(starts)} cases; evaluating a model needs at "
                           f"least {2 * MIN_CASES} (half to learn from, half to test on).")
    first, last = starts.iloc[0], starts.iloc[-1]
    span = f"cases begin from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}"
    suggestion = starts.quantile(DEFAULT_SPLIT).floor("D")
    if split_date is not None:
        date = _parse_date(split_date)
        if not first < date <= last:
            raise PlannerError(f"The split date {date} is outside the log: {span}. Give a date "
                               f"in between, e.g. --split-date {suggestion:%Y-%m-%d}.")
    else:
        share = DEFAULT_SPLIT if split is None else split
        if (isinstance(share, bool) or not isinstance(share, int | float)
                or not math.isfinite(share) or not 0 < share < 1):
            raise PlannerError(f"--split {share!r}: give the share of the cases to learn "
                               "from, a number between 0 and 1 (exclusive), e.g. 0.7.")
        date = starts.quantile(share).floor("D")
        if date <= first:  # every case begun on the first day: split at the exact moment
            date = starts.quantile(share)
    before = int((starts < date).sum())
    after = len(starts) - before
    if min(before, after) < MIN_CASES:
        side = "learn from" if before < after else "test on"
        raise PlannerError(f"Splitting at {date} leaves {min(before, after)} cases to {side} "
                           f"({span}); each side needs at least {MIN_CASES}. Split nearer "
                           f"the middle, e.g. --split-date {suggestion:%Y-%m-%d}.")
    return date


def _parse_date(value: str | pd.Timestamp) -> pd.Timestamp:
    try:
        date = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise PlannerError(f"--split-date {value!r} is not a date ({exc}); write it like "
                           "2024-09-01.") from None
    if date is pd.NaT:
        raise PlannerError("--split-date is empty; write it like 2024-09-01.")
    if date.tzinfo is not None:  # the log's times are local wall-clock times
        date = date.tz_localize(None)
    return date


def split_log(log: EventLog, split: float | None = None,
              split_date: str | pd.Timestamp | None = None) -> Holdout:
    """Split ``log`` at ``split_date`` (or at the share ``split`` of its cases, default 0.7)."""
    date = resolve_split_date(log, split, split_date)
    starts = case_starts(log)
    train_ids = starts.index[starts < date]
    test_ids = starts.index[starts >= date]
    return Holdout(split_date=date, train=training_log(log, date), test=cases_of(log, test_ids),
                   log_start=starts.min(), log_end=log_end(log), train_cases=len(train_ids),
                   test_cases=len(test_ids))


def training_log(log: EventLog, split_date: pd.Timestamp) -> EventLog:
    """The log as exported on ``split_date``: cases begun before it, events finished by it;
    a case with events after it was still open then, so its outcome is unknown."""
    events = log.events
    starts = case_starts(log)
    begun = events[CASE_ID].isin(starts.index[starts < split_date]).to_numpy()
    ends = wall_clock(events[END]).fillna(wall_clock(events[START]))
    finished = (ends <= split_date).to_numpy()
    kept = events[begun & finished].reset_index(drop=True)
    cut = pd.Index(events.loc[begun & ~finished, CASE_ID].unique())
    ids = pd.Index(kept[CASE_ID].unique())
    cases = log.cases.loc[log.cases.index.isin(ids)].copy()
    for column in (OUTCOME, LOST_REASON):
        if column in cases:
            cases[column] = cases[column].astype(object)
            cases.loc[cases.index.isin(cut), column] = None
    meta = replace(log.meta, holdout=f"cases begun before {split_date}, events up to it")
    return replace(log, events=kept, cases=cases, meta=meta)


def case_ids(log: EventLog) -> pd.Index:
    """The ids of the cases with events in ``log``."""
    return pd.Index(log.events[CASE_ID].unique())


def cases_of(log: EventLog, ids: pd.Index) -> EventLog:
    """The log restricted to the cases ``ids`` (all their events)."""
    events = log.events[log.events[CASE_ID].isin(ids)].reset_index(drop=True)
    cases = log.cases.loc[log.cases.index.isin(ids)]
    return replace(log, events=events, cases=cases)


def begun_between(log: EventLog, first: pd.Timestamp, until: pd.Timestamp) -> EventLog:
    """The cases whose first event starts in [first, until]: the comparison's rule, applied
    alike to the real and the simulated test period."""
    starts = case_starts(log)
    return cases_of(log, starts.index[(starts >= first) & (starts <= until)])


def split_by_end(log: EventLog, share: float) -> tuple[EventLog, EventLog]:
    """The split of the published BPS-discovery comparisons (Chapela-Campa et al.; the
    AgentSimulator evaluation): activity instances ordered by end time, the first ``share``
    of them train, the rest test, and a case with instances on both sides dropped from both.
    """
    ends = wall_clock(log.events[END]).fillna(wall_clock(log.events[START]))
    order = ends.to_numpy().argsort(kind="stable")
    in_train = pd.Series(False, index=log.events.index)
    in_train.iloc[order[: round(share * len(order))]] = True
    sides = in_train.groupby(log.events[CASE_ID].to_numpy()).agg(["min", "max"])
    train_ids = sides.index[sides["min"]]
    test_ids = sides.index[~sides["max"]]
    return cases_of(log, train_ids), cases_of(log, test_ids)
