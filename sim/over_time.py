"""Behaviour over time: work in progress, queues and busy shares per pool, week by week.

A KPI's mean over a year hides the weeks in which the process chokes, which is what a
process owner asks about before taking 30% more leads. Like every KPI these are functions
of an event log, so the history and each simulated replication are measured the same way:

- **work in progress**: cases between their first event and their end (an open case until
  the end of the log), averaged over the week;
- **queue** of a pool: cases waiting for one of the pool's activities, from the end of the
  case's previous step to the activity's start (what the log can tell of a queue: the wait
  a person is not yet working on), averaged over the week;
- **utilisation** of a pool: the working time its activities took (in the pool's working
  hours) over the working time its members had (calendar hours times the pool's size).

Weeks start on Monday 00:00 on the log's clock, so replications and scenarios line up week by
week; a week the log covers only in part is averaged over the part it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from sim.chart_data import WeeklySeries
from sim.engine.timeframe import zone
from sim.eventlog import START, EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis.observed import Observed, observe
from sim.model import ProcessModel
from sim.summer_time import to_local

WIP, QUEUE, UTILISATION = "wip", "queue", "utilisation"
MEASURES = (WIP, QUEUE, UTILISATION)
COLUMNS = ("measure", "pool", "week", "value")  # pool "" for work in progress
HISTORY_OVER_TIME: Final = "over_time_history"  # chart section of the baseline: the history's weeks


def _overlap(begin: np.ndarray, end: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per bin between consecutive ``edges``: the summed overlap of the intervals
    [begin, end), from prefix sums of sorted ends (n log n, not intervals x bins)."""
    def total_below(points: np.ndarray) -> np.ndarray:  # sum of min(point, edge) per edge
        ordered = np.sort(points)
        before = np.searchsorted(ordered, edges, side="right")
        prefix = np.concatenate([[0.0], np.cumsum(ordered)])
        return prefix[before] + (ordered.size - before) * edges

    end = np.maximum(end, begin)
    return np.diff(total_below(end) - total_below(begin))


def week_edges(origin: pd.Timestamp, period_days: float) -> tuple[np.ndarray, list[str]]:
    """Mondays from the one on or before ``origin`` past the period's end, in days since
    ``origin`` (the first and last clipped to the period), with each week's label."""
    monday = origin.normalize() - pd.Timedelta(days=origin.dayofweek)
    first = float((monday - origin) / pd.Timedelta(days=1))
    count = max(1, int(np.ceil((period_days - first) / 7.0)))
    edges = first + 7.0 * np.arange(count + 1)
    labels = [(monday + pd.Timedelta(days=7 * k)).strftime("%Y-%m-%d") for k in range(count)]
    return np.clip(edges, 0.0, period_days), labels


def _wall_seconds(origin: pd.Timestamp, days: np.ndarray, model: ProcessModel,
                  anchor: pd.Timestamp) -> np.ndarray:
    """Seconds on the model's local clock since ``anchor`` (a Monday): where its calendars
    say who works."""
    stamps = pd.Series(origin + pd.to_timedelta(days, unit="D"))
    tz = zone(model.timezone)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(tz if tz is not None else "UTC").dt.tz_localize(None)
    local = to_local(stamps, model.summer_time)
    return ((local - anchor) / pd.Timedelta(seconds=1)).to_numpy(float)


