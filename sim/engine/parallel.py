"""Replications: the same model and seed, replication numbers 0, 1, 2, ... in parallel.

Replication ``r`` is ``simulate(model, seed=seed, replication=r)`` wherever it runs, so a
laptop (joblib's loky processes), a Dask cluster and a plain loop give identical logs.
Results come back in replication order, one at a time, so a caller can show progress and
keep the finished ones when the user stops the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Unpack

from sim.engine.run import SimulationResult, simulate
from sim.errors import PlannerError
from sim.model import ProcessModel
from sim.parent_watch import worker_pool
from sim.run_length import RunLength

DASK_TIMEOUT = "20s"


def _one(model: ProcessModel, seed: int, replication: int, run: RunLength
         ) -> SimulationResult:
    return simulate(model, seed=seed, replication=replication, **run)


def iter_replications(model: ProcessModel, reps: int, *, seed: int, n_jobs: int = -1,
                      dask_address: str | None = None, **run: Unpack[RunLength]
                      ) -> Iterator[SimulationResult]:
    """Yield replications 0..reps-1 in order as they finish (see ``run_replications``)."""
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise PlannerError(f"reps must be a whole number >= 1 (got {reps!r}).")
    if dask_address is not None:
        yield from _on_dask(model, reps, seed, dask_address, run)
    elif reps == 1 or n_jobs == 1:
        for replication in range(reps):
            yield _one(model, seed, replication, run)
    else:
        from joblib import delayed

        jobs = worker_pool(n_jobs)
        yield from jobs(delayed(_one)(model, seed, r, run) for r in range(reps))


def run_replications(model: ProcessModel, reps: int, *, seed: int, n_jobs: int = -1,
                     dask_address: str | None = None, **run: Unpack[RunLength]
                     ) -> list[SimulationResult]:
    """``reps`` replications with one seed, on local processes or a Dask cluster.

    ``n_jobs`` is joblib's (-1: every core; 1: in this process). With ``dask_address``
    (e.g. ``"tcp://10.0.0.5:8786"``) the same function runs on that cluster's workers.
    The run's length (``cases``, ``days``, ``start``, ``warmup_days``) goes to ``simulate``.
    """
    return list(iter_replications(model, reps, seed=seed, n_jobs=n_jobs,
                                  dask_address=dask_address, **run))


def _on_dask(model: ProcessModel, reps: int, seed: int, address: str,
             run: RunLength) -> Iterator[SimulationResult]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise PlannerError("Running on a Dask cluster needs dask.distributed; install it with "
                           "pip install 'l2c-planner[dask]'.") from None
    try:
        client = Client(address, timeout=DASK_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PlannerError(f"Cannot reach the Dask scheduler at {address!r} ({exc}); check "
                           "the address and that the scheduler is running.") from None
    futures = []
    try:
        futures = [client.submit(_one, model, seed, r, run, pure=False)
                   for r in range(reps)]
        for future in futures:
            yield future.result()
    finally:
        client.cancel(futures)
        client.close()
