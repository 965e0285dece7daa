"""Where an event log came from: the file it was read from, the sample generator that made
it, or the simulation runs that produced it.

An ``EventLog`` carries one ``LogMeta``. Each origin fills its own fields and leaves the
others empty, so a reader names the field it needs (``log.meta.source_path``,
``result.run.cases``) and the type checker knows what it holds. Nothing here is written to
a file: the meta lives as long as the log in memory.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SinkFiles:
    """Where a streamed run wrote its rows (``simulate(..., sink=FOLDER)``)."""

    events: str
    cases: str


@dataclass(frozen=True)
class SimulatedRun:
    """What one replication was asked for and what came of it (``l2c simulate`` prints it).

    ``start`` and ``horizon`` are timestamps as text on the model's clock; ``cases``,
    ``finished`` and ``open_cases`` count the cases kept after the warm-up, whose own cases
    are ``warmup_cases``.
    """

    model: str
    seed: int
    replication: int  # from 0
    start: str
    horizon: str
    days: float | None  # the run's length asked for, or None for a number of cases
    requested_cases: int | None
    warmup_days: float
    cases: int
    finished: int
    open_cases: int
    warmup_cases: int
    events: int
    note: str | None = None  # said when fewer cases arrived than were asked for
    sink: SinkFiles | None = None  # a streamed run's files; its log's tables are empty


@dataclass(frozen=True)
class LogMeta:
    """A log's origin: which fields are set says where it came from."""

    source_path: str | None = None  # read from this file: a writer never overwrites it
    file_format: str | None = None  # the reader's name for that file's format
    seed: int | None = None  # the bundled sample: the generator's seed ...
    log_end: str | None = None  # ... and the last day its log covers
    holdout: str | None = None  # a holdout's training part: which cases and events it kept
    run: SimulatedRun | None = None  # one simulated replication
    replications: tuple[SimulatedRun, ...] = ()  # several replications combined in one log
