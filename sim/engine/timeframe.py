"""When a run happens: the anchor, the start, the warm-up, the horizon, and real timestamps.

Simulated time is seconds since the *anchor*, the Monday 00:00 on or before the first
arrival (the start minus the warm-up), because calendars and the arrival profile are weekly
and start on a Monday. The run's clock is the wall clock of the model's time zone: people
work 9-17 local time. Timestamps are the anchor plus the seconds, rounded to the second, and
carry the model's time zone when it has one ("Europe/Berlin", or an offset like "+09:00").
A model whose log's clock ignores summer time (``summer_time``) runs on the local clock and
gives its timestamps back on the log's clock; a ``start`` is read on the log's clock too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calendar import DAY
from sim.errors import PlannerError
from sim.model import ProcessModel
from sim.summer_time import to_local, to_log_clock

CAP_DAYS = 5 * 365.0  # a run of ``cases`` stops this long after the last arrival
ARRIVAL_CAP_YEARS = 100  # and arrivals stop after this long, however few came
ARRIVAL_CAP_DAYS = ARRIVAL_CAP_YEARS * 365.0
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?")


@dataclass(frozen=True)
class TimeFrame:
    """The moments of one run, in seconds since ``anchor`` (a naive wall-clock Monday)."""

    anchor: pd.Timestamp
    start: float  # where the output begins; arrivals before it are the warm-up's
    arrivals_from: float
    arrivals_until: float
    horizon: float  # nothing after it is simulated
    cases: int | None
    timezone: str | None
    summer_time: str | None = None

    @property
    def tz(self) -> dt.tzinfo | str | None:
        return zone(self.timezone)

    def timestamps(self, seconds: np.ndarray) -> pd.DatetimeIndex:
        """Wall-clock timestamps of simulated seconds, rounded to the second."""
        nanos = self.anchor.value + np.round(np.asarray(seconds, float)).astype(np.int64) * 10**9
        stamps = to_log_clock(pd.DatetimeIndex(nanos.astype("datetime64[ns]")),
                              self.summer_time)
        return localise(stamps, self.timezone)

    def timestamp(self, seconds: float) -> pd.Timestamp:
        return self.timestamps(np.array([seconds]))[0]


def zone(name: str | None) -> dt.tzinfo | str | None:
    """A fixed offset for "+09:00"-like names, else the name (an IANA zone) itself."""
    if name is None:
        return None
    match = _OFFSET.fullmatch(name.strip())
    if match is None:
        return name
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    offset = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-offset if sign == "-" else offset)


def localise(stamps: pd.DatetimeIndex, name: str | None) -> pd.DatetimeIndex:
    """Attach the model's zone to wall-clock times; a skipped hour (spring DST) moves
    forward, a repeated one (autumn) reads as standard time."""
    tz = zone(name)
    if tz is None:
        return stamps
    try:
        return stamps.tz_localize(tz, nonexistent="shift_forward",
                                  ambiguous=np.zeros(len(stamps), dtype=bool))
    except (ValueError, KeyError) as exc:
        raise PlannerError(f"The model's timezone {name!r} is not a known time zone ({exc}); "
                           "use an IANA name like 'Europe/Berlin' or an offset like "
                           "'+09:00'.") from None


def wall_clock(value: str | pd.Timestamp, timezone: str | None, what: str) -> pd.Timestamp:
    """``value`` as a naive timestamp on the model's wall clock."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise PlannerError(f"{what} {value!r} is not a date or time ({exc}); write it like "
                           "'2024-01-01' or '2024-01-01 09:00'.") from None
    if stamp is pd.NaT:
        raise PlannerError(f"{what} is empty; give a date like '2024-01-01'.")
    if stamp.tzinfo is not None:
        tz = zone(timezone)
        stamp = (stamp.tz_convert(tz) if tz is not None else stamp).tz_localize(None)
    return stamp


def time_frame(model: ProcessModel, *, cases: int | None, days: float | None,
               start: str | pd.Timestamp | None, warmup_days: float) -> TimeFrame:
    """Resolve and check the run's moments (a ``cases`` run gets its horizon later)."""
    if cases is None and days is None:
        raise PlannerError("Say how long to simulate: give cases (a number of new cases) "
                           "or days (a period).")
    if cases is not None and (isinstance(cases, bool) or not isinstance(cases, int | np.integer)
                              or cases < 1):
        raise PlannerError(f"cases must be a whole number >= 1 (got {cases!r}).")
    for name, value, low in (("days", days, 0.0), ("warmup_days", warmup_days, -1.0)):
        if value is not None and not (isinstance(value, int | float) and math.isfinite(value)
                                      and value > low):
            bound = "> 0" if low == 0 else ">= 0"
            raise PlannerError(f"{name} must be a number {bound} (got {value!r}).")
    if start is None:
        begin = wall_clock(model.provenance.period_start, model.timezone,
                           "The model's provenance.period_start").normalize()
    else:
        begin = to_local(pd.Series([wall_clock(start, model.timezone, "start")]),
                         model.summer_time).iloc[0]
    first = begin - pd.Timedelta(days=warmup_days)
    anchor = first.normalize() - pd.Timedelta(days=first.weekday())
    start_s = (begin - anchor).total_seconds()
    from_s = (first - anchor).total_seconds()
    if days is not None:
        horizon = start_s + days * DAY
        until = horizon
    else:
        until = from_s + ARRIVAL_CAP_DAYS * DAY
        horizon = math.inf  # set when the last arrival is known
    return TimeFrame(anchor=anchor, start=start_s, arrivals_from=from_s, arrivals_until=until,
                     horizon=horizon, cases=None if cases is None else int(cases),
                     timezone=model.timezone, summer_time=model.summer_time)
