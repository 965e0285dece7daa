"""Long work (simulations) in a background thread, keyed by what it computes.

A page submits a job under a key made from its inputs (model, scenarios, seed,
replications); the same key gives the same job, so a finished run is shown again at once
when the user comes back to a page, and a run keeps going while they look at other pages.
The page only polls the job's progress; it never waits for it, so it never freezes. A job
that fails keeps its message for the page to show; it touches nothing saved.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sim.errors import PlannerError
from ui.app.progress import Meter

log = logging.getLogger(__name__)
KEEP = 12  # finished jobs kept for their results; older ones are forgotten

Progress = Callable[[int, int], None]
Result = TypeVar("Result")


class JobCancelled(Exception):  # noqa: N818  (a signal, not an error)
    """Raised inside a job's progress callback when the user pressed Stop."""


@dataclass
class Job:
    key: str
    label: str
    result: object = None
    error: str | None = None
    unexpected: bool = False  # the error is a bug, not bad input
    cancelled: bool = False
    finished: bool = False
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    meter: Meter = field(init=False)

    def __post_init__(self) -> None:
        self.meter = Meter(self.started)

    def result_as(self, kind: type[Result]) -> Result:
        """The finished job's result, of the type the page that submitted it knows: jobs
        are found again by key, so the type is checked here, once."""
        if not isinstance(self.result, kind):
            raise TypeError(f"the job {self.key!r} gave a {type(self.result).__name__}, "
                            f"not a {kind.__name__}")
        return self.result

    @property
    def done(self) -> int:
        return self.meter.done

    @property
    def total(self) -> int:
        return self.meter.total

    @property
    def fraction(self) -> float:
        return self.meter.fraction

    @property
    def ok(self) -> bool:
        return self.finished and self.error is None and not self.cancelled

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def progress(self, done: int, total: int) -> None:
        """The callback handed to the work: records progress, honours Stop."""
        if self.stop.is_set():
            raise JobCancelled
        self.meter.report(done, total, time.monotonic())


class JobRunner:
    """Jobs by key; thread-safe; keeps the last ``keep`` finished jobs, and the pace of the
    last job of each kind (the key's prefix) for the next one's progress bar."""

    def __init__(self, keep: int = KEEP) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._pace: dict[str, float] = {}  # kind -> seconds per run
        self._lock = threading.Lock()
        self._keep = keep

    def get(self, key: str | None) -> Job | None:
        if key is None:
            return None
        with self._lock:
            return self._jobs.get(key)

    def submit(self, key: str, label: str, work: Callable[[Progress], object]) -> Job:
        """Start ``work(progress)`` unless a job with this key is running or has succeeded."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and (not job.finished or job.ok):
                self._jobs.move_to_end(key)
                return job
            job = Job(key, label)
            job.meter.unit_hint = self._pace.get(_kind(key))
            self._jobs[key] = job
            self._forget_old()
        thread = threading.Thread(target=self._run, args=(job, work), daemon=True,
                                  name=f"l2c-job-{key[:8]}")
        thread.start()
        return job

    def _run(self, job: Job, work: Callable[[Progress], object]) -> None:
        try:
            job.result = work(job.progress)
        except JobCancelled:
            job.cancelled = True
        except PlannerError as error:
            job.error = str(error)
        except Exception as error:  # a bug: keep the app alive and say what happened
            log.exception("job %s failed", job.label)
            job.error, job.unexpected = f"{type(error).__name__}: {error}", True
        finally:
            job.ended = time.monotonic()
            job.finished = True
        if job.ok and job.done:
            self._pace[_kind(job.key)] = job.seconds / job.done

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished]
        for key in finished[: max(len(finished) - self._keep, 0)]:
            del self._jobs[key]


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def wait_for(job: Job, timeout: float) -> bool:
    """Block until the job ends (for tests and scripts); True if it finished in time."""
    deadline = time.monotonic() + timeout
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    return job.finished
