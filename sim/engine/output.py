"""From a finished run to the canonical event log and the pools' utilisation per day.

The log has the same columns as a real export after reading: one row per activity instance
(sorted by case, start and end), and one row per case with its attribute row, its outcome
and its lost reason. Cases that arrived during the warm-up are left out entirely; cases
still running at the horizon stay in, with the events they had finished.

A run with a sink (``LogSink``) writes the same rows to two Parquet files instead, a chunk
at a time while it runs, and keeps only counters: see ``LogSink``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.calendar import DAY
from sim.engine.case import FINISHED, OPEN, RUNNING, Case, Recorder
from sim.engine.clock import FastClock
from sim.engine.resources import PoolState
from sim.engine.timeframe import TimeFrame
from sim.errors import PlannerError
from sim.eventlog import (
    ACTIVITY,
    CASE_ID,
    END,
    LOST_REASON,
    OUTCOME,
    REPLICATION,
    RESOURCE,
    STAGE,
    START,
    EventLog,
)
from sim.log_meta import LogMeta

UTILISATION_COLUMNS = ("pool", "date", "busy_seconds", "available_seconds", "share")
SECOND_TOLERANCE = 1e-3  # working seconds: less is rounding noise, not work or an open hour


def case_id(number: int) -> str:
    """Case ids sort as numbers: the same case has the same id in every scenario."""
    return f"SIM-{number:07d}"


def events_frame(recorder: Recorder, frame: TimeFrame, activities: list[str],
                 stages: list[str | None], keep: np.ndarray) -> pd.DataFrame:
    """The recorded events of the cases numbered in ``keep`` (a mask by case number).

    The recorder's lists are emptied as they become arrays: a long run's events are held
    once, not twice.
    """
    number = _take(recorder.case, np.int64)
    chosen = keep[number] if number.size else np.zeros(0, dtype=bool)
    number = number[chosen]
    start = _take(recorder.start, float)[chosen]
    end = _take(recorder.end, float)[chosen]
    order = np.lexsort((np.arange(number.size), end, start, number))
    number, start, end = number[order], start[order], end[order]
    code = _take(recorder.activity, np.int64)[chosen][order]
    resource = _take(recorder.resource, object)[chosen][order]
    present, where = np.unique(number, return_inverse=True)
    ids = np.array([case_id(n) for n in present.tolist()], dtype=object)
    return pd.DataFrame({
        CASE_ID: ids[where.reshape(-1)],
        ACTIVITY: np.array(activities, dtype=object)[code],
        START: frame.timestamps(start),
        END: frame.timestamps(end),
        RESOURCE: resource,
        STAGE: np.array(stages, dtype=object)[code],
    })


def _take(values: list, dtype: npt.DTypeLike) -> np.ndarray:
    """``values`` as an array, emptying the list."""
    array = np.array(values, dtype=dtype)
    values.clear()
    return array


def cases_frame(cases: list[Case], columns: tuple[str, ...], rows: list[tuple]) -> pd.DataFrame:
    """Attribute row, outcome and lost reason of each case, indexed by case id."""
    table = pd.DataFrame(rows, columns=list(columns)) if rows else pd.DataFrame(
        columns=list(columns))
    table = table.drop(columns=[c for c in (OUTCOME, LOST_REASON) if c in table])
    picked = [c.row for c in cases]
    if rows:
        out = table.iloc[picked].reset_index(drop=True)
    else:
        out = pd.DataFrame(index=range(len(cases)), columns=table.columns, dtype=object)
    out[OUTCOME] = pd.Series([c.outcome for c in cases], dtype=object)
    out[LOST_REASON] = pd.Series([c.lost_reason for c in cases], dtype=object)
    out.index = pd.Index([case_id(c.number) for c in cases], name=CASE_ID)
    return out


def _busy_until(starts: np.ndarray, ends: np.ndarray, clock: FastClock,
                moments: np.ndarray) -> np.ndarray:
    """Working seconds worked by all members up to each moment (sum over tasks)."""
    w_start = np.sort(clock.working_many(starts))
    w_end = np.sort(clock.working_many(ends))
    w_moment = clock.working_many(moments)

    def clipped(sorted_w: np.ndarray) -> np.ndarray:  # sum of min(w, moment) over tasks
        before = np.searchsorted(sorted_w, w_moment, side="right")
        prefix = np.concatenate([[0.0], np.cumsum(sorted_w)])
        return prefix[before] + (sorted_w.size - before) * w_moment

    return clipped(w_end) - clipped(w_start)


def busy_and_open(busy: np.ndarray, open_seconds: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Busy and open working seconds per day without the rounding noise of differences of
    large running totals: a closed day reads 1e-9 s open and -1e-7 s busy, which would be a
    share of -85 (below ``SECOND_TOLERANCE`` is zero)."""
    open_seconds = np.where(open_seconds < SECOND_TOLERANCE, 0.0, open_seconds)
    return np.where(busy < SECOND_TOLERANCE, 0.0, busy), open_seconds


