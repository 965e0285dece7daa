"""Small hand-made event logs for tests: rows of (case, activity, start, end[, resource])."""

from __future__ import annotations

import pandas as pd

from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog


def event_log(rows: list[tuple], name: str = "event log") -> EventLog:
    """The rows as an event log sorted by case and start, with no case attributes."""
    columns = [CASE_ID, ACTIVITY, START, END, RESOURCE][:len(rows[0])]
    events = pd.DataFrame(rows, columns=columns).sort_values([CASE_ID, START])
    events = events.reset_index(drop=True)
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    return EventLog(events, cases, name=name)
