"""Runs as a whole: reproducibility, common random numbers, horizons, warm-up, arrivals,
time zones and bad requests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.distributions import Fixed
from sim.engine import simulate
from sim.engine.streams import (
    BLOCK,
    VISITS,
    UniformBank,
    case_key,
    purpose_key,
    replication_key,
    uniform,
)
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, LOST_REASON, OUTCOME, START
from sim.kpis import compute_kpis
from sim.model import Arrivals, ProcessModel
from tests.engine_models import constant_arrivals, delay_chain, l2c_model, mmc_model

Z = 4.0
TERMINAL = {"Payment Received", "Opportunity Lost"}


@pytest.fixture(scope="module")
def l2c() -> ProcessModel:
    return l2c_model()


def test_same_seed_same_log_other_seed_other_log(l2c):
    a = simulate(l2c, days=120, seed=1)
    b = simulate(l2c, days=120, seed=1)
    pd.testing.assert_frame_equal(a.log.events, b.log.events)
    pd.testing.assert_frame_equal(a.log.cases, b.log.cases)
    pd.testing.assert_frame_equal(a.utilisation, b.utilisation)
    assert a.open_cases == b.open_cases and a.log.meta == b.log.meta
    c = simulate(l2c, days=120, seed=2)
    assert not a.log.events.equals(c.log.events)
    d = simulate(l2c, days=120, seed=1, replication=1)
    assert not a.log.events.equals(d.log.events)


def test_a_cases_table_of_uniforms_equals_the_hash_it_stands_for():
    keys = [purpose_key(text) for text in ("start", "wait|role:invoice_sent", "next|x")]
    for seed, replication in ((0, 0), (7, 5), (2**40 + 3, 2**33)):
        bank, key = UniformBank(seed, replication, keys), replication_key(seed, replication)
        for case in (1, 2, BLOCK - 1, BLOCK, 123_457, 2**32 - 1):
            draws = bank.case(case)
            for slot, purpose in enumerate(keys):
                for visit in range(1, VISITS + 3):  # the table's visits, then hashed alone
                    u = draws.uniform(slot, visit)
                    assert u == uniform(case_key(key, case), purpose, visit)
                    assert 0.0 < u < 1.0


def test_keyed_uniforms_look_independent_and_uniform():
    """Means, and correlations between neighbouring cases, purposes and visits, within
    Z standard errors of a uniform's (1/sqrt(12 n) for a mean, 1/sqrt(n) for a
    correlation)."""
    n = 40_000
    keys = [purpose_key(f"wait|activity:{i}") for i in range(2)]
    bank = UniformBank(11, 0, keys)
    table = np.array([bank.case(case).table for case in range(1, n + 1)])
    assert np.all(np.abs(table.mean(axis=0) - 0.5) < Z / math.sqrt(12 * n))
    pairs = [(table[:-1, 0], table[1:, 0]), (table[:, 0], table[:, VISITS]),
             (table[:, 0], table[:, 1])]
    for x, y in pairs:
        assert abs(np.corrcoef(x, y)[0, 1]) < Z / math.sqrt(n)


def test_a_wait_no_longer_drawn_leaves_every_other_draw_as_it_was(l2c):
    """Common random numbers survive a scenario that stops drawing a wait: each case keeps
    its attributes, route, outcome and the payment delay drawn after that wait."""
    invoice = l2c.activities["Invoice Generated"].model_copy(update={"delay": Fixed(value=0)})
    scenario = l2c.model_copy(update={"activities": {**l2c.activities,
                                                     "Invoice Generated": invoice}})
    base, other = (simulate(m, cases=800, seed=4) for m in (l2c, scenario))
    assert not base.open_cases and not other.open_cases
    pd.testing.assert_frame_equal(base.log.cases, other.log.cases)
    trace = lambda log: log.events.groupby(CASE_ID, sort=True)[ACTIVITY].agg(tuple)  # noqa: E731

    def paid_after(log):
        by_step = log.events.set_index([CASE_ID, ACTIVITY])
        return (by_step.xs("Payment Received", level=ACTIVITY)[START]
                - by_step.xs("Invoice Sent", level=ACTIVITY)[END])

    pd.testing.assert_series_equal(trace(base.log), trace(other.log))
    assert len(paid_after(base.log)) > 100
    gap = (paid_after(base.log) - paid_after(other.log)).abs()
    assert gap.max() <= pd.Timedelta(seconds=1)  # the same delay: times are whole seconds
    sent = lambda log: log.events[log.events[ACTIVITY] == "Invoice Sent"][END]  # noqa: E731
    assert not sent(base.log).equals(sent(other.log))


def test_null_scenario_has_zero_kpi_differences(l2c):
    twin = ProcessModel.model_validate(l2c.model_dump())  # an equal, separate model
    assert twin == l2c and twin is not l2c
    base = simulate(l2c, days=200, seed=3, warmup_days=30)
    same = simulate(twin, days=200, seed=3, warmup_days=30)
    horizon = pd.Timestamp(base.run.horizon)
    for x, y in zip(compute_kpis(base.log, horizon=horizon), compute_kpis(same.log,
                                                                          horizon=horizon),
                    strict=True):
        assert x.id == y.id
        assert (x.value == y.value) or (math.isnan(x.value) and math.isnan(y.value)), x.id
        assert x.value - y.value == 0 or math.isnan(x.value)


def test_pool_size_scenario_keeps_cases_and_their_draws(l2c):
    approvers = l2c.pools["Approvers"]
    more = l2c.model_copy(update={"pools": {**l2c.pools, "Approvers": approvers.model_copy(
        update={"size": 3})}})
    base = simulate(l2c, cases=800, seed=4)
    scenario = simulate(more, cases=800, seed=4)
    assert not base.open_cases and not scenario.open_cases
    pd.testing.assert_frame_equal(base.log.cases, scenario.log.cases)  # attributes, outcomes
    trace = lambda log: log.events.groupby(CASE_ID, sort=True)[ACTIVITY].agg(tuple)  # noqa: E731
    pd.testing.assert_series_equal(trace(base.log), trace(scenario.log))
    lead = lambda log: log.events[log.events[ACTIVITY] == "Lead Created"].set_index(  # noqa: E731
        CASE_ID)[START]
    pd.testing.assert_series_equal(lead(base.log), lead(scenario.log))
    approved = lambda log: log.events[log.events[ACTIVITY] == "Quote Approved"]  # noqa: E731
    assert not approved(base.log)[START].equals(approved(scenario.log)[START])
    assert "Approvers 3" in set(approved(scenario.log)["resource"])


def test_open_cases_are_reported_not_dropped(l2c):
    result = simulate(l2c, days=45, seed=5)
    log = result.log
    assert result.open_cases and result.run.open_cases == len(result.open_cases)
    assert result.run.finished + result.run.open_cases == result.run.cases == len(log.cases)
    assert set(result.open_cases) <= set(log.cases.index)
    assert set(log.events[CASE_ID]) <= set(log.cases.index)
    last = log.events.sort_values([CASE_ID, START]).groupby(CASE_ID)[ACTIVITY].last()
    is_open = last.index.isin(result.open_cases)
    assert last[is_open].isin(TERMINAL).sum() == 0
    assert last[~is_open].isin(TERMINAL).all()
    horizon = pd.Timestamp(result.run.horizon)
    assert horizon == pd.Timestamp("2024-01-01") + pd.Timedelta(days=45)
    assert (log.events["end_time"] <= horizon).all()
    outcome = log.cases.loc[result.open_cases, OUTCOME]
    assert (outcome.isna() | (outcome == "Won")).all()  # won but not yet paid, or undecided


def test_cases_run_until_every_case_has_finished(l2c):
    result = simulate(l2c, cases=300, seed=6)
    run = result.run
    assert run.cases == run.finished == 300 and not result.open_cases
    assert pd.Timestamp(run.horizon) == result.log.events["end_time"].max()
    assert result.log.cases[OUTCOME].isin(["Won", "Lost"]).all()
    assert result.log.cases.loc[result.log.cases[OUTCOME] == "Lost", LOST_REASON].notna().all()


def test_warm_up_cases_are_left_out():
    model = mmc_model(2, 0.7, 1.0)
    result = simulate(model, days=10, warmup_days=5, seed=7)
    assert result.run.warmup_cases > 0
    assert (result.log.events[START] >= pd.Timestamp("2024-01-01")).all()
    first = result.log.cases.index.min()
    assert first == f"SIM-{result.run.warmup_cases + 1:07d}"
    assert result.utilisation["date"].min() == pd.Timestamp("2024-01-01")
    # the warm-up filled the queue: the first cases of the log may wait
    assert result.utilisation["busy_seconds"].iloc[0] > 0


def test_arrivals_follow_rate_profile_and_trend():
    hourly = np.zeros((7, 24))
    hourly[0, 9] = 10.0  # Mondays 9-10 only
    hourly[3, 14] = 5.0  # and Thursdays 14-15
    model = delay_chain().model_copy(update={"arrivals": Arrivals(
        hourly_rate=tuple(map(tuple, hourly.tolist())), trend_per_month=0.05,
        reference="2024-01-01")})
    result = simulate(model, days=731, seed=8)
    arrivals = result.log.events[result.log.events[ACTIVITY] == "A"][START]
    slots = set(zip(arrivals.dt.weekday, arrivals.dt.hour, strict=True))
    assert slots == {(0, 9), (3, 14)}
    months = (arrivals - pd.Timestamp("2024-01-01")).dt.total_seconds() / (30.44 * 86400)
    weeks = 731 / 7
    expected_total = 15 * weeks * np.mean(np.exp(0.05 * np.linspace(0, 731 / 30.44, 1000)))
    assert abs(len(arrivals) - expected_total) < Z * math.sqrt(expected_total)
    first_year = int((months < 12).sum())
    second_year = int((months >= 12).sum())
    ratio = math.exp(0.05 * 12)  # the second year is exp(0.6) times busier
    se = ratio * math.sqrt(1 / first_year + 1 / second_year)
    assert abs(second_year / first_year - ratio) < Z * se


def test_cases_and_days_runs_share_their_arrivals():
    model = delay_chain(per_hour=1.0)
    by_days = simulate(model, days=20, seed=9).log.events
    starts = by_days[by_days[ACTIVITY] == "A"].set_index(CASE_ID)[START]
    by_cases = simulate(model, cases=len(starts), seed=9).log.events
    again = by_cases[by_cases[ACTIVITY] == "A"].set_index(CASE_ID)[START]
    pd.testing.assert_series_equal(starts, again)


def test_start_date_and_time_zones():
    model = mmc_model(2, 0.5, 1.0)
    result = simulate(model, days=3, start="2024-03-06", seed=1)  # a Wednesday
    assert result.log.events[START].min() >= pd.Timestamp("2024-03-06")
    assert result.run.start == "2024-03-06 00:00:00"
    tokyo = simulate(model.model_copy(update={"timezone": "+09:00"}), days=3, seed=1).log
    assert str(tokyo.events[START].dt.tz) == "UTC+09:00" and tokyo.timezone == "+09:00"
    berlin = simulate(model.model_copy(update={"timezone": "Europe/Berlin"}), days=3,
                      seed=1).log
    assert str(berlin.events[START].dt.tz) == "Europe/Berlin"
    plain = simulate(model, days=3, seed=1).log.events
    assert (berlin.events[START].dt.tz_localize(None) == plain[START]).all()  # wall clock
    with pytest.raises(PlannerError, match="Mars/Olympus"):
        simulate(model.model_copy(update={"timezone": "Mars/Olympus"}), days=3, seed=1)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "cases .* or days"),
    ({"cases": 0}, r"cases must be a whole number >= 1 \(got 0\)"),
    ({"days": -2}, r"days must be a number > 0 \(got -2\)"),
    ({"days": 5, "warmup_days": -1}, "warmup_days must be"),
    ({"days": 5, "seed": -1}, r"seed must be a whole number >= 0 \(got -1\)"),
    ({"days": 5, "start": "next tuesday"}, "start 'next tuesday' is not a date"),
])
def test_bad_requests_say_what_is_wrong(kwargs, message):
    model = mmc_model()
    with pytest.raises(PlannerError, match=message):
        simulate(model, **kwargs)


def test_constant_rate_gives_poisson_counts():
    rate = 3.0
    model = delay_chain().model_copy(update={"arrivals": constant_arrivals(rate)})
    result = simulate(model, days=100, seed=10)
    expected = rate * 24 * 100
    assert abs(result.run.cases - expected) < Z * math.sqrt(expected)
