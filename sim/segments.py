"""Scenarios by segment: the headline KPIs of each group of cases (lead source, region, deal
size band), baseline against scenario, as ``l2c kpis --by`` measures a log.

A change may help one segment and not another: automated invoicing shortens the invoice lag
of every deal, a stricter collection mostly of the slow payers. Each member runs the same
replications with the same seed (common random numbers: a case of replication r has the
same attributes, so the same segment, in every member), its log is measured group by group,
and each group's difference is paired replication by replication with its 95% t-interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from sim.engine import simulate
from sim.kpis.catalogue import HEADLINE
from sim.kpis.compute import compute_kpis
from sim.kpis.replications import t_interval
from sim.model import ProcessModel
from sim.run_length import RunLength

Progress = Callable[[int, int], None]  # (replications done, replications in all)
Values = dict[tuple[str, str], float]  # (KPI, segment) -> the replication's value


@dataclass(frozen=True)
class SegmentRow:
    """One headline KPI of one segment: baseline, scenario and the paired difference."""

    scenario: str
    segment: str
    kpi: str
    label: str
    unit: str
    baseline: float | None
    value: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    replications: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def clear_of_zero(self) -> bool:
        """The difference's 95% interval excludes zero: the segment did change."""
        return (self.ci_low is not None and self.ci_high is not None
                and (self.ci_low > 0 or self.ci_high < 0))

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SegmentRow:
        """A row as ``to_dict`` stored it (in a saved comparison or a finished job)."""
        def number(key: str) -> float | None:
            value = data.get(key)
            return float(value) if isinstance(value, int | float) else None

        def text(key: str) -> str:
            return str(data.get(key) or "")

        return cls(text("scenario"), text("segment"), text("kpi"), text("label"), text("unit"),
                   number("baseline"), number("value"), number("diff"), number("ci_low"),
                   number("ci_high"), int(number("replications") or 0))


@dataclass(frozen=True)
class SegmentResults:
    """A comparison's headline KPIs segment by segment of one case attribute, as a saved
    comparison keeps them and ``l2c compare --by --format json`` writes them."""

    by: str  # the case attribute (or the deal size band)
    rows: list[SegmentRow]

    def to_dict(self) -> dict[str, object]:
        return {"by": self.by, "rows": [row.to_dict() for row in self.rows]}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SegmentResults | None:
        """As ``to_dict`` stored it; None for none measured (stored as ``{}``)."""
        if not data:
            return None
        stored = data.get("rows")
        return cls(str(data.get("by") or ""), [
            SegmentRow.from_dict(r) for r in stored if isinstance(r, Mapping)
        ] if isinstance(stored, list) else [])


def measure_segments(model: ProcessModel, seed: int, replication: int,
                     run: RunLength, by: str) -> tuple[Values, dict[str, tuple[str, str]]]:
    """One replication's headline KPIs per segment (runs in a worker), and their labels."""
    log = simulate(model, seed=seed, replication=replication, **run).log
    values: Values = {}
    labels: dict[str, tuple[str, str]] = {}
    for result in compute_kpis(log, by=by):
        if result.id in HEADLINE and result.available and result.group is not None:
            values[(result.id, str(result.group))] = float(result.value)
            labels[result.id] = (result.label, result.unit)
    return values, labels


def segment_study(members: list[tuple[str, ProcessModel]], by: str, replications: int,
                  seed: int, run: RunLength, n_jobs: int = -1,
                  progress: Progress | None = None) -> list[SegmentRow]:
    """Each scenario (``members[1:]``) against the baseline (``members[0]``), segment by
    segment, over ``replications`` paired replications."""
    jobs = [(name, r) for name, _ in members for r in range(replications)]
    models = dict(members)
    found: dict[str, list[Values]] = {name: [] for name, _ in members}
    labels: dict[str, tuple[str, str]] = {}
    for done, ((name, _), (values, named)) in enumerate(
            zip(jobs, _run(models, jobs, seed, run, by, n_jobs), strict=True), start=1):
        found[name].append(values)
        labels |= named
        if progress is not None:
            progress(done, len(jobs))
    base_name = members[0][0]
    keys = sorted({key for values in found[base_name] for key in values},
                  key=lambda k: (k[1], HEADLINE.index(k[0])))
    return [_row(name, key, labels[key[0]], found[base_name], found[name])
            for name, _ in members[1:] for key in keys]


def most_changed(rows: Sequence[SegmentRow], count: int = 1) -> list[str]:
    """The ``count`` KPIs the changes move most in some segment, relative to its baseline
    there (a chart's first views)."""
    def moved(row: SegmentRow) -> float:
        if row.diff is None or not row.baseline:
            return 0.0
        return abs(row.diff / row.baseline)

    ranked = sorted((r for r in rows if r.diff is not None), key=moved, reverse=True)
    return list(dict.fromkeys(r.kpi for r in ranked))[:count]


def _run(models: dict[str, ProcessModel], jobs: list[tuple[str, int]], seed: int,
         run: RunLength, by: str, n_jobs: int
         ) -> list[tuple[Values, dict[str, tuple[str, str]]]]:
    if n_jobs == 1 or len(jobs) <= 1:
        return [measure_segments(models[name], seed, r, run, by) for name, r in jobs]
    from joblib import Parallel, delayed

    return list(Parallel(n_jobs=n_jobs, backend="loky")(
        delayed(measure_segments)(models[name], seed, r, run, by) for name, r in jobs))


def _row(scenario: str, key: tuple[str, str], label: tuple[str, str], base: list[Values],
         changed: list[Values]) -> SegmentRow:
    pairs = [(b[key], c[key]) for b, c in zip(base, changed, strict=True)
             if key in b and key in c and math.isfinite(b[key]) and math.isfinite(c[key])]
    if not pairs:
        return SegmentRow(scenario, key[1], key[0], label[0], label[1], None, None, None,
                          None, None, 0)
    before, after = (np.array(v, float) for v in zip(*pairs, strict=True))
    low, high = t_interval(after - before)
    return SegmentRow(scenario, key[1], key[0], label[0], label[1], float(before.mean()),
                      float(after.mean()), float((after - before).mean()), low, high,
                      len(pairs))