def utilisation_frame(pools: dict[str, PoolState], frame: TimeFrame, horizon: float
                      ) -> pd.DataFrame:
    """Per pool and day from the start to the horizon: working seconds busy, available
    (calendar hours times pool size) and their share."""
    first_day = np.floor(frame.start / DAY) * DAY
    inner = np.arange(first_day + DAY, horizon, DAY)
    moments = np.concatenate([[frame.start], inner, [horizon]]) if horizon > frame.start else (
        np.zeros(0))
    parts = []
    for name, pool in pools.items():
        if moments.size < 2:
            break
        busy, open_seconds = busy_and_open(
            np.diff(_busy_until(*pool.intervals(), pool.clock, moments)),
            np.diff(pool.clock.working_many(moments)) * len(pool.members))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(open_seconds > 0, busy / np.where(open_seconds > 0, open_seconds,
                                                                1.0), np.nan)
        days = frame.timestamps(moments[:-1]).normalize()
        parts.append(pd.DataFrame({"pool": name, "date": days, "busy_seconds": busy,
                                   "available_seconds": open_seconds, "share": share}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UTILISATION_COLUMNS})
    return pd.concat(parts, ignore_index=True)


EVENTS_FILE = "events.parquet"
CASES_FILE = "cases.parquet"
EVENT_CHUNK = 200_000  # events (and pool work intervals) held before they are written out
CASE_CHUNK = 50_000  # finished cases held before they are written out


