"""Which test cases are compared, and how long the simulation warms up.

A case begun just before the end of the log has had no time to finish: its cycle time would
be cut short in the history and in the simulation alike, but by chance, not by the model.
So both sides keep only the cases begun between the split date and ``finish_by``: the end of
the log minus the training period's P90 case duration (at most half the test period, so
long-running processes still leave cases to compare). The simulation starts a warm-up
before the split date so the work in progress open on that date is there; warm-up cases are
dropped by the engine, and the cases compared on both sides are those begun in the window.
When the log holds finished cases only (``closed_export``), so does the simulation's side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.evaluate.closed_export import ClosedExport, closed_export
from calibration.evaluate.split import Holdout, case_starts
from calibration.fit.prepared import prepare
from sim.eventlog import EventLog

TAIL = 0.9  # the case-duration quantile a compared case must have had time for
MAX_ALLOWANCE_SHARE = 0.5  # ... but at most this share of the test period
MIN_WARMUP_DAYS = 30.0
MAX_WARMUP_DAYS = 365.0


@dataclass(frozen=True)
class Window:
    """The compared period: cases begun in [start, finish_by], observed until ``end``."""

    start: pd.Timestamp  # the split date
    finish_by: pd.Timestamp
    end: pd.Timestamp
    allowance_days: float  # end - finish_by
    case_p90_days: float  # training P90 case duration (finished cases)
    warmup_days: float
    last_case_start: bool = False  # finish_by is the log's last case start (no case later)
    closed: ClosedExport | None = None  # the log holds finished cases only: so do the runs

    @property
    def days(self) -> float:
        return (self.end - self.start) / pd.Timedelta(days=1)

    @property
    def capped(self) -> bool:
        """The allowance is half the test period, shorter than the P90 case duration."""
        return self.allowance_days < self.case_p90_days - 1e-9

    def describe(self) -> str:
        capped = "; capped at half the test period" if self.capped else ""
        return (f"The model is simulated from {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d} "
                f"after a {self.warmup_days:.0f}-day warm-up (arrivals from "
                f"{self.start - pd.Timedelta(days=self.warmup_days):%Y-%m-%d}, left out), so "
                "the work in progress open at the split date is there. Compared on both "
                f"sides: cases begun from {self.start:%Y-%m-%d} to {self.finish_by:%Y-%m-%d}, "
                f"that is at least {self.allowance_days:.1f} days before the end of the log "
                f"(the training period's P90 case duration, {self.case_p90_days:.1f} days"
                f"{capped}), so they had time to finish"
                + (", and no later than the last case start in the log (it admits no later "
                   "case, so neither does the simulation)." if self.last_case_start else "."))


def case_p90_days(train: EventLog) -> float:
    """P90 duration (days) of the training cases that finished and began inside the log."""
    prepared = prepare(train)
    first, last = prepared.case_span
    keep = ~(prepared.open_case | prepared.left_censored)
    durations = ((last - first) / 86400.0)[keep]
    return float(np.quantile(durations, TAIL)) if len(durations) else 0.0


def comparison_window(holdout: Holdout, warmup_days: float | None = None) -> Window:
    """The window and warm-up for ``holdout`` (``warmup_days`` None: the training P90 case
    duration, between 30 and 365 days)."""
    p90 = case_p90_days(holdout.train)
    allowance = min(p90, MAX_ALLOWANCE_SHARE * holdout.test_days)
    last_start = case_starts(holdout.test).max()
    finish_by = min(holdout.log_end - pd.Timedelta(days=allowance), last_start)
    warmup = (float(np.clip(p90, MIN_WARMUP_DAYS, MAX_WARMUP_DAYS)) if warmup_days is None
              else float(warmup_days))
    return Window(start=holdout.split_date,
                  finish_by=finish_by, end=holdout.log_end, allowance_days=allowance,
                  case_p90_days=p90, warmup_days=warmup,
                  last_case_start=finish_by == last_start, closed=closed_export(holdout.test))
