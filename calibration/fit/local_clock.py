"""Is the log's clock blind to summer time while its people are not?

If the log is in UTC (or in standard time all year) and its people work by a local clock that
goes forward in summer, their working hours read an hour earlier from the switch in spring
until the switch in autumn. The test compares two readings of the weekday hours at which work
starts and ends: as written, and with an hour added in a rule's summer. Each is scored by how
well one time-of-day histogram (15-minute bins) explains all the times; the right reading
fits both seasons with the same working day, so its histogram is sharper. A rule is taken
when it wins by ``MIN_GAIN_PER_TIME`` per time and ``MIN_GAIN`` in all (a log with no such
shift loses sharpness when shifted, so the test is not fooled by chance), and each season
holds at least ``MIN_SEASON_SHARE`` of the times.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from calibration.fit.prepared import wall_clock
from sim.eventlog import END, START, EventLog
from sim.summer_time import RULES, in_summer, to_local

BINS_PER_DAY = 96
MIN_GAIN = 20.0  # log-likelihood units
MIN_GAIN_PER_TIME = 0.01
MIN_SEASON_SHARE = 0.05
MIN_TIMES = 500


@dataclass(frozen=True)
class SummerShift:
    """The rule the log's people keep, and how clearly it sharpens their working day."""

    rule: str
    gain_per_time: float


def find_summer_shift(log: EventLog) -> SummerShift | None:
    """The summer-time rule the working hours follow on the log's clock, if one shows."""
    times = _weekday_times(log)
    if len(times) < MIN_TIMES:
        return None
    hours = (times.dt.hour + times.dt.minute / 60.0 + times.dt.second / 3600.0).to_numpy()
    as_written = _histogram_loglik(hours)
    best: SummerShift | None = None
    for rule in RULES:
        summer = in_summer(times, rule)
        if min(summer.mean(), 1.0 - summer.mean()) < MIN_SEASON_SHARE:
            continue
        gain = _histogram_loglik((hours + summer) % 24.0) - as_written
        if gain >= MIN_GAIN and gain / len(hours) >= MIN_GAIN_PER_TIME and (
                best is None or gain / len(hours) > best.gain_per_time):
            best = SummerShift(rule, gain / len(hours))
    return best


def on_local_clock(log: EventLog, rule: str | None) -> EventLog:
    """The log with its times moved to the local clock of ``rule`` (unchanged for None)."""
    if rule is None:
        return log
    events = log.events.copy()
    for column in (START, END):
        events[column] = to_local(events[column], rule)
    return replace(log, events=events)


def _weekday_times(log: EventLog) -> pd.Series:
    times = wall_clock(pd.concat([log.events[START], log.events[END]],
                                 ignore_index=True).dropna())
    return times[times.dt.dayofweek < 5].reset_index(drop=True)


def _histogram_loglik(hours: np.ndarray) -> float:
    """Log-likelihood of the times under their own time-of-day histogram."""
    counts = np.bincount((hours * BINS_PER_DAY / 24.0).astype(np.int64) % BINS_PER_DAY,
                         minlength=BINS_PER_DAY).astype(float)
    seen = counts[counts > 0]
    return float((seen * np.log(seen / counts.sum())).sum())
