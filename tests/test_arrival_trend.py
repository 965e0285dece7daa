"""A volume trend is followed only when the weeks show one beyond their own ups and downs:
real arrivals vary far more from week to week than a Poisson process, and a trend read from
that noise would set the simulated volume too high or too low."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.arrivals import ArrivalFitter
from calibration.fit.prepared import prepare
from tests.synthetic_logs import event_log

WEEKS = 40
PER_WEEK = 150.0
SPREAD = 0.25  # the weeks' own variation: a gamma factor with this coefficient of variation


def arrivals_log(growth_per_month: float, seed: int) -> ArrivalFitter:
    """One-step cases arriving over 40 weeks; each week's rate is the trend times a random
    factor (campaigns, holidays), the times within a week uniform."""
    rng = np.random.default_rng(seed)
    factors = rng.gamma(1 / SPREAD**2, SPREAD**2, WEEKS)
    rates = PER_WEEK * factors * np.exp(growth_per_month * np.arange(WEEKS) * 7 / 30.44)
    counts = rng.poisson(rates)
    days = np.repeat(7.0 * np.arange(WEEKS), counts) + rng.uniform(0, 7, counts.sum())
    starts = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(days), unit="D")
    rows = [(f"c{number}", "Request", start, start + pd.Timedelta(minutes=5))
            for number, start in enumerate(starts)]
    return ArrivalFitter().fit(prepare(event_log(rows)))


def test_weeks_that_vary_by_themselves_are_not_a_trend():
    # 6,000 arrivals: a Poisson test calls most such logs trending; allowing for the weeks'
    # variation, a 1% test errs on about 1 in 100: 2 of 8 would happen 3 times in 1,000.
    trends = [arrivals_log(0.0, seed).trend_ for seed in range(8)]
    assert sum(trend != 0.0 for trend in trends) <= 1


def test_a_real_trend_is_still_followed_through_the_weekly_noise():
    # +8% a month over nine months against weeks that vary by 25%.
    fitted = [arrivals_log(0.08, seed).trend_ for seed in range(3)]
    assert all(0.04 < trend < 0.12 for trend in fitted), fitted


def short_log(keep_open: bool, seed: int) -> ArrivalFitter:
    """Eight weeks of requests, each closed 1-5 days later, arriving at 150 a week and
    halving every month. The requests not closed by the end are kept as open cases
    (``keep_open``) or left out, as an export of closed records leaves them out."""
    rng = np.random.default_rng(seed)
    days = 56.0
    growth = np.log(0.5) / 30.44  # per day
    count = rng.poisson(150 / 7 * np.expm1(growth * days) / growth)
    # inverse of the cumulative rate: arrival days with density ∝ exp(growth · t)
    arrived = np.sort(np.log1p(rng.uniform(0, 1, count) * np.expm1(growth * days)) / growth)
    end = pd.Timestamp("2024-01-01") + pd.Timedelta(days=days)
    rows = []
    for number, day in enumerate(arrived):
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=float(day))
        closed = start + pd.Timedelta(days=float(rng.uniform(1, 5)))
        if closed > end and not keep_open:
            continue
        rows.append((f"c{number}", "Request", start, start + pd.Timedelta(minutes=5)))
        if closed <= end:
            rows.append((f"c{number}", "Close", closed, closed + pd.Timedelta(minutes=5)))
    return ArrivalFitter().fit(prepare(event_log(rows)))


def test_a_short_log_that_keeps_its_open_cases_shows_its_trend():
    # Under three months, halving a month: the export shows every request as it came, so
    # the fall is business falling, and the simulation starts from its latest level.
    fitted = [short_log(keep_open=True, seed=seed).trend_ for seed in range(3)]
    assert all(-0.9 < trend < -0.45 for trend in fitted), fitted


def test_a_short_log_of_closed_cases_only_keeps_its_level():
    # The same requests without the ones still open: a fall in the last weeks may be the
    # export leaving out what had not finished, so under three months no trend is followed.
    assert all(short_log(keep_open=False, seed=seed).trend_ == 0.0 for seed in range(3))
