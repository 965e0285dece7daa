"""One KPI value and its JSON/table shapes.

A KPI that cannot be measured on a log (its activities are absent, or no case got that far)
is still returned, with ``available=False``, a NaN value and a note saying why: the reader
sees the gap instead of a wrong number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.kpis.catalogue import KpiDefinition, kpi_id, ref

UNITS = ("days", "share", "count", "per_month", "money_per_month", "cases")
P90 = 0.9
QUANTILE_GRID: tuple[float, ...] = tuple(np.linspace(0.0, 1.0, 21).round(2))


@dataclass(frozen=True)
class KpiResult:
    """A KPI of one log (or of one group of its cases, or across replications).

    ``value`` is the headline: the median for durations, the share for rates, the mean for
    counts and levels. ``n`` is how many observations it rests on (cases, or quotes, events
    for per-instance KPIs). ``ci_low``/``ci_high`` bound ``value`` across replications.
    ``kind`` is its catalogue entry (``sim.kpis.catalogue``); ``item`` the activity,
    resource or stage of a family's KPI, as its id names it, and ``item_name`` as read.
    """

    id: str
    label: str
    unit: str
    n: int
    value: float
    mean: float | None = None
    median: float | None = None
    p90: float | None = None
    group: str | None = None
    available: bool = True
    note: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    quantiles: tuple[float, ...] | None = None  # durations: at QUANTILE_GRID, for charts
    kind: str = ""  # "" for a result built from its id alone: taken from the id
    item: str | None = None
    item_name: str | None = None  # default: ``item``

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.id!r}: unknown unit {self.unit!r}; one of {UNITS}")
        if not self.kind:
            found = ref(self.id)
            object.__setattr__(self, "kind", found.kind)
            object.__setattr__(self, "item", found.item)
        if self.item_name is None:
            object.__setattr__(self, "item_name", self.item)


def make(kpi: KpiDefinition, n: int, value: float, item: str | None = None,
         item_name: str | None = None, *, mean: float | None = None,
         median: float | None = None, p90: float | None = None,
         quantiles: tuple[float, ...] | None = None, available: bool = True,
         note: str = "") -> KpiResult:
    """A result of a catalogue KPI (of one item of a family): id, label and unit from it."""
    shown = item if item_name is None else item_name
    label = kpi.label if item is None else kpi.label_of(str(shown))
    return KpiResult(kpi_id(kpi.kind, item), label, kpi.unit, n, value, mean, median, p90,
                     available=available, note=note, quantiles=quantiles, kind=kpi.kind,
                     item=item, item_name=shown)


def unavailable(kpi: KpiDefinition, why: str, item: str | None = None,
                item_name: str | None = None) -> KpiResult:
    """A KPI this log cannot measure, with the reason."""
    return make(kpi, 0, math.nan, item, item_name, available=False,
                note=f"not available: {why}")


def distribution(kpi: KpiDefinition, values: np.ndarray, why_empty: str,
                 item: str | None = None) -> KpiResult:
    """Durations (headline median) or counts (headline mean) with mean, median and p90."""
    if len(values) == 0:
        return unavailable(kpi, why_empty, item)
    mean = float(np.mean(values))
    median, p90 = (float(q) for q in np.quantile(values, [0.5, P90]))
    days = kpi.unit == "days"
    shape = tuple(float(q) for q in np.quantile(values, QUANTILE_GRID)) if days else None
    return make(kpi, len(values), median if days else mean, item, mean=mean, median=median,
                p90=p90, quantiles=shape)


def level(kpi: KpiDefinition, value: float, n: int, why_empty: str, item: str | None = None,
          item_name: str | None = None) -> KpiResult:
    """A share, rate or level; unavailable when it rests on no observation."""
    if n == 0 or not math.isfinite(value):
        return unavailable(kpi, why_empty, item, item_name)
    return make(kpi, n, float(value), item, item_name)


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def kpis_to_records(results: list[KpiResult]) -> list[dict[str, object]]:
    """The JSON shape: one object per KPI; mean, median and p90 only for durations."""
    records = []
    for r in results:
        record: dict[str, object] = {"id": r.id, "unit": r.unit, "n": r.n, "value": r.value}
        if r.unit == "days":
            record.update(mean=r.mean, median=r.median, p90=r.p90)
        record.update(label=r.label, group=r.group, available=r.available, note=r.note,
                      ci_low=r.ci_low, ci_high=r.ci_high)
        records.append({key: _clean(value) for key, value in record.items()})
    return records


def kpis_frame(results: list[KpiResult]) -> pd.DataFrame:
    """One row per KPI (and group), for tables and CSV export."""
    columns = ["id", "group", "label", "unit", "n", "value", "mean", "median", "p90",
               "ci_low", "ci_high", "available", "note"]
    rows = [{c: getattr(r, c) for c in columns} for r in results]
    return pd.DataFrame(rows, columns=columns)