class LogSink:
    """A run's log streamed to ``folder/events.parquet`` and ``folder/cases.parquet``.

    The rows are those of the in-memory log (same columns, values and time zone), written a
    chunk at a time: events once ``EVENT_CHUNK`` have been recorded, cases once they have
    finished (``sweep``) and ``CASE_CHUNK`` are waiting. Each chunk is sorted by case, start
    and end, but the files are in the order the run produced the chunks, not globally: sort
    by case id (and start, end) for the canonical order. What stays in memory is the cases
    still running, counters, and each pool's work intervals as float arrays (for the
    utilisation), so a long run's memory is a small fraction of its log's.
    """

    def __init__(self, folder: str | Path, frame: TimeFrame, activities: list[str],
                 stages: list[str | None], columns: tuple[str, ...], rows: list[tuple],
                 keep: np.ndarray) -> None:
        root = Path(folder)
        if root.exists() and not root.is_dir():
            raise PlannerError(f"{root}: is a file; the sink must be a folder (it gets "
                               f"{EVENTS_FILE} and {CASES_FILE}).")
        self.events_path, self.cases_path = root / EVENTS_FILE, root / CASES_FILE
        taken = [str(p) for p in (self.events_path, self.cases_path) if p.exists()]
        if taken:
            raise PlannerError(f"{', '.join(taken)} already exist(s); give the run an empty "
                               "folder, so that no earlier log is overwritten.")
        root.mkdir(parents=True, exist_ok=True)
        self.frame, self.activities, self.stages = frame, activities, stages
        self.columns, self.rows = columns, rows
        self.keep = keep  # by case number: arrived at or after the start (not warm-up)
        self.events = self.cases = self.finished = self.warmup_cases = 0
        self.open_ids: list[str] = []
        self.last_end = -math.inf
        self._waiting: list[Case] = []
        self._writers: dict[Path, pq.ParquetWriter] = {}

    def sweep(self, recorder: Recorder, every: list[Case], pools: dict[str, PoolState],
              final: bool = False) -> None:
        """Write out what is due: full chunks, or everything when ``final``; ``every`` keeps
        only the cases still running (all remaining ones are taken when ``final``)."""
        if recorder.case and (final or len(recorder.case) >= EVENT_CHUNK):
            latest = max(recorder.end)
            self.last_end = max(self.last_end, latest)
            table = events_frame(recorder, self.frame, self.activities, self.stages, self.keep)
            self.events += len(table)
            self._write(self.events_path, table)
        running = []
        for case in every:
            if case.state == RUNNING and not final:
                running.append(case)
            elif not self.keep[case.number]:
                self.warmup_cases += 1
            else:
                self.cases += 1
                self.finished += case.state == FINISHED
                if case.state != FINISHED:
                    case.state = OPEN
                    self.open_ids.append(case_id(case.number))
                self._waiting.append(case)
        every[:] = running
        if self._waiting and (final or len(self._waiting) >= CASE_CHUNK):
            table = cases_frame(self._waiting, self.columns, self.rows).reset_index()
            self._waiting = []
            self._write(self.cases_path, table)
        for pool in pools.values():
            if final or len(pool.busy_start) >= EVENT_CHUNK:
                pool.put_aside()

    def close(self, recorder: Recorder, every: list[Case], pools: dict[str, PoolState]
              ) -> None:
        """Write the rest and close the files (each pool keeps its work intervals as arrays,
        ``PoolState.intervals``, for ``utilisation_frame``)."""
        self.sweep(recorder, every, pools, final=True)
        for path, template in ((self.events_path, events_frame(
                Recorder(), self.frame, self.activities, self.stages, self.keep)),
                (self.cases_path, cases_frame([], self.columns, self.rows).reset_index())):
            if path not in self._writers:
                self._write(path, template)  # an empty run still leaves both files
            self._writers.pop(path).close()

    def _write(self, path: Path, table: pd.DataFrame) -> None:
        arrays = [_text(table[c]) if table[c].dtype == object else pa.Array.from_pandas(table[c])
                  for c in table.columns]
        chunk = pa.Table.from_arrays(arrays, names=[str(c) for c in table.columns])
        writer = self._writers.get(path)
        if writer is None:
            writer = self._writers[path] = pq.ParquetWriter(path, chunk.schema)
        writer.write_table(chunk.cast(writer.schema))


def _text(column: pd.Series) -> pa.Array:
    """An object column as Arrow strings (missing values as nulls, other values as text)."""
    try:
        return pa.array(column, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([None if v is None or (isinstance(v, float) and math.isnan(v))
                         else str(v) for v in column.tolist()], type=pa.string())




def combined_log(logs: list[EventLog]) -> EventLog:
    """Several replications as one log with a ``replication`` column (1, 2, ...).

    Case ids get the replication in front (``R2-SIM-0000017``) so that a reader keeps the
    replications' cases apart.
    """
    events, cases, runs = [], [], []
    for log in logs:
        run = log.meta.run
        label = (run.replication if run is not None else 0) + 1
        prefix = f"R{label}-"
        part = log.events.copy()
        part[CASE_ID] = prefix + part[CASE_ID].astype(str)
        part[REPLICATION] = label
        events.append(part)
        table = log.cases.copy()
        table.index = (prefix + table.index.astype(str)).rename(CASE_ID)
        cases.append(table)
        if run is not None:
            runs.append(run)
    first = logs[0]
    return EventLog(events=pd.concat(events, ignore_index=True), cases=pd.concat(cases),
                    name=f"{first.meta.run.model if first.meta.run else first.name} "
                         f"({len(logs)} replications)",
                    timezone=first.timezone, meta=LogMeta(replications=tuple(runs)),
                    roles=first.roles, custom_kpis=first.custom_kpis)
