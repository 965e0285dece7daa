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

from sim.chart_data import MapChange, MapPart, MapStep, StepKey
from sim.eventlog import ACTIVITY, CASE_ID, EventLog
from sim.eventlog import END as END_TIME
from sim.eventlog import START as START_TIME
from sim.kpis.observed import Observed
from sim.kpis.replications import t_interval, t_quantile

START, END = "__start__", "__end__"  # the nodes every case begins at and ends in
NODE, ARC = "node", "arc"
COLUMNS = ("kind", "source", "target", "count", "median")  # target "" for a node
ATTRIBUTE, VARIANT, MONTH = "attribute", "variant", "month"  # what a part of the cases shares
PART = ("filter", "by", "value")  # a part: (ATTRIBUTE, its name, a value) or (VARIANT or
# MONTH, "", the variant or the month '2024-03' its cases began in)
MAX_VALUES = 30  # an attribute with more distinct values is an id, not a segment
TOP_VARIANTS = 10  # the commonest variants of a run get a map each


def process_map(obs: Observed) -> pd.DataFrame:
    """Per activity (``node``: count, median work in days) and per transition (``arc``:
    count, median wait in days; none for a case's start and end) of one log."""
    return _maps(obs.case, _names(obs), obs.start, obs.end)


def _names(obs: Observed) -> np.ndarray:
    names = obs.activities.astype(str)
    return names[obs.activity] if len(obs.activities) else np.zeros(0, dtype=object)


def _maps(case: np.ndarray, activity: np.ndarray, start: np.ndarray, end: np.ndarray,
          part: np.ndarray | None = None) -> pd.DataFrame:
    """``process_map`` of events sorted by case, then time; with ``part`` (per event, its
    cases numbered apart in each part) one map per part, in a ``part`` column."""
    keys = ["source"] if part is None else ["part", "source"]
    work = pd.DataFrame({"source": activity, "work": end - start,
                         **({} if part is None else {"part": part})})
    nodes = work.groupby(keys, sort=True)["work"].agg(count="size", median="median")
    edges = follows_edges(case, activity, start, end, part)
    columns = list(COLUMNS) if part is None else ["part", *COLUMNS]
    return pd.concat([nodes.reset_index().assign(kind=NODE, target=""),
                      edges.assign(kind=ARC)], ignore_index=True)[columns]


def follows_edges(case: np.ndarray, activity: np.ndarray, start: np.ndarray,
                  end: np.ndarray, part: np.ndarray | None = None) -> pd.DataFrame:
    """Per transition a -> b (b done right after a in a case): ``count`` and the ``median``
    wait from the end of a to the start of b, in the times' unit; and each case's start
    (``START`` -> first activity) and end (last activity -> ``END``), with no wait. The
    events are sorted by case, then time; with ``part`` (per event) the counts and medians
    are per part, in a ``part`` column."""
    same = np.r_[False, case[1:] == case[:-1]] if len(case) else np.zeros(0, bool)
    first = ~same
    last = np.r_[first[1:], True] if len(case) else np.zeros(0, bool)
    wait = np.maximum(start[1:] - end[:-1], 0.0)
    follows = same[1:]
    parts = {} if part is None else {"part": part[1:][follows]}
    keys = [*parts, "source", "target"]
    arcs = pd.DataFrame({**parts, "source": activity[:-1][follows],
                         "target": activity[1:][follows], "wait": wait[follows]}).groupby(
        keys, sort=True)["wait"].agg(count="size", median="median").reset_index()

    def counted(events: np.ndarray, column: str) -> pd.DataFrame:
        keys = {} if part is None else {"part": part[events]}
        found = pd.DataFrame({**keys, column: activity[events]}).groupby(
            [*keys, column], sort=False).size()
        return found.sort_values(ascending=False, kind="stable").rename("count").reset_index()

    return pd.concat([counted(first, "target").assign(source=START, median=np.nan),
                      arcs,
                      counted(last, "source").assign(target=END, median=np.nan)],
                     ignore_index=True)[[*parts, "source", "target", "count", "median"]]


def part_maps(obs: Observed, events: pd.DataFrame) -> pd.DataFrame:
    """``process_map`` of each part of one run's cases: those of one value of a case
    attribute, of one of its ``TOP_VARIANTS`` variants, or begun in one month (``events``:
    the log's events, for the months). Columns ``PART``, ``cases`` and ``COLUMNS``; the
    parts are mapped together, each event once per part its case is in."""
    parts = _parts(obs, events)
    if not parts:
        return pd.DataFrame(columns=[*PART, "cases", *COLUMNS])
    chosen = [np.flatnonzero(mask[obs.case]) for _, mask in parts]
    part = np.repeat(np.arange(len(parts)), [len(c) for c in chosen])
    events_in = np.concatenate(chosen)
    case = part * obs.n_cases + obs.case[events_in]  # a case apart in each of its parts
    # mapped by each activity's place in name order (grouping numbers, not strings, was
    # most of a replication's time in a comparison), then named
    names = obs.activities.astype(str)
    place = np.empty(len(names), dtype=np.int64)
    place[np.argsort(names, kind="stable")] = np.arange(len(names))
    maps = _maps(case, place[obs.activity[events_in]], obs.start[events_in],
                 obs.end[events_in], part)
    in_order = np.sort(names)
    for column in ("source", "target"):
        maps[column] = [str(in_order[v]) if isinstance(v, (int, np.integer)) else v
                        for v in maps[column]]
    labels = pd.DataFrame([(*key, int(mask.sum())) for key, mask in parts],
                          columns=[*PART, "cases"])
    return labels.iloc[maps["part"].to_numpy()].reset_index(drop=True).join(
        maps.drop(columns="part").reset_index(drop=True))


