"""Worker processes end when the process that started them is gone, however it went.

Replications run in worker processes (joblib's loky, Dask). When the planner is killed
outright (``kill -9``, the out-of-memory killer) it cannot stop them, and each would hold
its few hundred MB indefinitely. A worker therefore watches its parent from a small daemon
thread and exits once the parent's process id has changed (the orphan was adopted). Polling
``os.getppid`` works on every POSIX system and does not depend on which thread of the
parent started the worker, unlike Linux's parent-death signal. The watch starts in loky's
worker initializer (``worker_pool``), before the worker's first task: a worker that never got
one would otherwise wait for work until loky's idle timeout (300 s) after its parent died.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from joblib import Parallel

POLL_SECONDS = 0.5
EXIT_CODE = 70  # the worker's parent is gone
_watching = False


def watch_parent(poll_seconds: float = POLL_SECONDS) -> None:
    """In a process started by multiprocessing or loky: exit once the parent is gone.
    Does nothing in a top-level process (the command line, the app) or when already on."""
    global _watching  # noqa: PLW0603 - one watcher per process
    started_by = multiprocessing.parent_process()
    if _watching or started_by is None:
        return
    parent = started_by.pid  # not os.getppid(): the parent may be gone before this runs

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(EXIT_CODE)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    _watching = True


def worker_pool(n_jobs: int) -> Parallel:
    """joblib's loky processes, yielding results in order as they finish; each worker watches
    its parent from the moment it starts."""
    from joblib import Parallel

    return Parallel(n_jobs=n_jobs, backend="loky", return_as="generator",
                    initializer=watch_parent)