def _per_week(values: np.ndarray, covered: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(covered > 0, values / np.where(covered > 0, covered, 1.0), np.nan)


def behaviour(obs: Observed, origin: pd.Timestamp, model: ProcessModel) -> pd.DataFrame:
    """Weekly work in progress, and queue and utilisation per pool of ``model``, of the log
    ``obs`` reads (``origin``: its first event, where ``obs`` counts days from)."""
    edges, labels = week_edges(origin, obs.period_days)
    covered = np.diff(edges)
    everything = np.ones(len(obs.case), dtype=bool)
    first = obs.per_case(everything, obs.start, "min")
    last = np.where(obs.finished, obs.per_case(everything, obs.end, "max"), obs.period_days)
    parts = [(WIP, "", _per_week(_overlap(first, last, edges), covered))]
    pool_of = np.array([getattr(model.activities.get(str(a)), "pool", None)
                        for a in obs.activities], dtype=object)
    event_pool = pool_of[obs.activity] if len(obs.activities) else np.zeros(0, object)
    before = pd.Series(obs.end).groupby(obs.case).cummax().shift().to_numpy()
    later = np.r_[False, obs.case[1:] == obs.case[:-1]] if len(obs.case) else everything
    ready = np.where(later, np.minimum(before, obs.start), obs.start)
    anchor = _anchor(origin, model)
    wall_edges = _wall_seconds(origin, edges, model, anchor)
    for name in sorted(model.pools):
        mine = event_pool == name
        parts.append((QUEUE, name, _per_week(_overlap(ready[mine], obs.start[mine], edges),
                                             covered)))
        clock = model.pools[name].calendar.clock
        w_edges = np.asarray(clock.working(wall_edges), dtype=float)
        w_start = np.asarray(clock.working(_wall_seconds(origin, obs.start[mine], model,
                                                         anchor)), dtype=float)
        w_end = np.asarray(clock.working(_wall_seconds(origin, obs.end[mine], model, anchor)),
                           dtype=float)
        busy = _overlap(w_start, w_end, w_edges)
        parts.append((UTILISATION, name, _per_week(busy, np.diff(w_edges) *
                                                   model.pools[name].size)))
    return _frame(parts, labels)


def _anchor(origin: pd.Timestamp, model: ProcessModel) -> pd.Timestamp:
    """A Monday 00:00 on the local clock before the log's first event (the calendars' week
    starts there; a week of margin covers the summer-time shift)."""
    local = origin
    if origin.tzinfo is not None:
        tz = zone(model.timezone)
        local = origin.tz_convert(tz if tz is not None else "UTC").tz_localize(None)
    return local.normalize() - pd.Timedelta(days=local.dayofweek + 7)


def _frame(parts: Sequence[tuple[str, str, np.ndarray]], labels: list[str]) -> pd.DataFrame:
    """The long table: one row per measure, pool and week that has a value."""
    rows = pd.DataFrame({
        "measure": np.repeat([m for m, _, _ in parts], len(labels)),
        "pool": np.repeat([p for _, p, _ in parts], len(labels)),
        "week": np.tile(labels, len(parts)),
        "value": np.concatenate([v for _, _, v in parts]) if parts else np.zeros(0)})
    return rows[np.isfinite(rows["value"])].reset_index(drop=True)


def log_behaviour(log_events: pd.DataFrame, obs: Observed, model: ProcessModel
                  ) -> pd.DataFrame:
    """``behaviour`` of a log's events as ``observe`` read them (its first start is the
    origin its days count from)."""
    if log_events.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return behaviour(obs, pd.Timestamp(log_events[START].min()), model)


def summarise(runs: Sequence[pd.DataFrame]) -> dict[str, WeeklySeries]:
    """Per series (measure and pool) and week: the mean across replications and its 95%
    interval (from two replications on, within what the measure can be: a busy share
    between 0 and 1), as JSON-ready chart data."""
    from sim.kpis.replications import t_interval

    if not runs:
        return {}
    table = pd.concat([r.assign(replication=i) for i, r in enumerate(runs)],
                      ignore_index=True)
    found: dict[str, WeeklySeries] = {}
    for (measure, pool), rows in table.groupby(["measure", "pool"], sort=True):
        mean: dict[str, float] = {}
        band: dict[str, list[float]] = {}
        top = 1.0 if measure == UTILISATION else np.inf
        for week, values in rows.groupby("week", sort=True)["value"]:
            numbers = values.to_numpy(float)
            mean[str(week)] = float(numbers.mean())
            low, high = t_interval(numbers)
            if low is not None and high is not None:
                band[str(week)] = [max(low, 0.0), min(high, top)]
        found[series_key(str(measure), str(pool))] = {"mean": mean, "ci": band}
    return found


def series_key(measure: str, pool: str) -> str:
    """'wip', 'queue:Approvers', 'utilisation:Approvers': the key of one series."""
    return f"{measure}:{pool}" if pool else measure


def split_key(key: str) -> tuple[str, str]:
    measure, _, pool = key.partition(":")
    return measure, pool


def history_series(log: EventLog, model: ProcessModel) -> dict[str, WeeklySeries]:
    """The history's series in the shape of ``summarise`` (one log: no interval), measured
    with the pools and calendars of the model learned from it."""
    obs = observe(log.events, log.cases, log.roles or ActivityRoles.default())
    found = log_behaviour(log.events, obs, model)
    return summarise([found]) if not found.empty else {}

