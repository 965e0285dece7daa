"""From a finished run to the canonical event log and the pools' utilisation per day.

The log has the same columns as a real export after reading: one row per activity instance
(sorted by case, start and end), and one row per case with its attribute row, its outcome
and its lost reason. Cases that arrived during the warm-up are left out entirely; cases
still running at the horizon stay in, with the events they had finished.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calendar import DAY
from sim.engine.case import Case, Recorder
from sim.engine.clock import FastClock
from sim.engine.resources import PoolState
from sim.engine.timeframe import TimeFrame
from sim.eventlog import (
    ACTIVITY,
    CASE_ID,
    END,
    LOST_REASON,
    OUTCOME,
    RESOURCE,
    STAGE,
    START,
    EventLog,
)

UTILISATION_COLUMNS = ("pool", "date", "busy_seconds", "available_seconds", "share")


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
    ids = np.array([case_id(n) for n in range(int(keep.size))], dtype=object)
    return pd.DataFrame({
        CASE_ID: ids[number],
        ACTIVITY: np.array(activities, dtype=object)[code],
        START: frame.timestamps(start),
        END: frame.timestamps(end),
        RESOURCE: resource,
        STAGE: np.array(stages, dtype=object)[code],
    })


def _take(values: list, dtype: object) -> np.ndarray:
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
        busy = np.diff(_busy_until(np.asarray(pool.busy_start), np.asarray(pool.busy_end),
                                   pool.clock, moments))
        open_seconds = np.diff(pool.clock.working_many(moments)) * len(pool.members)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(open_seconds > 0, busy / np.where(open_seconds > 0, open_seconds,
                                                                1.0), np.nan)
        days = frame.timestamps(moments[:-1]).normalize()
        parts.append(pd.DataFrame({"pool": name, "date": days, "busy_seconds": busy,
                                   "available_seconds": open_seconds, "share": share}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UTILISATION_COLUMNS})
    return pd.concat(parts, ignore_index=True)


REPLICATION = "replication"


def combined_log(logs: list[EventLog]) -> EventLog:
    """Several replications as one log with a ``replication`` column (1, 2, ...).

    Case ids get the replication in front (``R2-SIM-0000017``) so that a reader keeps the
    replications' cases apart.
    """
    events, cases, metas = [], [], []
    for log in logs:
        label = int(log.meta.get(REPLICATION, 0)) + 1  # type: ignore[call-overload]
        prefix = f"R{label}-"
        part = log.events.copy()
        part[CASE_ID] = prefix + part[CASE_ID].astype(str)
        part[REPLICATION] = label
        events.append(part)
        table = log.cases.copy()
        table.index = (prefix + table.index.astype(str)).rename(CASE_ID)
        cases.append(table)
        metas.append(log.meta)
    first = logs[0]
    return EventLog(events=pd.concat(events, ignore_index=True), cases=pd.concat(cases),
                    name=f"{first.meta.get('model', first.name)} ({len(logs)} replications)",
                    timezone=first.timezone, meta={"replications": metas})
