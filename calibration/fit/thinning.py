"""Does the log hold only the cases that had finished when it was taken?

Many exports keep closed records only ("won and lost opportunities"), and a log cut for a
test drops the cases still running at the cut. Then a case begun ``x`` before the end of
the log is there only if it took less than ``x``: the arrivals seen near the end are the
true ones times ``F(x)``, the share of cases that finish within ``x``. Read naively, that
looks like business collapsing in the last weeks, and a trend learned from it plans on too
few new cases.

The test sets two explanations of the arrival times against each other, each with its best
monthly trend: a rate ``a·exp(g·t)`` (a full export), and the same rate thinned by
``F(end - t)`` (finished cases only). ``F`` is the duration of the cases begun in the log's
first half, which nearly all had time to finish either way. The thinned reading is taken
when it explains the times clearly better (``EVIDENCE`` log-likelihood units; both have one
free parameter) and the log does not plainly keep open cases (a shrinking business thins
its last months too). Then arrivals are counted only until ``end - D``, where
``F(D) = QUANTILE``, each weighted ``1 / F(end - t)``: a Horvitz-Thompson count of the
cases that would have been there (Horvitz & Thompson 1952; the same inverse-probability
idea corrects the right-truncated arrivals of reporting-delay models, e.g. Lawless 1994).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from calibration.completion import end_activities
from calibration.fit.prepared import PreparedLog

EVIDENCE = 5.0  # log-likelihood units the thinned reading must win by (odds of ~150:1)
QUANTILE = 0.9  # arrivals are counted until the end minus this quantile of case durations
MIN_CASES = 50  # finished cases needed to know the duration distribution
OPEN_SHARE = 0.05  # open cases, of those begun in the thinned stretch, that rule thinning out
GRID = 4000
MONTH = 30.44 * 86400.0


@dataclass(frozen=True)
class Thinning:
    """Finished cases only: ``durations`` (sorted seconds) give ``F``; ``log_end`` the cut."""

    durations: np.ndarray
    log_end: float
    evidence: float  # log-likelihood units by which the thinned reading wins

    def share_finished(self, times: np.ndarray) -> np.ndarray:
        """``F(end - t)``: the share of cases begun at ``t`` that finished by the end."""
        n = len(self.durations)  # floored at half a case: no start is impossible
        return np.maximum(np.searchsorted(self.durations, self.log_end - times,
                                          side="right"), 0.5) / n

    @property
    def count_until(self) -> float:
        """The last start time counted: the end minus the ``QUANTILE`` case duration."""
        return self.log_end - float(np.quantile(self.durations, QUANTILE))


def finished_only(log: PreparedLog, times: np.ndarray, start: float,
                  end: float) -> Thinning | None:
    """The thinning of the arrival ``times`` (seen on [start, end]), if the log shows it."""
    durations = _early_durations(log)
    if len(durations) < MIN_CASES or len(times) < MIN_CASES:
        return None
    thinning = Thinning(np.sort(durations), float(log.end.max()), 0.0)
    grid = np.linspace(start, end, GRID)
    full = _best_loglik(times, grid, np.ones(GRID), np.ones(len(times)))
    thinned = _best_loglik(times, grid, thinning.share_finished(grid),
                           thinning.share_finished(times))
    evidence = thinned - full
    if evidence < EVIDENCE or thinning.count_until <= start or _holds_open_cases(
            log, times, thinning.count_until):
        return None
    return Thinning(thinning.durations, thinning.log_end, float(evidence))


def keeps_open_cases(log: PreparedLog, times: np.ndarray) -> bool:
    """Whether the log plainly keeps its unfinished cases (``_holds_open_cases``) in the
    stretch a finished-only export would thin: the cases begun within the ``QUANTILE`` case
    duration of its end. Only such a log shows its latest arrivals as they came."""
    durations = _early_durations(log)
    if len(durations) < MIN_CASES:
        return False
    return _holds_open_cases(log, times, float(log.end.max()) - float(np.quantile(
        durations, QUANTILE)))


def _holds_open_cases(log: PreparedLog, times: np.ndarray, since: float) -> bool:
    """Whether the log plainly keeps unfinished cases: it has activities that end cases, so
    open ones are known, and they are at least ``OPEN_SHARE`` of the cases begun in the
    stretch a finished-only export would thin. Such a log is a full export, whatever the
    shape of its arrivals (a business that shrinks looks thinned too)."""
    if not end_activities(log.events):
        return False
    return int(log.open_case.sum()) >= OPEN_SHARE * max(int((times > since).sum()), 1)


def _early_durations(log: PreparedLog) -> np.ndarray:
    """Durations (seconds) of the closed cases begun in the first half of the log."""
    first, last = log.case_span
    middle = (log.start.min() + log.end.max()) / 2.0
    keep = (first < middle) & ~log.open_case & ~log.left_censored
    return (last - first)[keep]


def _best_loglik(times: np.ndarray, grid: np.ndarray, grid_weight: np.ndarray,
                 time_weight: np.ndarray) -> float:
    """The largest log-likelihood of ``times`` under the density ∝ exp(g·t)·weight(t)."""
    months = (times - grid[0]) / MONTH
    grid_months = (grid - grid[0]) / MONTH
    log_weights = np.log(time_weight).sum()

    def negative(g: float) -> float:
        normaliser = np.trapezoid(np.exp(g * grid_months) * grid_weight, grid_months)
        return -(g * months.sum() + log_weights - len(times) * np.log(normaliser))

    best = optimize.minimize_scalar(negative, bounds=(-1.0, 1.0), method="bounded")
    return float(-best.fun)
