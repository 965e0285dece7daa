"""``simulate``: one replication of a process model, from arrivals to the event log.

The arrival times are drawn first (one vectorised stream per replication); a SimPy process
then starts each case at its arrival, and the environment runs to the horizon. A run given
``days`` stops at ``start + days``; a run given ``cases`` stops arrivals after that many
cases and goes on until every case has finished, at most ``CAP_DAYS`` after the last
arrival. Cases still running then are reported as open, never dropped.

Given a ``sink`` folder, a run streams its log to Parquet files there as it goes
(``output.LogSink``) instead of holding it, so that a million cases need a fraction of the
memory: the returned log then has empty tables and says in ``run.sink`` where the rows
are, with the same counts in ``run`` as an in-memory run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from sim.calendar import DAY
from sim.engine.arrivals import arrival_times
from sim.engine.case import FINISHED, OPEN, RUNNING, Case, CaseRunner, Recorder
from sim.engine.output import (
    LogSink,
    case_id,
    cases_frame,
    events_frame,
    utilisation_frame,
)
from sim.engine.plan import compile_model, plans_by_row
from sim.engine.resources import PoolState
from sim.engine.streams import UniformBank, arrivals_stream
from sim.engine.timeframe import ARRIVAL_CAP_YEARS, CAP_DAYS, TimeFrame, time_frame
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.log_meta import LogMeta, SimulatedRun, SinkFiles
from sim.model import ProcessModel

PROGRESS_EVERY = 2000  # arrivals between two progress reports
SWEEP_EVERY = 4096  # arrivals between two sweeps of finished cases into a sink


@dataclass
class SimulationResult:
    """One replication: the log, the cases open at the horizon, and pool utilisation.

    ``utilisation`` has one row per pool and day: ``busy_seconds`` (working seconds the
    members worked), ``available_seconds`` (the pool calendar's open seconds times its size)
    and ``share`` (their ratio).
    """

    log: EventLog
    open_cases: list[str]
    utilisation: pd.DataFrame

    @property
    def run(self) -> SimulatedRun:
        """What the run was asked for and what came of it: its log's ``meta.run``, which
        ``simulate`` always sets."""
        if self.log.meta.run is None:
            raise PlannerError(f"{self.log.name}: this log was not simulated, so it has no run.")
        return self.log.meta.run


def simulate(model: ProcessModel, *, cases: int | None = None, days: float | None = None,
             start: str | pd.Timestamp | None = None, warmup_days: float = 0.0,
             seed: int = 0, replication: int = 0,
             progress: Callable[[float], None] | None = None,
             sink: str | Path | None = None) -> SimulationResult:
    """Run ``model`` once and return its event log (same seed and replication: same log).

    ``start`` defaults to the date the model's log began; ``warmup_days`` of arrivals before
    it fill the queues and are left out of the log. ``progress`` is called now and then with
    the share of arrivals processed so far. With ``sink`` (a folder, created if need be,
    without an earlier log in it) the events and cases are written to ``events.parquet``
    and ``cases.parquet`` there while the run goes on, and the returned log's tables are
    empty (see the module docstring).
    """
    for name, value in (("seed", seed), ("replication", replication)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise PlannerError(f"{name} must be a whole number >= 0 (got {value!r}).")
    frame = time_frame(model, cases=cases, days=days, start=start, warmup_days=warmup_days)
    times = arrival_times(model.arrivals, frame.anchor, arrivals_stream(seed, replication),
                          first=frame.arrivals_from, last=frame.arrivals_until,
                          limit=frame.cases, counted_from=frame.start)
    horizon = frame.horizon
    if not math.isfinite(horizon):
        horizon = (float(times[-1]) if times.size else frame.start) + CAP_DAYS * DAY
    plan = compile_model(model, frame.anchor)
    rows: list[dict[str, object]] = [dict(zip(model.attributes.columns, row, strict=True))
                                     for row in model.attributes.rows]
    env = simpy.Environment(initial_time=frame.arrivals_from)
    runner = CaseRunner(env, plan, horizon, rows, model.owner_attribute,
                        row_weights=model.attributes.weights,
                        row_plans=plans_by_row(model, plan, frame.anchor))
    every: list[Case] = []
    writer = None
    if sink is not None:
        writer = LogSink(sink, frame, list(model.activities),
                         [a.stage for a in model.activities.values()],
                         model.attributes.columns, list(model.attributes.rows),
                         keep=np.concatenate([[False], times >= frame.start]))
    env.process(_arrivals(env, runner, times, every, seed, replication, progress, writer))
    env.run(until=horizon)
    if progress is not None:
        progress(1.0)
    if writer is not None:
        writer.close(runner.events, every, plan.pools)
        return _streamed_result(model, frame, writer, plan.pools, times, horizon, seed,
                                replication, cases=cases, days=days, warmup_days=warmup_days)
    return _result(model, frame, runner, every, times, horizon, seed, replication,
                   cases=cases, days=days, warmup_days=warmup_days)


def _arrivals(env: simpy.Environment, runner: CaseRunner, times: np.ndarray,
              every: list[Case], seed: int, replication: int,
              progress: Callable[[float], None] | None,
              writer: LogSink | None = None) -> Generator[simpy.Event, object, None]:
    """Start each case's process at its arrival; cases are numbered from 1 in arrival order.

    With a ``writer``, finished cases leave ``every`` for the sink now and then."""
    total = len(times)
    bank = UniformBank(seed, replication, runner.plan.keys.keys)
    for number, arrival in enumerate(times.tolist(), start=1):
        if arrival > env.now:
            yield env.timeout(arrival - env.now)
        case = Case(number, arrival)
        every.append(case)
        runner.start(case, bank.case(number))
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number / total)
        if writer is not None and number % SWEEP_EVERY == 0:
            writer.sweep(runner.events, every, runner.plan.pools)


def _result(model: ProcessModel, frame: TimeFrame, runner: CaseRunner, every: list[Case],
            times: np.ndarray, horizon: float, seed: int, replication: int, *,
            cases: int | None, days: float | None, warmup_days: float) -> SimulationResult:
    for case in every:
        if case.state == RUNNING:
            case.state = OPEN
    kept = [c for c in every if c.arrival >= frame.start]
    keep = np.zeros(len(every) + 1, dtype=bool)
    keep[[c.number for c in kept]] = True
    open_ids = [case_id(c.number) for c in kept if c.state == OPEN]
    if days is None and not open_ids:
        ends = runner.events.end
        horizon = max([frame.start, *(times[-1:].tolist()), max(ends, default=frame.start)])
    events = events_frame(runner.events, frame, list(model.activities),
                          [a.stage for a in model.activities.values()], keep)
    table = cases_frame(kept, model.attributes.columns, list(model.attributes.rows))
    run = _run(model, frame, horizon, seed, replication, cases=cases, days=days,
               warmup_days=warmup_days, kept=len(kept),
               finished=sum(c.state == FINISHED for c in kept), open_cases=len(open_ids),
               warmup_cases=len(every) - len(kept), events=len(events))
    log = EventLog(events=events, cases=table,
                   name=f"{model.name} (simulated, seed {seed}, replication {replication})",
                   timezone=model.timezone, meta=LogMeta(run=run), roles=_roles(model),
                   custom_kpis=model.kpis)
    return SimulationResult(log=log, open_cases=open_ids,
                            utilisation=utilisation_frame(runner.plan.pools, frame, horizon))


def _streamed_result(model: ProcessModel, frame: TimeFrame, writer: LogSink,
                     pools: dict[str, PoolState], times: np.ndarray, horizon: float,
                     seed: int, replication: int, *, cases: int | None, days: float | None,
                     warmup_days: float) -> SimulationResult:
    """``_result`` for a run whose log went to a sink: the same run, empty tables."""
    if days is None and not writer.open_ids:
        horizon = max([frame.start, *(times[-1:].tolist()), writer.last_end])
    run = replace(_run(model, frame, horizon, seed, replication, cases=cases, days=days,
                       warmup_days=warmup_days, kept=writer.cases, finished=writer.finished,
                       open_cases=len(writer.open_ids), warmup_cases=writer.warmup_cases,
                       events=writer.events),
                  sink=SinkFiles(events=str(writer.events_path), cases=str(writer.cases_path)))
    events = events_frame(Recorder(), frame, list(model.activities),
                          [a.stage for a in model.activities.values()], writer.keep)
    log = EventLog(events=events,
                   cases=cases_frame([], model.attributes.columns, list(model.attributes.rows)),
                   name=f"{model.name} (simulated, seed {seed}, replication {replication})",
                   timezone=model.timezone, meta=LogMeta(run=run), roles=_roles(model),
                   custom_kpis=model.kpis)
    return SimulationResult(log=log, open_cases=list(writer.open_ids),
                            utilisation=utilisation_frame(pools, frame, horizon))


def _roles(model: ProcessModel) -> ActivityRoles | None:
    """The model's roles for its simulated log; None for a model that maps none (the
    roles in effect where the log is measured apply)."""
    return model.activity_roles() if model.roles else None


def _run(model: ProcessModel, frame: TimeFrame, horizon: float, seed: int, replication: int,
         *, cases: int | None, days: float | None, warmup_days: float, kept: int,
         finished: int, open_cases: int, warmup_cases: int, events: int) -> SimulatedRun:
    """What a run was asked for and what came of it (``log.meta.run``)."""
    short = cases is not None and kept < cases and days is None
    return SimulatedRun(
        model=model.name, seed=seed, replication=replication,
        start=str(frame.timestamp(frame.start)), horizon=str(frame.timestamp(horizon)),
        days=days, requested_cases=cases, warmup_days=warmup_days,
        cases=kept, finished=finished, open_cases=open_cases,
        warmup_cases=warmup_cases, events=events,
        note=f"only {kept} of {cases} cases arrived within {ARRIVAL_CAP_YEARS} years"
        if short else None)
