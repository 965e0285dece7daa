"""The recent past repeated: how far the test period lies from the weeks just before it.

A model learned before the split can at best plan on the process as it ran then. When the
real process changed after the split (a new rule, a season, a backlog that keeps growing),
no such model can come near the noise floor, and the report should say so instead of
leaving the user to blame the model. So the same distances are measured between the real
test cases and the real cases begun in as many whole weeks just before the split, moved
forward by those weeks (so weekdays and hours line up) with all their events as the whole log
holds them and cut at the end of the log like the test cases. Where the model is no farther
from the test period than that, the miss is the process changing, not the model; the idea is
the persistence (naive) forecast that forecasters judge a model against (Hyndman &
Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., 5.2).

It reads the test period's neighbours from the whole log, so it is a yardstick for the
report only: nothing of it reaches the model.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from calibration.evaluate.split import begun_between, case_ids, case_starts, cases_of
from calibration.fit.prepared import wall_clock
from sim.eventlog import CASE_ID, END, START, EventLog

MIN_CASES = 10  # fewer cases in the weeks before the split: no yardstick


def recent_past(log: EventLog, start: pd.Timestamp, finish_by: pd.Timestamp,
                end: pd.Timestamp, finished_only: bool = False) -> EventLog | None:
    """The cases of ``log`` begun in the whole weeks before ``start`` that the compared
    period (cases begun from ``start`` to ``finish_by``, seen until ``end``) spans, shifted
    onto it and cut at ``end`` (``finished_only``: only the cases finished by then, as a log
    of finished cases shows them); None when the log does not reach that far back or holds
    too few cases there."""
    shift = pd.Timedelta(weeks=math.ceil((end - start) / pd.Timedelta(weeks=1)))
    if start - shift < case_starts(log).min():
        return None
    past = begun_between(log, start - shift, finish_by - shift)
    if past.n_cases < MIN_CASES:
        return None
    events = past.events.copy()
    for column in (START, END):
        events[column] = events[column] + shift
    events = events[wall_clock(events[START]) <= end].reset_index(drop=True)
    moved = replace(past, events=events)
    if finished_only:
        done = wall_clock(events[END]).groupby(events[CASE_ID]).max() <= end
        moved = cases_of(moved, case_ids(moved).intersection(done.index[done]))
    return moved
