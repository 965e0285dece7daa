"""Whether a log holds finished cases only (a closed-cases export), and so how to compare.

Many CRM exports list closed opportunities only, and some published logs keep only the cases
that had ended. Such a log is not a snapshot: a case begun shortly before the export is in
it only if it was quick, so its latest cases are a selection of short ones. A simulation of
that period is compared the same way: its cases still running at the end of the log are left
out, as the export left out the real ones; otherwise the simulation is blamed for long,
unfinished cases that the real log hides.

Told from the log itself: in a snapshot, a case begun a little before the end is still open
with the chance that a case lasts that long (Kaplan-Meier over the log's case durations,
open cases censored at their age). Summed over the cases begun within the log's P90 case
duration of its end, that is how many open cases a snapshot would show. A log showing at
most a fifth of them (the rest are cases that stopped at an unusual last step), and
significantly fewer (Poisson, p < 0.01), either holds finished cases only or saw its latest
cases all finish quickly (the process sped up). The two differ in how many cases begin in
that period: an export that leaves the open ones out has about that many fewer than the
period of the same length before it (within two Poisson standard deviations); a process
that sped up does not. A log shorter than two such periods cannot tell them apart.
Calibration asks the same of a whole log to count its new cases (``calibration.fit.thinning``,
off the shape of the arrivals); the comparison asks it of the compared part, which shows its
open cases directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from calibration.completion import open_case_ids
from calibration.fit.calibrate import Note
from calibration.fit.prepared import wall_clock
from calibration.survival import km_quantile, still_running
from sim.eventlog import CASE_ID, END, START, EventLog

HORIZON_QUANTILE = 0.9  # cases begun within this quantile of case durations of the end ...
MAX_SHARE = 0.2  # ... show at most this share of the open cases a snapshot would show ...
ALPHA = 0.01  # ... significantly fewer (one-sided Poisson test)
MIN_EXPECTED = 5.0  # fewer open cases expected in a snapshot: the log cannot tell
SLACK_SD = 2.0  # the recent cases may exceed the count an export leaves by this many SDs


@dataclass(frozen=True)
class ClosedExport:
    """The evidence that a log holds finished cases only."""

    recent_cases: int  # begun within ``horizon_days`` of the log's end
    open_cases: int  # of those, still open
    expected_open: float  # ... in a snapshot of the same process
    horizon_days: float

    def note(self) -> Note:
        """The evidence, for the report's notes in the user's language."""
        return Note("closed_export", {
            "recent": f"{self.recent_cases:,}", "days": f"{self.horizon_days:.0f}",
            "open": f"{self.open_cases:,}", "expected": f"{self.expected_open:.0f}"})


def closed_export(log: EventLog) -> ClosedExport | None:
    """The evidence that ``log`` holds finished cases only; None for a snapshot (or a log
    too small to tell)."""
    events = log.events
    if events.empty:
        return None
    ends = wall_clock(events[END]).fillna(wall_clock(events[START]))
    by_case = ends.groupby(events[CASE_ID].to_numpy())
    first = wall_clock(events[START]).groupby(events[CASE_ID].to_numpy()).min()
    last = by_case.max()
    is_open = first.index.isin(open_case_ids(events))
    age = ((ends.max() - first) / np.timedelta64(1, "s")).to_numpy()
    duration = ((last - first) / np.timedelta64(1, "s")).to_numpy()
    times, seen = np.where(is_open, age, duration), ~is_open
    horizon = km_quantile(times, seen, HORIZON_QUANTILE)
    recent = age < horizon
    expected = float(still_running(times, seen, age[recent]).sum())
    observed = int(is_open[recent].sum())
    if expected < MIN_EXPECTED or observed > MAX_SHARE * expected:
        return None
    if stats.poisson.cdf(observed, expected) >= ALPHA:
        return None
    if not _missing_from_count(age, horizon, int(recent.sum()), expected):
        return None
    return ClosedExport(recent_cases=int(recent.sum()), open_cases=observed,
                        expected_open=expected, horizon_days=horizon / 86400.0)


def _missing_from_count(age: np.ndarray, horizon: float, recent: int, missing: float) -> bool:
    """Whether the cases begun within ``horizon`` of the end are as few as an export that
    left out ``missing`` open ones would show, by the rate of the period before them."""
    if float(age.max()) < 2 * horizon:  # no whole period before them to compare with
        return False
    snapshot = float(np.sum((age >= horizon) & (age < 2 * horizon)))
    return recent <= snapshot - missing + SLACK_SD * np.sqrt(snapshot)
