"""The process map as numbers, for a scenario against the baseline: what changed, where.

A map of the history shows where cases go and wait; a what-if needs the same map for the
scenario beside the baseline's. Like every KPI this is measured on event logs: per activity
how often it is done and its median work (start to end), per transition a -> b (b done right
after a in a case, and each case's start and end) how often it happens and the median wait
from the end of a to the start of b. A study keeps each member's mean over its replications
and, for a scenario, each median's difference from the baseline paired replication by
replication with its 95% interval, so the map can colour only the changes the runs show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.eventlog import ACTIVITY, CASE_ID, EventLog
from sim.eventlog import END as END_TIME
from sim.eventlog import START as START_TIME
from sim.kpis.observed import Observed
from sim.kpis.replications import t_interval

START, END = "__start__", "__end__"  # the nodes every case begins at and ends in
NODE, ARC = "node", "arc"
COLUMNS = ("kind", "source", "target", "count", "median")  # target "" for a node


def process_map(obs: Observed) -> pd.DataFrame:
    """Per activity (``node``: count, median work in days) and per transition (``arc``:
    count, median wait in days; none for a case's start and end) of one log."""
    names = obs.activities.astype(str)
    activity = names[obs.activity] if len(obs.activities) else np.zeros(0, dtype=object)
    nodes = pd.DataFrame({"source": activity, "work": obs.end - obs.start}).groupby(
        "source", sort=True)["work"].agg(count="size", median="median").reset_index()
    edges = follows_edges(obs.case, activity, obs.start, obs.end)
    return pd.concat([nodes.assign(kind=NODE, target=""), edges.assign(kind=ARC)],
                     ignore_index=True)[list(COLUMNS)]


def follows_edges(case: np.ndarray, activity: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> pd.DataFrame:
    """Per transition a -> b (b done right after a in a case): ``count`` and the ``median``
    wait from the end of a to the start of b, in the times' unit; and each case's start
    (``START`` -> first activity) and end (last activity -> ``END``), with no wait. The
    events are sorted by case, then time."""
    same = np.r_[False, case[1:] == case[:-1]] if len(case) else np.zeros(0, bool)
    first = ~same
    last = np.r_[first[1:], True] if len(case) else np.zeros(0, bool)
    wait = np.maximum(start[1:] - end[:-1], 0.0)
    follows = same[1:]
    arcs = pd.DataFrame({"source": activity[:-1][follows], "target": activity[1:][follows],
                         "wait": wait[follows]}).groupby(["source", "target"], sort=True)[
        "wait"].agg(count="size", median="median").reset_index()
    begins = pd.Series(activity[first]).value_counts()
    ends = pd.Series(activity[last]).value_counts()
    return pd.concat([
        pd.DataFrame({"source": START, "target": begins.index, "count": begins.to_numpy(),
                      "median": np.nan}),
        arcs,
        pd.DataFrame({"source": ends.index, "target": END, "count": ends.to_numpy(),
                      "median": np.nan})], ignore_index=True)


def _table(runs: Sequence[pd.DataFrame], column: str) -> pd.DataFrame:
    """One row per node or arc, one column per replication (missing: not in that run)."""
    keyed = [r.set_index(["kind", "source", "target"])[column].rename(i)
             for i, r in enumerate(runs)]
    return pd.concat(keyed, axis=1)


def summarise(runs: Sequence[pd.DataFrame]) -> list[dict[str, object]]:
    """A member's map: each node and arc with its mean count per run (a run without it
    counts zero) and the mean of its medians over the runs that have it."""
    if not runs:
        return []
    counts = _table(runs, "count").fillna(0.0).mean(axis=1)
    medians = _table(runs, "median").mean(axis=1)
    return [{"kind": kind, "source": source, "target": target, "count": float(counts[key]),
             "median": None if pd.isna(medians[key]) else float(medians[key])}
            for key in counts.index for kind, source, target in [key]]


def differences(baseline: Sequence[pd.DataFrame], scenario: Sequence[pd.DataFrame]
                ) -> list[dict[str, object]]:
    """Each median (work on a node, wait on an arc) of the scenario against the baseline,
    paired replication by replication where both runs have it, with its 95% interval."""
    base, changed = _table(baseline, "median"), _table(scenario, "median")
    found = []
    for key in base.index.intersection(changed.index):
        pairs = np.array([(b, s) for b, s in zip(base.loc[key], changed.loc[key], strict=True)
                          if pd.notna(b) and pd.notna(s)], dtype=float).reshape(-1, 2)
        if not len(pairs):
            continue
        diff = pairs[:, 1] - pairs[:, 0]
        low, high = t_interval(diff)
        kind, source, target = key
        found.append({"kind": kind, "source": source, "target": target,
                      "diff": float(diff.mean()), "ci_low": low, "ci_high": high})
    return found


def variants(log: EventLog) -> pd.Series:
    """Each case's variant (its activities in order, joined by ' → '), most frequent first
    in ``value_counts``."""
    ordered = log.events.sort_values([CASE_ID, START_TIME, END_TIME], kind="stable")
    return ordered.groupby(CASE_ID, sort=False)[ACTIVITY].agg(
        lambda a: " → ".join(map(str, a)))


def select_cases(log: EventLog, attribute: str | None = None, value: object = None,
                 variant: str | None = None,
                 began: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> EventLog:
    """The cases of one attribute value, one variant and begun within a period (each
    filter left out when None): the map of a part of the log."""
    first = log.events.groupby(CASE_ID)[START_TIME].min()
    keep = pd.Series(True, index=first.index)
    if attribute is not None and attribute in log.cases:
        keep &= log.cases[attribute].reindex(first.index).astype(str) == str(value)
    if variant is not None:
        keep &= variants(log).reindex(first.index) == variant
    if began is not None:
        keep &= (first >= began[0]) & (first <= began[1])
    chosen = keep.index[keep.to_numpy()]
    return replace(log, events=log.events[log.events[CASE_ID].isin(chosen)].reset_index(
        drop=True), cases=log.cases[log.cases.index.isin(chosen)])
