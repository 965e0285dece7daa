"""The bundled sample with its whole history, as the CRM's tables would hold it.

The bundled log shows only the events inside its window (from 2024-01-01); a CRM export
holds the records of the cases begun earlier too, with their creation dates. The generator
is deterministic, so running it again gives every event, the window's and the earlier ones;
it runs once per seed and process, and every caller gets its own copy of the tables.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pandas as pd

from calibration.sample import truth
from calibration.sample.generator import SampleGenerator
from sim.eventlog import AMOUNT, CASE_ID, DISCOUNT, END, LOST_REASON, OUTCOME, START

WINDOW_START = pd.Timestamp(truth.LOG_START)


def full_sample(seed: int = truth.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, cases) of the sample without the window's cut, times as in the bundled log."""
    events, cases = _generated(seed)
    return events.copy(), cases.copy()


@functools.cache
def _generated(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The generator run once for ``seed`` (callers get copies from ``full_sample``)."""
    generator = SampleGenerator(seed)
    generator.run()
    events = pd.DataFrame(generator.events, columns=[CASE_ID, "activity", START, END,
                                                     "resource", "stage"])
    offset = truth.WARMUP_DAYS * truth.DAY
    for column in (START, END):
        events[column] = WINDOW_START + pd.to_timedelta((events[column] - offset).round(),
                                                        unit="s")
    events = events.sort_values([CASE_ID, START, END], kind="stable").reset_index(drop=True)
    cases = pd.DataFrame([{CASE_ID: c.case_id, OUTCOME: c.outcome, LOST_REASON: c.lost_reason,
                           **c.attributes} for c in generator.cases]).set_index(CASE_ID)
    return events, cases.loc[events[CASE_ID].unique()]


def billed(case: Mapping[str, object]) -> float:
    """What the sample invoices (and is paid) for a won deal: its amount less its discount."""
    return round(float(str(case[AMOUNT])) * (1 - float(str(case[DISCOUNT]))), 2)
