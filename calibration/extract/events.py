"""The last step of every extraction: the window, the marks on approximated times, the order.

Every extractor hands over its events in one frame (canonical columns plus how each time
was found and a rank that orders events of one case at the same moment). Events before
``--since`` are removed and counted; each event's ``time_source`` says "as recorded" or how
its time was approximated, so the mark travels with the log into every later step.
"""

from __future__ import annotations

import pandas as pd

from calibration.extract.report import ExtractionReport
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, STAGE, START

APPROXIMATED = "approximated"  # how the time was approximated; None when recorded
RANK = "rank"
TIME_SOURCE = "time_source"
AS_RECORDED = "as recorded"
COLUMNS = [CASE_ID, ACTIVITY, START, END, RESOURCE, STAGE, APPROXIMATED, RANK]


def finish(events: pd.DataFrame, since: pd.Timestamp | None, report: ExtractionReport
           ) -> pd.DataFrame:
    """Events in canonical columns plus ``time_source``, ordered, counted in the report."""
    if since is not None:
        early = events[END] < since
        if early.any():
            report.events_left_out[f"before --since {since:%Y-%m-%d}"] += int(early.sum())
        events = events.loc[~early]
    marked = events[APPROXIMATED].notna()
    report.approximated.update((events.loc[marked, ACTIVITY] + ": "
                                + events.loc[marked, APPROXIMATED]).value_counts().to_dict())
    report.events.update(events[ACTIVITY].value_counts().to_dict())
    events = events.sort_values([CASE_ID, END, RANK], kind="stable")
    events = events.assign(**{TIME_SOURCE: ("approximated " + events[APPROXIMATED]).where(
        marked, AS_RECORDED)})
    return events[[CASE_ID, ACTIVITY, START, END, RESOURCE, STAGE, TIME_SOURCE]].reset_index(
        drop=True)