def _parts(obs: Observed, events: pd.DataFrame) -> list[tuple[tuple[str, str, str],
                                                             np.ndarray]]:
    """Each part of a run's cases (see ``part_maps``) and which cases are in it."""
    found = []
    for column in obs.cases.columns:
        values = obs.cases[column]
        known = values.notna().to_numpy() & (values.astype(str) != "").to_numpy()
        keys = values.astype(str).to_numpy()
        distinct = sorted(set(keys[known].tolist()))
        if 2 <= len(distinct) <= MAX_VALUES:
            found += [((ATTRIBUTE, str(column), v), known & (keys == v)) for v in distinct]
    path = np.full(obs.n_cases, None, dtype=object)
    if len(obs.case):
        firsts = np.flatnonzero(np.r_[True, obs.case[1:] != obs.case[:-1]])
        path[obs.case[firsts]] = [" → ".join(steps) for steps in
                                  np.split(_names(obs), firsts[1:])]
    for variant in pd.Series(path).value_counts().head(TOP_VARIANTS).index:
        found.append(((VARIANT, "", str(variant)), path == variant))
    began = events.groupby(CASE_ID)[START_TIME].min().reindex(obs.case_ids)
    month = began.dt.strftime("%Y-%m").to_numpy(dtype=object)
    found += [((MONTH, "", m), month == m) for m in sorted(set(month[pd.notna(month)]))]
    return found


def summarise_parts(baseline: Sequence[pd.DataFrame] | None,
                    runs: Sequence[pd.DataFrame]) -> list[MapPart]:
    """A member's map of each part of its cases (``part_maps`` of its runs): the part, its
    mean cases and the runs that have it; its map over those runs as ``summarise`` makes
    it (a run with the part but not a step counts zero); and, given the ``baseline``'s
    runs, each median's difference paired run by run where both have it, as
    ``differences`` makes it. All parts at once: a run has some fifty."""
    own = _stacked(runs)
    if own.empty:
        return []
    parts, node = list(PART), ["kind", "source", "target"]
    having = own.groupby(parts)["run"].nunique()
    cases = own.drop_duplicates([*parts, "run"]).groupby(parts)["cases"].mean()
    steps = own.groupby([*parts, *node], sort=False)
    counts = steps["count"].sum()
    counts /= having.reindex(counts.index.droplevel(node)).to_numpy()
    medians = steps["median"].mean()
    maps: dict[StepKey, list[MapStep]] = {}
    for (f, by, value, kind, source, target), count in counts.items():
        median = medians[(f, by, value, kind, source, target)]
        maps.setdefault((f, by, value), []).append(MapStep(
            kind, source, target, float(count), None if pd.isna(median) else float(median)))
    diffs = _part_differences(_stacked(baseline), own) if baseline is not None else None
    return [MapPart(f, by, value, float(cases[(f, by, value)]), int(having[(f, by, value)]),
                    rows, None if diffs is None else diffs.get((f, by, value), []))
            for (f, by, value), rows in sorted(maps.items())]


def _stacked(runs: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The runs' part maps in one table, with each row's ``run``."""
    frames = [run.assign(run=number) for number, run in enumerate(runs) if len(run)]
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=[*PART, "cases", *COLUMNS, "run"]))


def _part_differences(baseline: pd.DataFrame, scenario: pd.DataFrame
                      ) -> dict[StepKey, list[MapChange]]:
    """Per part, each median of the scenario against the baseline's in the same run."""
    keys = [*PART, "kind", "source", "target", "run"]
    pairs = scenario[[*keys, "median"]].merge(baseline[[*keys, "median"]], on=keys,
                                              suffixes=("", "_base")).dropna(
        subset=["median", "median_base"])
    pairs["diff"] = pairs["median"].astype(float) - pairs["median_base"].astype(float)
    # every step's mean and t-interval at once (a loop over some thousand steps of fifty
    # parts was most of a scenario's summary)
    steps = pairs.groupby(keys[:-1], sort=False)["diff"].agg(["mean", "std", "size"])
    sizes = steps["size"].to_numpy()
    quantiles = {n: t_quantile(n - 1) for n in set(sizes.tolist()) if n >= 2}
    half = steps["std"].to_numpy() * np.array([quantiles.get(n, np.nan) for n in sizes]
                                              ) / np.sqrt(sizes)
    found: dict[StepKey, list[MapChange]] = {}
    for (f, by, value, kind, source, target), mean, margin in zip(
            steps.index, steps["mean"].to_numpy(), half, strict=True):
        low, high = ((None, None) if np.isnan(margin)
                     else (float(mean - margin), float(mean + margin)))
        found.setdefault((f, by, value), []).append(
            MapChange(kind, source, target, float(mean), low, high))
    return found


def _table(runs: Sequence[pd.DataFrame], column: str) -> pd.DataFrame:
    """One row per node or arc, one column per replication (missing: not in that run)."""
    keyed = [r.set_index(["kind", "source", "target"])[column].rename(i)
             for i, r in enumerate(runs)]
    return pd.concat(keyed, axis=1)


def summarise(runs: Sequence[pd.DataFrame]) -> list[MapStep]:
    """A member's map: each node and arc with its mean count per run (a run without it
    counts zero) and the mean of its medians over the runs that have it."""
    if not runs:
        return []
    counts = _table(runs, "count").fillna(0.0).mean(axis=1)
    medians = _table(runs, "median").mean(axis=1)
    return [MapStep(kind, source, target, float(counts[key]),
                    None if pd.isna(medians[key]) else float(medians[key]))
            for key in counts.index for kind, source, target in [key]]


def differences(baseline: Sequence[pd.DataFrame], scenario: Sequence[pd.DataFrame]
                ) -> list[MapChange]:
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
        found.append(MapChange(kind, source, target, float(diff.mean()), low, high))
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
