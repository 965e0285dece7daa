"""What the Model page shows, as plain tables and arrays (no Streamlit here).

The observed durations are measured the way calibration measures them: work time in the
working hours of the activity's pool, divided by the member's speed; the delay before an
activity from the end of the case's previous activity, in working hours for staffed work
and on the wall clock otherwise. For staffed work the observed delay still contains
queueing for a busy person, which the fitted delay leaves out (the simulation adds the
queueing by itself), so there the histogram sits to the right of the curve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calibration.fit.prepared import prepare
from sim.distributions import Distribution
from sim.eventlog import EventLog
from sim.model import END, ProcessModel

Q_GRID = np.linspace(0.0, 0.9999, 2001)  # not 1: unbounded families have no finite top
DAY, HOUR, MINUTE = 86400.0, 3600.0, 60.0


@dataclass
class Observed:
    """Observed durations of one activity, in seconds."""

    processing: np.ndarray | None = None
    delay: np.ndarray = field(default_factory=lambda: np.array([]))
    delay_groups: dict[str, np.ndarray] = field(default_factory=dict)


def observed_durations(log: EventLog, model: ProcessModel) -> dict[str, Observed]:
    """Per activity of the model: its observed work times and delays."""
    prepared = prepare(log)
    found: dict[str, Observed] = {}
    for code, name in enumerate(prepared.activities):
        activity = model.activities.get(name)
        if activity is None:
            continue
        mine = prepared.activity == code
        start, end, prev = prepared.start[mine], prepared.end[mine], prepared.prev_end[mine]
        pool = model.pools.get(activity.pool) if activity.pool else None
        observed = Observed()
        if pool is not None and activity.processing is not None:
            work = np.asarray(pool.calendar.work_clock.between(start, end), dtype=float)
            speed = (pd.Series(prepared.resource[mine], dtype=object).astype(str)
                     .map(pool.speed).fillna(1.0).to_numpy())
            observed.processing = work / speed
        has_prev = ~np.isnan(prev)
        if activity.delay_clock == "working" and pool is not None:
            delay = np.asarray(pool.calendar.clock.between(prev[has_prev], start[has_prev]),
                               dtype=float)
        else:
            delay = np.maximum(start[has_prev] - prev[has_prev], 0.0)
        observed.delay = delay
        by = activity.delay_by
        if by is not None and by.also is None and by.attribute in log.cases:
            levels = prepared.case_attribute(by.attribute).astype("string")
            per_event = levels.to_numpy()[prepared.case[mine]][has_prev]
            observed.delay_groups = {str(v): delay[per_event == v] for v in by.values}
        found[name] = observed
    return found


def time_unit(seconds: np.ndarray | float) -> tuple[float, str]:
    """The unit a set of durations reads best in: (seconds per unit, unit name)."""
    typical = float(np.nanmedian(np.asarray(seconds, dtype=float))) if np.size(seconds) else 0
    if typical >= DAY:
        return DAY, "days"
    if typical >= HOUR:
        return HOUR, "hours"
    return MINUTE, "minutes"


def fitted_shares(dist: Distribution, edges: np.ndarray) -> np.ndarray:
    """The share of the fitted distribution falling in each bin (edges in seconds, the
    first at 0), from its quantile function: no random draws, so the curve is the same
    every time. A point mass at zero lands in the first bin."""
    quantiles = np.maximum.accumulate(np.asarray(dist.quantile(Q_GRID), dtype=float))
    cdf = np.interp(edges, quantiles, Q_GRID, left=0.0, right=1.0)
    cdf[0] = 0.0
    return np.diff(cdf)


def histogram_bins(observed: np.ndarray, dist: Distribution | None, bins: int = 40
                   ) -> np.ndarray:
    """Bin edges (seconds) from 0 to the 99th percentile of data and fit, so one long tail
    does not squash the picture."""
    highs = [float(np.quantile(observed, 0.99))] if len(observed) else []
    if dist is not None:
        highs.append(float(dist.quantile(0.99)))
    top = max([*highs, 1.0])
    return np.linspace(0.0, top, bins + 1)


def activity_rows(model: ProcessModel) -> pd.DataFrame:
    """One row per activity: how often, who, work and delay (median, P90, distribution),
    and for one released in runs, their interval and the age a case needs (days)."""
    rows = []
    for name, activity in sorted(model.activities.items(), key=lambda kv: -kv[1].count):
        rows.append({
            "activity": name, "count": activity.count, "kind": activity.kind,
            "pool": activity.pool or "",
            "work_median": _q(activity.processing, 0.5), "work_p90": _q(activity.processing, 0.9),
            "work_fit": activity.processing.kind if activity.processing else "",
            "delay_median": _q(activity.delay, 0.5), "delay_p90": _q(activity.delay, 0.9),
            "delay_fit": activity.delay.kind,
            "batch_every_days": activity.batch.every_days if activity.batch else None,
            "batch_min_age_days": activity.batch.min_age_days if activity.batch else None,
        })
    return pd.DataFrame(rows)


def _q(dist: Distribution | None, q: float) -> float | None:
    return None if dist is None else float(dist.quantile(q))


def branch_rows(model: ProcessModel, activity: str, end_label: str = "(end)"
                ) -> pd.DataFrame:
    """What follows ``activity``: next step, probability, and the per-key tables when the
    branch depends on the visit or a case attribute (one column per key)."""
    branch = model.routing.branches.get(activity)
    if branch is None:
        return pd.DataFrame(columns=["next", "probability"])
    table = pd.DataFrame({"next": list(branch.pooled),
                          "probability": list(branch.pooled.values())})
    for key, probabilities in branch.table.items():
        table[key] = [probabilities.get(target, 0.0) for target in branch.pooled]
    table["next"] = table["next"].replace({END: end_label})
    return table.sort_values("probability", ascending=False, ignore_index=True)


def pool_rows(model: ProcessModel) -> pd.DataFrame:
    rows = []
    for name, pool in model.pools.items():
        work = [a for a, act in model.activities.items() if act.pool == name]
        rows.append({"pool": name, "size": pool.size, "calendar": pool.calendar.describe(),
                     "assignment": pool.assignment, "members": ", ".join(pool.members),
                     "activities": ", ".join(work)})
    return pd.DataFrame(rows)


def week_matrix(hourly: np.ndarray) -> np.ndarray:
    """168 hourly values (Monday 00:00 first) as a 7 x 24 matrix (weekday x hour)."""
    return np.asarray(hourly, dtype=float).reshape(7, 24)
