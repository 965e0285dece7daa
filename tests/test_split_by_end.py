"""The published protocol's split: instances ordered by end time, straddling cases dropped."""

from __future__ import annotations

import pandas as pd

from calibration.evaluate.split import split_by_end
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog


def test_cases_on_both_sides_of_the_cut_are_dropped_from_both():
    hours = {"a": (0, 1, 2), "b": (3, 4, 12), "c": (13, 14, 15), "d": (5, 16, 17)}
    rows = [(case, f"x{i}", pd.Timestamp("2024-01-01") + pd.Timedelta(hours=h))
            for case, stamps in hours.items() for i, h in enumerate(stamps)]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, END])
    events[START] = events[END] - pd.Timedelta(minutes=30)
    cases = pd.DataFrame(index=pd.Index(sorted(hours), name=CASE_ID))
    train, test = split_by_end(EventLog(events, cases), 0.5)
    # 12 instances by end time: the first 6 end by hour 5, so "a" trains; "b" (3, 4 | 12)
    # and "d" (5 | 16, 17) straddle the cut and are dropped; "c" tests
    assert sorted(train.events[CASE_ID].unique()) == ["a"]
    assert sorted(test.events[CASE_ID].unique()) == ["c"]
    assert list(test.cases.index) == ["c"]
    assert len(train.events) == 3 and len(test.events) == 3
