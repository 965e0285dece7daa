"""When new cases start: an hourly rate over the week, with a monthly trend if there is one.

Leads come in on weekday office hours far more than at night, and a growing business gets
more of them every month. The rate of each hour of the week is the number of cases that
began in it divided by how many such hours the log covers, after taking the trend out;
the trend is a Poisson regression of monthly counts on time, kept only when a likelihood
ratio test says it is real. Cases that began before the log are not arrivals, and a log
exported as "the cases opened in 2016, with their events until February" covers arrivals
until its last new case only. A log of finished cases only shows too few arrivals near its
end (``thinning``): they are counted until that part begins, each weighted by how likely a
case begun then was to be kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from calibration.fit.prepared import PreparedLog
from calibration.fit.thinning import finished_only
from calibration.fit_durations import fit_duration
from sim.calendar import HOUR, HOURS_PER_WEEK, WEEK
from sim.model import Arrivals

AVERAGE_MONTH = 30.44 * 86400.0
TREND_P_VALUE = 0.01
MIN_MONTHS = 3  # a trend is tested on at least this many months (the test guards the rest)
STOPPED_EXPECTED = 10.0  # arrivals a silent tail would have had at the usual rate: stopped


class ArrivalFitter:
    """``arrivals_`` the fitted Arrivals; ``trend`` False keeps the volume level (no trend
    tested)."""

    def __init__(self, trend: bool = True) -> None:
        self.trend = trend

    def fit(self, log: PreparedLog) -> ArrivalFitter:
        firsts = log.first_in_case & ~log.left_censored[log.case]
        times = np.sort(log.start[firsts])
        window_start = float(np.floor(log.start.min() / 86400.0) * 86400.0)
        window_end = _arrivals_end(times, window_start, float(log.end.max()))
        counts = _monthly_counts(log, times)
        self.thinning_ = finished_only(log, times, window_start, window_end)
        counted = np.ones(len(times))
        if self.thinning_ is not None:
            window_end = min(window_end, self.thinning_.count_until)
            times = times[times <= window_end]
            counted = 1.0 / self.thinning_.share_finished(times)
        months = (times - window_start) / AVERAGE_MONTH
        self.trend_p_value_, trend = _trend(months, (window_end - window_start) / AVERAGE_MONTH)
        self.trend_ = trend if self.trend and self.trend_p_value_ < TREND_P_VALUE else 0.0
        weights = np.exp(-self.trend_ * months) * counted
        hour = ((times % WEEK) // HOUR).astype(int)
        exposure = _hours_covered(window_start, window_end)
        rate = np.bincount(hour, weights=weights, minlength=HOURS_PER_WEEK) / np.maximum(
            exposure, 1.0)
        gaps = np.diff(times)
        self.arrivals_ = Arrivals(
            hourly_rate=tuple(tuple(float(r) for r in rate[d * 24:(d + 1) * 24])
                              for d in range(7)),
            trend_per_month=float(self.trend_), reference=log.to_time(window_start).isoformat(),
            trend_until=log.to_time(window_end).isoformat() if self.trend_ else None,
            monthly_counts=counts,
            interarrival=fit_duration(gaps) if len(gaps) else None)
        return self


def _arrivals_end(times: np.ndarray, start: float, log_end: float) -> float:
    """The end of the period that shows arrivals: the log's end, or its last new case when
    the silence after that one is far too long for the usual rate (the export kept only
    the cases opened until then)."""
    if len(times) < 2:
        return log_end
    rate = len(times) / max(times[-1] - start, 1.0)
    return float(times[-1]) if rate * (log_end - times[-1]) > STOPPED_EXPECTED else log_end


def _monthly_counts(log: PreparedLog, times: np.ndarray) -> dict[str, int]:
    stamps = log.anchor + pd.to_timedelta(times, unit="s")
    return {str(k): int(v) for k, v in
            pd.Series(1, index=stamps).groupby(stamps.to_period("M")).sum().items()}


def _trend(months: np.ndarray, span: float) -> tuple[float, float]:
    """(p-value, growth per month) of a log-linear trend in the arrival rate.

    The arrival times are an inhomogeneous Poisson process on [0, span] with rate
    a * exp(g t); its likelihood in g alone is that of the times' density on the window.
    """
    if span < MIN_MONTHS or len(months) < 2:
        return 1.0, 0.0

    def negative_loglik(g: float) -> float:
        if abs(g) < 1e-9:
            return len(months) * np.log(span)
        normaliser = np.expm1(g * span) / g
        return -(g * months.sum() - len(months) * np.log(normaliser))

    best = optimize.minimize_scalar(negative_loglik, bounds=(-1.0, 1.0), method="bounded")
    statistic = 2 * (negative_loglik(0.0) - best.fun)
    return float(stats.chi2.sf(max(statistic, 0.0), df=1)), float(best.x)


def _hours_covered(start: float, end: float) -> np.ndarray:
    """How many times each hour of the week occurs in [start, end)."""
    hours = np.arange(np.floor(start / HOUR), np.ceil(end / HOUR)).astype(np.int64)
    return np.bincount(hours % HOURS_PER_WEEK, minlength=HOURS_PER_WEEK).astype(float)
