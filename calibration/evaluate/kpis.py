"""KPI by KPI: the real test period against the replications of the simulated one.

Durations are compared on their median and, once more as ``<id>.p90``, on their P90, since
the tail must be reproduced as well. ``inside``: the real value lies in the simulated 95%
interval (across replications). ``reproduced``: inside, or within 10% of the simulated
value (the same verdict as the baseline check against the history).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from calibration.fidelity import verdict, with_tails
from sim.kpis import KpiResult, summarise_replications


@dataclass(frozen=True)
class KpiRow:
    kpi: str
    label: str
    unit: str
    real: float
    simulated: float
    ci_low: float | None
    ci_high: float | None
    error: float | None  # simulated / real - 1
    inside: bool
    reproduced: bool

    def to_dict(self) -> dict[str, object]:
        return {key: (None if isinstance(value, float) and not math.isfinite(value) else value)
                for key, value in asdict(self).items()}


def compare_kpis(real: list[KpiResult], per_rep: list[list[KpiResult]]) -> list[KpiRow]:
    """Rows for the KPIs measured on both sides (whole log, no groups), in the order
    ``compute_kpis`` gives them, each P90 right after its median."""
    truth = {r.id: r for r in with_tails(real) if r.group is None and r.available}
    simulated = {r.id: r for r in summarise_replications([with_tails(r) for r in per_rep])
                 if r.group is None and r.available}
    order = {kpi: number for number, kpi in enumerate(k for k in truth if "." not in k)}
    ids = sorted((k for k in truth if k in simulated),
                 key=lambda k: (order.get(k.removesuffix(".p90"), len(order)), k))
    return [_row(truth[kpi], simulated[kpi]) for kpi in ids]


def _row(real: KpiResult, sim: KpiResult) -> KpiRow:
    error, inside, reproduced = verdict(real, sim, slack=1e-12)
    return KpiRow(real.id, real.label, real.unit, real.value, sim.value, sim.ci_low,
                  sim.ci_high, error, inside, reproduced)
