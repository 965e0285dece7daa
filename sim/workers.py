"""The worker processes a study's replications run on: started once, ready before the work.

A question asks for replications in looks (``sim.precision``), and each look used to start
a parallel loop of its own and wait for its slowest replication while a core stood idle. A
study now submits each replication to one pool of loky processes as soon as it knows it
needs it (``sim.measure_many.MeasureQueue``), so both cores stay busy from the first
replication to the last. Each worker imports the simulation and measuring code when it
starts, not with its first task, and the pool is started at the beginning of a question, so
those imports overlap the work the planner does before the first replication is known. A
worker also watches its parent (``sim.parent_watch``), so it ends with the planner.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor

from sim.parent_watch import watch_parent

IDLE_SECONDS = 300  # a worker left without work this long ends (loky's and joblib's default)
THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                 "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def cores(n_jobs: int) -> int:
    """The worker processes ``n_jobs`` asks for, as joblib counts them (-1: every core);
    one in a daemonic process, which may not start any (joblib's rule too)."""
    import multiprocessing

    from joblib import cpu_count

    if multiprocessing.current_process().daemon:
        return 1
    if n_jobs < 0:
        return max(cpu_count() + 1 + n_jobs, 1)
    return max(n_jobs, 1)


def _start_worker() -> None:
    """Run once in each new worker: watch the parent, and import what a replication needs
    now, while the planner still prepares its questions."""
    watch_parent()
    import sim.measured  # noqa: F401 - imported for its cost, paid before the first task


def pool(n_jobs: int) -> Executor | None:
    """The shared pool of ``cores(n_jobs)`` worker processes, started now: joblib's loky
    pool, reused by the next question that asks for as many workers (a joblib loop started
    with other settings in between starts its own); None for one core: the work
    runs in this process. Called early, it lets the workers start while the caller
    prepares the question."""
    workers = cores(n_jobs)
    if workers == 1:
        return None
    from joblib.executor import get_memmapping_executor  # joblib's own loky pool

    threads = str(max((os.cpu_count() or 1) // workers, 1))
    executor = get_memmapping_executor(workers, timeout=IDLE_SECONDS,
                                       initializer=_start_worker,
                                       env=dict.fromkeys(THREAD_LIMITS, threads))
    executor.submit(int)  # the workers start, and import, while the caller goes on
    return executor
