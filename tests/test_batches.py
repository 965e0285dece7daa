"""Batch-released activities: found where runs are planted, not where waits are random, and
the engine starts them only on run dates, once a case is old enough."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit.batches import detect_batches
from calibration.fit.prepared import prepare
from sim.calendar import HOUR, WeekCalendar
from sim.distributions import Fixed
from sim.engine import simulate
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.model import BatchRelease, Branch, Pool, ProcessModel, Routing
from tests.bundled import real_log, sample_log
from tests.engine_models import constant_arrivals, no_attributes, provenance, staffed, system

FIRST_RUN = pd.Timestamp("2024-01-11")
EVERY, AGE = 30, 20  # days


def two_step_log(waits: np.ndarray, arrivals: np.ndarray) -> EventLog:
    """Cases doing A on their arrival day and B after ``waits`` days (dates only)."""
    a = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.floor(arrivals), unit="D")
    b = a + pd.to_timedelta(np.round(waits), unit="D")
    ids = [f"c{i:05d}" for i in range(len(arrivals))]
    events = pd.DataFrame({CASE_ID: ids * 2, ACTIVITY: ["A"] * len(ids) + ["B"] * len(ids),
                           START: np.r_[a, b], END: np.r_[a, b]})
    events = events.sort_values([CASE_ID, START], kind="stable").reset_index(drop=True)
    return EventLog(events, pd.DataFrame(index=pd.Index(ids, name=CASE_ID)))


def planted_log(rng: np.random.Generator, n: int = 3000, run_days: int = 1) -> EventLog:
    """B runs every 30 days from 2024-01-11 (each run taking ``run_days`` days), taking
    cases whose A is 20 days old or more."""
    arrivals = rng.uniform(0, 700, n)
    first = (FIRST_RUN - pd.Timestamp("2024-01-01")).days
    runs = first + EVERY * np.ceil((np.floor(arrivals) + AGE - first) / EVERY)
    runs += rng.integers(run_days, size=n)
    return two_step_log(runs - np.floor(arrivals), arrivals)


@pytest.mark.parametrize("run_days", [1, 2])
def test_a_planted_monthly_run_is_found(run_days: int):
    found = detect_batches(prepare(planted_log(np.random.default_rng(1), run_days=run_days)))
    assert set(found) == {"B"}
    batch = found["B"]
    assert batch.every_days == pytest.approx(EVERY, abs=1)
    assert batch.min_age_days == pytest.approx(AGE, abs=3)
    assert len(batch.dates) >= 20
    assert (pd.Timestamp(batch.reference) - FIRST_RUN).days % EVERY == 0


def test_an_ordinary_random_delay_is_not_a_batch():
    rng = np.random.default_rng(2)
    log = two_step_log(rng.exponential(20, 3000), rng.uniform(0, 700, 3000))
    assert detect_batches(prepare(log)) == {}


def test_the_sample_log_has_no_batches():
    assert detect_batches(prepare(sample_log())) == {}


def batch_model(kind: str) -> ProcessModel:
    """A, then B released every 30 days (from 2024-01-11) for cases 20 days old."""
    batch = BatchRelease(every_days=EVERY, reference=str(FIRST_RUN.date()), min_age_days=AGE)
    b = (system() if kind == "system" else
         staffed("clerks", processing=Fixed(value=HOUR))).model_copy(update={"batch": batch})
    pools = {} if kind == "system" else {"clerks": Pool(
        members=tuple(f"m{i}" for i in range(50)), size=50,
        calendar=WeekCalendar.always())}
    return ProcessModel(
        name="batch", provenance=provenance(), arrivals=constant_arrivals(0.2),
        attributes=no_attributes(), activities={"A": system(), "B": b},
        routing=Routing(start={"A": 1.0}, branches={"A": Branch(pooled={"B": 1.0})}),
        pools=pools)


@pytest.mark.parametrize("kind", ["system", "staffed"])
def test_the_engine_starts_batch_work_only_on_run_dates(kind: str):
    events = simulate(batch_model(kind), days=200, seed=3).log.events
    a = events[events[ACTIVITY] == "A"].set_index(CASE_ID)[END]
    b = events[events[ACTIVITY] == "B"].set_index(CASE_ID)[START]
    assert len(b) > 300
    run_day = (b.dt.normalize() - FIRST_RUN).dt.days
    assert (run_day % EVERY == 0).all()  # every start falls on a run date (queues included)
    age = (b - a.reindex(b.index)) / pd.Timedelta(days=1)
    assert age.min() >= AGE and age.max() < AGE + EVERY + 1  # old enough, taken by the next run


def test_a_model_with_a_batch_round_trips_through_json():
    model = batch_model("system")
    assert ProcessModel.from_json(model.to_json()) == model
    assert model.activities["A"].batch is None  # old files without the field still load
    with pytest.raises(ValueError, match="ISO 8601"):
        BatchRelease(every_days=7, reference="next Tuesday", min_age_days=0)


def test_road_traffic_credit_collection_runs_about_yearly():
    found = detect_batches(prepare(real_log("Road_Traffic_Fine_Management_Process.parquet")))
    assert "Send for Credit Collection" in found
    assert 200 <= found["Send for Credit Collection"].every_days <= 500
