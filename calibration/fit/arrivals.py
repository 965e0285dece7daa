"""When new cases start: an hourly rate over the week, with a monthly trend if there is one.

Leads come in on weekday office hours far more than at night, and a growing business gets
more of them every month. The rate of each hour of the week is the number of cases that
began in it divided by how many such hours the log covers, after taking the trend out;
the trend is a Poisson regression of the arrival times on time, kept only when a
likelihood-ratio test, allowing for the weeks' extra variability, says it is real. Cases
that began before the log are not arrivals, and a log exported as "the cases opened in
2016, with their events until February" covers arrivals until its last new case only. A
log of finished cases only shows too few arrivals near its end (``thinning``): they are
counted until that part begins, each weighted by how likely a case begun then was to be
kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from calibration.fit.prepared import PreparedLog
from calibration.fit.thinning import finished_only, keeps_open_cases
from calibration.fit_durations import fit_duration
from sim.calendar import HOUR, HOURS_PER_WEEK, WEEK
from sim.model import Arrivals

AVERAGE_MONTH = 30.44 * 86400.0
TREND_P_VALUE = 0.01
MIN_MONTHS = 3  # a trend is tested on at least this many months (the test guards the rest) ...
MIN_MONTHS_OPEN = 1  # ... or this many where the log plainly keeps its unfinished cases
WEEK_MONTHS = WEEK / AVERAGE_MONTH
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
        shortest = MIN_MONTHS_OPEN if keeps_open_cases(log, times) else MIN_MONTHS
        self.trend_p_value_, trend = _trend(months, (window_end - window_start) / AVERAGE_MONTH,
                                            shortest)
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


def _trend(months: np.ndarray, span: float, shortest: float) -> tuple[float, float]:
    """(p-value, growth per month) of a log-linear trend in the arrival rate.

    The arrival times are an inhomogeneous Poisson process on [0, span] with rate
    a * exp(g t); its likelihood in g alone is that of the times' density on the window.
    Real arrivals vary far more from week to week than a Poisson process does (a holiday
    dip, a campaign), and on thousands of cases a plain likelihood-ratio test calls any
    such wiggle a trend. So the statistic is divided by the weekly counts' dispersion and
    judged by an F test: the quasi-Poisson test (Wedderburn 1974; McCullagh & Nelder,
    *Generalized Linear Models*, 1989, §4.5).
    """
    if span < shortest or len(months) < 2:
        return 1.0, 0.0

    def negative_loglik(g: float) -> float:
        if abs(g) < 1e-9:
            return len(months) * np.log(span)
        normaliser = np.expm1(g * span) / g
        return -(g * months.sum() - len(months) * np.log(normaliser))

    best = optimize.minimize_scalar(negative_loglik, bounds=(-1.0, 1.0), method="bounded")
    statistic = max(2 * (negative_loglik(0.0) - best.fun), 0.0)
    dispersion, weeks = _weekly_dispersion(months, span, float(best.x))
    return float(stats.f.sf(statistic / dispersion, 1, weeks - 2)), float(best.x)


def _weekly_dispersion(months: np.ndarray, span: float, growth: float) -> tuple[float, int]:
    """(dispersion, full weeks): the Pearson chi-square of the full weeks' counts about the
    trend, per degree of freedom, at least 1 (no less variable than Poisson)."""
    edges = np.arange(0.0, span + 1e-9, WEEK_MONTHS)
    counts = np.histogram(months, edges)[0]
    mass = np.diff(edges) if abs(growth) < 1e-9 else np.diff(np.expm1(growth * edges) / growth)
    expected = counts.sum() * mass / mass.sum()
    weeks = len(counts)
    pearson = float(np.sum((counts - expected) ** 2 / np.maximum(expected, 1e-9)))
    return max(pearson / max(weeks - 2, 1), 1.0), max(weeks, 3)


def _hours_covered(start: float, end: float) -> np.ndarray:
    """How many times each hour of the week occurs in [start, end)."""
    hours = np.arange(np.floor(start / HOUR), np.ceil(end / HOUR)).astype(np.int64)
    return np.bincount(hours % HOURS_PER_WEEK, minlength=HOURS_PER_WEEK).astype(float)
