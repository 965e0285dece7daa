"""Like with like in time resolution: a log with dates only (no time of day) is compared
with a simulation whose timestamps are cut to the day as well.

Otherwise every simulated duration would be continuous against whole days in the history
(a bias of up to half a day per duration), and the circadian distance would compare the
simulation's hours with the history's constant midnight.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from calibration.evaluate.split import wall_clock
from sim.eventlog import END, START, EventLog


def dates_only(log: EventLog) -> bool:
    """Every timestamp of the log is at midnight."""
    times = pd.concat([wall_clock(log.events[START]), wall_clock(log.events[END]).dropna()])
    return bool(len(times)) and bool((times == times.dt.normalize()).all())


def to_days(log: EventLog) -> EventLog:
    """The log with every timestamp cut to the start of its day."""
    events = log.events.copy()
    for column in (START, END):
        events[column] = events[column].dt.floor("D")
    return replace(log, events=events)
