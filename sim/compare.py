"""Paired differences between a baseline and a scenario, KPI by KPI, with 95% intervals.

Both are simulated with the same seeds and common random numbers, so replication r of the
scenario differs from replication r of the baseline only by the change: the difference is
taken per replication and its t-interval is much tighter than comparing two independent
means. A difference is significant when its interval excludes zero, and material when it
is also larger than its KPI's practical threshold (``sim.materiality``): only a material
difference is a change worth a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from sim.kpis.replications import by_key, t_interval
from sim.kpis.result import KpiResult
from sim.materiality import DEFAULT, Thresholds, count_of, finite_number, is_material
from sim.precision import decided, half_width


@dataclass(frozen=True)
class Difference:
    """One KPI of one scenario against the baseline (the JSON shape of ``l2c compare``)."""

    scenario: str
    kpi: str
    label: str
    unit: str
    group: str | None
    baseline: float | None
    value: float | None
    diff: float | None
    pct_change: float | None
    ci_low: float | None
    ci_high: float | None
    significant: bool | None
    replications: int
    note: str = ""
    threshold: float | None = None  # the practical threshold, in the unit of ``diff``
    material: bool | None = None  # significant and beyond the threshold
    precision: float | None = None  # half the 95% interval's width, in the unit of ``diff``
    decided: bool | None = None  # more replications would not change how it reads
    against: str | None = None  # the scenario it is measured against (None: the baseline)

    def to_dict(self) -> dict[str, object]:
        """The JSON row: ``against`` only when measured against a scenario, so a row
        against the baseline keeps the keys it always had."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in asdict(self).items() if k != "against" or v is not None}

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> Difference:
        """A stored row (``to_dict``) read back typed, once, where it is read: a row saved
        before a field existed (thresholds, precision, the reference) gets its default."""
        def number(key: str) -> float | None:
            return finite_number(row.get(key))

        def flag(key: str) -> bool | None:
            value = row.get(key)
            return None if value is None else bool(value)

        def text(key: str) -> str | None:
            value = row.get(key)
            return None if value is None else str(value)

        return cls(str(row.get("scenario") or ""), str(row.get("kpi") or ""),
                   str(row.get("label") or ""), str(row.get("unit") or ""), text("group"),
                   number("baseline"), number("value"), number("diff"), number("pct_change"),
                   number("ci_low"), number("ci_high"), flag("significant"),
                   count_of(row.get("replications")), str(row.get("note") or ""),
                   number("threshold"), flag("material"), number("precision"),
                   flag("decided"), text("against"))


def compare(scenario: str, baseline: list[list[KpiResult]],
            changed: list[list[KpiResult]], thresholds: Thresholds = DEFAULT
            ) -> list[Difference]:
    """Per KPI: means over replications, the paired difference and its 95% interval,
    judged at the KPI's practical threshold by ``thresholds``.

    ``baseline[r]`` and ``changed[r]`` are the KPIs of replication r (same seed). A KPI
    measured in only some replications is compared on the replications that have both.
    """
    if len(baseline) != len(changed):
        raise ValueError("baseline and scenario need the same replications")
    before, after = by_key(baseline), by_key(changed)
    differences = []
    for key, base_runs in before.items():
        scenario_runs = after.get(key, [])
        pairs = [(b.value, s.value) for b, s in zip(base_runs, scenario_runs, strict=False)
                 if b.available and s.available]
        first = base_runs[0]
        if not pairs:
            note = first.note or (scenario_runs[0].note if scenario_runs else "")
            differences.append(Difference(scenario, first.id, first.label, first.unit,
                                          first.group, None, None, None, None, None, None,
                                          None, 0, note or "not available"))
            continue
        b, s = (np.array(v, dtype=float) for v in zip(*pairs, strict=True))
        diff = s - b
        low, high = t_interval(diff)
        significant = None if low is None or high is None else bool(low > 0 or high < 0)
        base_mean = float(b.mean())
        pct = float(s.mean() / base_mean - 1) if base_mean != 0 else None
        threshold = thresholds.amount(first.id, first.unit, base_mean)
        mean = float(diff.mean())
        differences.append(Difference(
            scenario, first.id, first.label, first.unit, first.group, base_mean,
            float(s.mean()), mean, pct, low, high, significant, len(diff),
            threshold=threshold, material=is_material(significant, mean, threshold),
            precision=half_width(low, high), decided=decided(low, high, threshold)))
    return differences
