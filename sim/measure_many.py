"""Many replications of several models, measured on every core, each simulated at most once.

A study or a target search asks for replications of several models at a time. Those kept in
the cache (``sim.replication_cache``) are read; the rest go to joblib's worker processes as
one stream, every model's replications together, so no core waits for one model's last
replication while another model has work left. Results come back in the order asked.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import TypeVar

from sim.measured import Measured, measure_replication
from sim.model import ProcessModel
from sim.parent_watch import worker_pool
from sim.replication_cache import ReplicationCache, study_key
from sim.run_length import RunLength

Name = TypeVar("Name", bound=Hashable)


def measure_many(models: dict[Name, ProcessModel], jobs: list[tuple[Name, int]], seed: int,
                 run: RunLength, n_jobs: int, cache: ReplicationCache,
                 runs: Mapping[Name, RunLength] | None = None, detail: bool = True,
                 parts: bool = False) -> Iterator[tuple[Name, Measured]]:
    """Each job (model name, replication) with its measurements, in the order of ``jobs``;
    a model named in ``runs`` runs its own run instead of ``run`` (``sim.case_count``).
    ``detail``: with the weeks and the process map a comparison draws (a kept replication
    without them is simulated again; one with them serves a search that needs none);
    ``parts``: also the map of each part of the cases, kept and read the same way."""
    own = {name: (runs or {}).get(name, run).copy() for name in models}
    keys = {name: study_key(models[name], seed, own[name])
            for name in dict.fromkeys(n for n, _ in jobs)}
    cached = {job: cache.get(keys[job[0]], job[1], detail, parts) for job in jobs}
    missing = [job for job in jobs if cached[job] is None]
    fresh = _simulated(models, missing, seed, own, n_jobs, detail, parts)
    for job in jobs:
        found = cached[job]
        if found is None:
            found = next(fresh)
            cache.put(keys[job[0]], job[1], found)
        yield job[0], found


def _simulated(models: dict[Name, ProcessModel], jobs: list[tuple[Name, int]], seed: int,
               runs: dict[Name, RunLength], n_jobs: int, detail: bool, parts: bool
               ) -> Iterator[Measured]:
    if n_jobs == 1 or len(jobs) <= 1:
        for name, r in jobs:
            yield measure_replication(models[name], seed, r, runs[name], detail, parts)
        return
    from joblib import delayed

    parallel = worker_pool(n_jobs)
    yield from parallel(delayed(measure_replication)(models[name], seed, r, runs[name],
                                                     detail, parts) for name, r in jobs)
