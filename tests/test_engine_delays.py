"""Delays and working calendars: drawn durations come out as modelled, and nobody works
outside their calendar."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.calendar import WeekCalendar
from sim.distributions import Empirical, Exponential, Fixed, Gamma, Lognormal, Weibull, ZeroInflated
from sim.engine import simulate
from sim.engine.clock import FastClock
from sim.engine.plan import sampler
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START
from tests.engine_models import CHAIN, OFFICE, calendar_model, delay_chain

KS_P = 0.01


def cdf(distribution):
    if isinstance(distribution, Gamma):
        return stats.gamma(distribution.shape, scale=distribution.scale).cdf
    if isinstance(distribution, Lognormal):
        return stats.lognorm(distribution.sigma, scale=math.exp(distribution.mu)).cdf
    return stats.expon(scale=distribution.scale).cdf


def test_delay_chain_reproduces_its_distributions():
    result = simulate(delay_chain(per_hour=2.0), days=60, seed=9)
    times = result.log.events.pivot(index=CASE_ID, columns=ACTIVITY, values=START).dropna()
    assert len(times) > 2000
    for before, after in (("A", "B"), ("B", "C"), ("C", "D")):
        seconds = (times[after] - times[before]).dt.total_seconds().to_numpy()
        assert stats.kstest(seconds, cdf(CHAIN[after])).pvalue > KS_P, after


def test_working_delay_counts_only_open_hours():
    """With a large office nobody queues: the working seconds from the request to the start
    of Prepare are exactly its delay, Exponential(2 h) on the office clock."""
    result = simulate(calendar_model(per_hour=0.5, size=40), days=150, seed=10)
    times = result.log.events.pivot(index=CASE_ID, columns=ACTIVITY, values=START).dropna()
    clock = OFFICE.clock
    anchor = times["Request"].min().normalize()
    seconds = {a: (times[a] - anchor).dt.total_seconds().to_numpy() for a in times}
    working = clock.working(seconds["Prepare"]) - clock.working(seconds["Request"])
    assert stats.kstest(working, stats.expon(scale=2 * 3600).cdf).pvalue > KS_P


def hours_of_day(stamps):
    return stamps.dt.hour + stamps.dt.minute / 60 + stamps.dt.second / 3600


def test_nobody_works_outside_the_calendar():
    result = simulate(calendar_model(), days=400, seed=12)
    work = result.log.events[result.log.events[RESOURCE] != "Portal"]
    assert len(work) > 1500
    for column in (START, END):
        stamps = work[column]
        assert (stamps.dt.weekday < 5).all(), column
        hours = hours_of_day(stamps)
        assert ((hours >= 9) & (hours <= 17)).all(), column  # an end may be at closing
    # a task crossing the evening continues the next working morning
    assert (work[END].dt.date > work[START].dt.date).any()
    daily = result.utilisation
    closed = daily["date"].dt.weekday >= 5
    assert (daily.loc[closed, "available_seconds"] == 0).all()
    assert (daily.loc[~closed, "available_seconds"] == 2 * 8 * 3600).all()
    assert (daily.loc[closed, "busy_seconds"] == 0).all()
    assert (daily.loc[~closed, "share"] <= 1 + 1e-9).all()


def test_staffed_work_never_starts_before_the_previous_activity_ended():
    log = simulate(calendar_model(per_hour=0.3), days=90, seed=13).log
    events = log.events.sort_values([CASE_ID, START])
    same = events[CASE_ID].to_numpy()[1:] == events[CASE_ID].to_numpy()[:-1]
    gaps = events[START].to_numpy()[1:] - events[END].to_numpy()[:-1]
    assert (gaps[same] >= np.timedelta64(0, "s")).all()


@pytest.mark.parametrize("hours", [WeekCalendar.weekdays(9, 17).hours,
                                   WeekCalendar.weekdays(8, 12).hours,
                                   ((0, 1, 2, 22, 23), (), (12,), (), (), (5, 6, 7), ()),
                                   WeekCalendar.always().hours])
def test_fast_clock_gives_the_working_clocks_answers(hours):
    calendar = WeekCalendar(hours=hours)
    slow, fast = calendar.clock, FastClock(calendar.clock)
    rng = np.random.default_rng(0)
    moments = np.concatenate([rng.uniform(0, 30 * 86400 * 7, 400),
                              np.arange(0, 3 * 7 * 86400, 3600.0)])  # every hour boundary
    works = np.concatenate([rng.exponential(20000, 300), [0.0, 3600.0, 8 * 3600.0, 1e6]])
    for t in moments:
        assert fast.next_open(t) == pytest.approx(slow.next_open(t), abs=1e-6)
        assert fast.working(t) == pytest.approx(slow.working(t), abs=1e-6)
        for w in works[:: 37]:
            assert fast.advance(t, w) == pytest.approx(slow.advance(t, w), abs=1e-6)


@pytest.mark.parametrize("distribution", [
    Exponential(scale=5.0), Gamma(shape=2.5, scale=3.0), Lognormal(mu=1.0, sigma=0.6),
    Weibull(shape=1.5, scale=2.0), Empirical(values=(1.0, 2.0, 7.0)),
    ZeroInflated(p_zero=0.3, rest=Gamma(shape=2.0, scale=1.0)), Fixed(value=4.0)])
def test_samplers_draw_what_sample_draws(distribution):
    fixed, draw = sampler(distribution)
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    expected = [distribution.sample(a) for _ in range(50)]
    got = [fixed if draw is None else draw(b) for _ in range(50)]
    assert got == expected
