"""Summer time on a clock that does not keep it.

CRM systems store times in UTC (Dataverse does, and so do most exports), while the people
behind them work 9-17 local time. Where the clocks go forward in summer, the same working day
then reads an hour earlier in summer than in winter, and calendars learned from the whole log
smear that hour over both seasons. A model that knows the rule works on the local clock
(the log's time plus an hour in summer) and gives its timestamps back on the log's clock.

The rules are the ones in force since 2007: the European Union's (last Sunday of March to the
last Sunday of October, switching at 01:00 UTC) and North America's (second Sunday of March
to the first Sunday of November, at 02:00 local, taken as 07:00 on the log's clock), with
North America's rule before 2007 (first Sunday of April to the last Sunday of October).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd

SummerRule = Literal["EU", "NA"]
ONE_HOUR = pd.Timedelta(hours=1)


def _sundays(year: int, month: int) -> pd.DatetimeIndex:
    days = pd.date_range(pd.Timestamp(year, month, 1), periods=pd.Timestamp(year, month, 1)
                         .days_in_month, freq="D")
    return days[days.dayofweek == 6]


def _european(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return _sundays(year, 3)[-1] + ONE_HOUR, _sundays(year, 10)[-1] + ONE_HOUR


def _north_american(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    if year >= 2007:
        return _sundays(year, 3)[1] + 7 * ONE_HOUR, _sundays(year, 11)[0] + 6 * ONE_HOUR
    return _sundays(year, 4)[0] + 7 * ONE_HOUR, _sundays(year, 10)[-1] + 6 * ONE_HOUR


RULES: dict[str, Callable[[int], tuple[pd.Timestamp, pd.Timestamp]]] = {
    "EU": _european, "NA": _north_american}


def in_summer(times: pd.Series | pd.DatetimeIndex, rule: str) -> np.ndarray:
    """Whether each naive time (on the log's clock) falls in the rule's summer."""
    values = pd.DatetimeIndex(times).to_numpy(dtype="datetime64[ns]")
    summer = np.zeros(len(values), dtype=bool)
    valid = ~np.isnat(values)
    if not valid.any():
        return summer
    years = pd.DatetimeIndex(values[valid]).year
    for year in range(int(years.min()), int(years.max()) + 1):
        begin, end = RULES[rule](year)
        summer |= valid & (values >= begin.to_datetime64()) & (values < end.to_datetime64())
    return summer


def to_local(times: pd.Series, rule: str | None) -> pd.Series:
    """Log clock -> local clock: an hour later in summer."""
    if rule is None:
        return times
    return times + pd.to_timedelta(in_summer(times, rule).astype(np.int64), unit="h")


def to_log_clock(times: pd.DatetimeIndex, rule: str | None) -> pd.DatetimeIndex:
    """Local clock -> log clock: an hour earlier in summer."""
    if rule is None:
        return times
    back = times - ONE_HOUR
    return times - pd.to_timedelta(in_summer(back, rule).astype(np.int64), unit="h")
