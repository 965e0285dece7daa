"""Replications give the same logs wherever they run: in this process, on joblib's worker
processes, or on a Dask cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.engine import iter_replications, run_replications, simulate
from sim.errors import PlannerError
from tests.engine_models import calendar_model

MODEL = calendar_model(per_hour=0.2)
RUN = {"days": 60, "warmup_days": 7}


def assert_same(results, expected):
    assert len(results) == len(expected)
    for got, want in zip(results, expected, strict=True):
        pd.testing.assert_frame_equal(got.log.events, want.log.events)
        pd.testing.assert_frame_equal(got.log.cases, want.log.cases)
        pd.testing.assert_frame_equal(got.utilisation, want.utilisation)
        assert got.open_cases == want.open_cases and got.log.meta == want.log.meta


@pytest.fixture(scope="module")
def sequential():
    return [simulate(MODEL, seed=5, replication=r, **RUN) for r in range(3)]


def test_replications_differ_and_are_numbered(sequential):
    assert [r.run.replication for r in sequential] == [0, 1, 2]
    assert not sequential[0].log.events.equals(sequential[1].log.events)


def test_joblib_processes_equal_sequential_runs(sequential):
    assert_same(run_replications(MODEL, 3, seed=5, n_jobs=2, **RUN), sequential)


def test_in_process_iteration_equals_sequential_runs(sequential):
    assert_same(list(iter_replications(MODEL, 3, seed=5, n_jobs=1, **RUN)), sequential)


def test_bad_replication_count():
    with pytest.raises(PlannerError, match=r"reps must be a whole number >= 1 \(got 0\)"):
        run_replications(MODEL, 0, seed=1, days=5)


def test_dask_cluster_equals_joblib(sequential):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        results = run_replications(MODEL, 3, seed=5, dask_address=cluster.scheduler_address,
                                   **RUN)
    assert_same(results, sequential)


def test_unreachable_dask_scheduler_is_a_plain_error(monkeypatch):
    monkeypatch.setattr("sim.engine.parallel.DASK_TIMEOUT", "1s")
    with pytest.raises(PlannerError, match="Cannot reach the Dask scheduler"):
        run_replications(MODEL, 2, seed=1, dask_address="tcp://127.0.0.1:1", days=5)
