"""Per-activity times: how long a case waits before each activity, and how long it takes.

Waiting runs from the end of everything earlier in the case to the start of the activity
(zero when it overlaps with an earlier one); the first activity of a case has no wait.
Processing time needs start and end timestamps: a log with one timestamp per event cannot
tell it, and says so instead of reporting zeros.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.kpis.catalogue import BY_KIND, KpiDefinition
from sim.kpis.observed import Observed
from sim.kpis.result import P90, KpiResult, make, unavailable


def _by_activity(obs: Observed, values: np.ndarray, keep: np.ndarray, kpi: KpiDefinition
                 ) -> list[KpiResult]:
    """Median, mean and p90 per activity, activities in their usual order in a case."""
    frame = pd.DataFrame({"activity": obs.activity[keep], "days": values[keep]})
    grouped = frame.groupby("activity")["days"]
    stats = grouped.agg(["size", "mean", "median"]).join(grouped.quantile(P90).rename("p90"))
    position = pd.Series(obs.case).groupby(obs.case).cumcount()
    stats["position"] = position.groupby(obs.activity).mean().reindex(stats.index)
    stats = stats.sort_values(["position", "median"])
    return [make(kpi, int(row["size"]), float(row["median"]), str(name),
                 mean=float(row["mean"]), median=float(row["median"]), p90=float(row["p90"]))
            for name, row in zip(obs.activities[stats.index], stats.to_dict("records"),
                                 strict=True)]


def waiting_times(obs: Observed) -> list[KpiResult]:
    """``waiting_time:<activity>`` for every activity that follows another in a case."""
    before = pd.Series(obs.end).groupby(obs.case).cummax().shift().to_numpy()
    later = np.r_[False, obs.case[1:] == obs.case[:-1]]
    waits = np.clip(obs.start - np.where(later, before, np.nan), 0.0, None)
    return _by_activity(obs, waits, later, BY_KIND["waiting_time"])


def processing_times(obs: Observed) -> list[KpiResult]:
    """``processing_time:<activity>`` (start to end), when the log has durations."""
    if not obs.timed:
        return [unavailable(BY_KIND["processing_time"],
                            "the log has one timestamp per event (no start and end), so "
                            "processing time cannot be measured")]
    return _by_activity(obs, obs.end - obs.start, np.ones(len(obs.case), dtype=bool),
                        BY_KIND["processing_time"])


def frequencies(obs: Observed) -> list[KpiResult]:
    """``frequency:<activity>``: how often each activity is done per case (rework shows up
    as more than one), the check that a model does each step as often as the history."""
    counts = np.bincount(obs.activity, minlength=len(obs.activities))
    cases = max(obs.n_cases, 1)
    return [make(BY_KIND["frequency"], int(count), float(count) / cases, str(name))
            for name, count in zip(obs.activities, counts, strict=True) if count > 0]
