"""Delays and working calendars: drawn durations come out as modelled, and nobody works
outside their calendar."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.calendar import WeekCalendar
from sim.distributions import Gamma, Lognormal
from sim.engine import simulate
from sim.engine.clock import FastClock
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


def sometimes(hours: tuple[tuple[int, ...], ...], seed: int = 1) -> tuple[float, ...]:
    """Weights for ``hours``: some in full, others a random sliver of an hour."""
    rng = np.random.default_rng(seed)
    grid = WeekCalendar(hours=hours).grid()
    return tuple(float(w) for w in np.where(grid, np.where(rng.random(168) < 0.5, 1.0,
                                                           rng.uniform(0.01, 0.9, 168)), 0.0))


@pytest.mark.parametrize(("hours", "weighted"), [
    (WeekCalendar.weekdays(9, 17).hours, False), (WeekCalendar.weekdays(8, 12).hours, False),
    (((0, 1, 2, 22, 23), (), (12,), (), (), (5, 6, 7), ()), False),
    (WeekCalendar.always().hours, False), (WeekCalendar.weekdays(9, 17).hours, True),
    (((0, 1, 2, 22, 23), (), (12,), (), (), (5, 6, 7), ()), True),
    (WeekCalendar.always().hours, True)])
def test_fast_clock_gives_the_working_clocks_answers(hours, weighted):
    calendar = WeekCalendar(hours=hours, weights=sometimes(hours) if weighted else None)
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


def test_an_hour_worked_now_and_then_holds_its_share_of_the_work():
    """Mon-Fri 9-17 in full, Sunday 10-11 at 5%: of a working week, Sunday holds
    0.05 / 40.05 of the working seconds, so uniform working-time moments fall there that
    often (within a binomial 99.9% band), and a task started there runs 20 times slower."""
    hours = tuple(tuple(range(9, 17)) if d < 5 else ((10,) if d == 6 else ()) for d in range(7))
    weights = [0.0] * 168
    for d in range(5):
        for h in range(9, 17):
            weights[d * 24 + h] = 1.0
    weights[6 * 24 + 10] = 0.05
    clock = FastClock(WeekCalendar(hours=hours, weights=tuple(weights)).clock)
    rng = np.random.default_rng(4)
    n = 40_000
    moments = [clock.advance(0.0, w) for w in rng.uniform(0, 50 * clock.per_week, n)]
    sunday = np.mean([(t % (7 * 86400)) // 86400 == 6 for t in moments])
    share = 0.05 / 40.05
    assert abs(sunday - share) <= 3.3 * math.sqrt(share * (1 - share) / n)
    sunday_ten = 6 * 86400 + 10 * 3600.0
    assert clock.advance(sunday_ten, 60.0) == pytest.approx(sunday_ten + 20 * 60.0)
