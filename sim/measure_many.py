"""Many replications of several models, measured on every core, each simulated at most once.

A study or a target search asks for replications of several models, and decides after each
model's batch whether that model needs more. Those kept in the cache
(``sim.replication_cache``) are read; the rest are submitted one by one to the shared pool
of worker processes (``sim.workers``) as soon as they are asked for, every model's in one
queue, and come back as each finishes. So a model whose batch is in is decided, and its next
batch queued, while the other core still works on someone else's: no core waits at a look
for the slowest replication of all. What comes back depends only on the model, the seed
and the replication number, never on the order it finished in, so the same seed gives the
same answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from typing import Generic, TypeVar

from sim import workers
from sim.measured import Measured, measure_replication
from sim.model import ProcessModel
from sim.replication_cache import ReplicationCache, study_key
from sim.run_length import RunLength

Name = TypeVar("Name", bound=Hashable)
T = TypeVar("T")
Job = tuple[Name, int]  # a model's name and a replication number


class MeasureQueue(Generic[Name]):
    """Replications asked for at any time and handed back as they finish (see the module
    docstring). ``n_jobs`` 1 measures them in this process, in the order asked.
    ``detail``: with the weeks and the process map a comparison draws (a kept replication
    without them is simulated again; one with them serves a search that needs none);
    ``parts``: also the map of each part of the cases, kept and read the same way."""

    def __init__(self, seed: int, run: RunLength, n_jobs: int, cache: ReplicationCache,
                 detail: bool = True, parts: bool = False) -> None:
        self.seed, self.run, self.cache = seed, run, cache
        self.detail, self.parts = detail, parts
        self.models: dict[Name, ProcessModel] = {}
        self._runs: dict[Name, RunLength] = {}
        self._keys: dict[Name, str] = {}
        self._ready: deque[tuple[Job[Name], Measured]] = deque()
        self._waiting: deque[Job[Name]] = deque()  # in this process, in the order asked
        self._running: dict[Future[Measured], Job[Name]] = {}
        self._pool: Executor | None = workers.pool(n_jobs)

    def add(self, name: Name, model: ProcessModel, run: RunLength | None = None) -> None:
        """A model replications may be asked of; ``run`` its own run length, if not the
        queue's (``sim.case_count``)."""
        self.models[name] = model
        self._runs[name] = (run or self.run).copy()

    def _key(self, name: Name) -> str:
        if name not in self._keys:
            self._keys[name] = study_key(self.models[name], self.seed, self._runs[name])
        return self._keys[name]

    def ask(self, jobs: Iterable[Job[Name]]) -> None:
        """Queue replications (each asked once), in this order."""
        for job in jobs:
            name, replication = job
            found = self.cache.get(self._key(name), replication, self.detail, self.parts)
            if found is not None:
                self._ready.append((job, found))
            elif self._pool is None:
                self._waiting.append(job)
            else:
                future = self._pool.submit(measure_replication, self.models[name], self.seed,
                                           replication, self._runs[name], self.detail,
                                           self.parts)
                self._running[future] = job

    @property
    def pending(self) -> int:
        """Replications asked for and not yet handed back."""
        return len(self._ready) + len(self._waiting) + len(self._running)

    def done(self) -> list[tuple[Job[Name], Measured]]:
        """The replications finished since the last call, waiting for at least one (none
        when nothing is pending); a new one is kept in the cache."""
        if self._ready:
            found = list(self._ready)
            self._ready.clear()
            return found
        if self._waiting:
            name, replication = job = self._waiting.popleft()
            return [self._kept(job, measure_replication(
                self.models[name], self.seed, replication, self._runs[name], self.detail,
                self.parts))]
        if not self._running:
            return []
        finished, _ = wait(self._running, return_when=FIRST_COMPLETED)
        return [self._kept(self._running.pop(f), f.result())
                for f in sorted(finished, key=list(self._running).index)]

    def _kept(self, job: Job[Name], measured: Measured) -> tuple[Job[Name], Measured]:
        self.cache.put(self._key(job[0]), job[1], measured)
        return job, measured

    def close(self) -> None:
        """Drop what has not started (a stopped or failed question)."""
        for future in self._running:
            future.cancel()
        self._running.clear()
        self._waiting.clear()
        self._ready.clear()


def measure_all(queue: MeasureQueue[Name], jobs: list[Job[Name]]
                ) -> dict[Job[Name], Measured]:
    """Each job measured, when a caller needs them all before it decides anything."""
    queue.ask(jobs)
    found: dict[Job[Name], Measured] = {}
    while len(found) < len(jobs):
        found.update(queue.done())
    return found


def in_order(found: dict[int, T]) -> list[T]:
    """Replications 0, 1, 2, ... as far as they are all in: the queue hands them back as
    they finish, and a look reads a model's first ones only."""
    ordered: list[T] = []
    while len(ordered) in found:
        ordered.append(found[len(ordered)])
    return ordered
