"""One KPI of the simulated baseline against the history: the row the check against the
history (``calibration.fidelity``) makes, a saved comparison keeps and every page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sim.materiality import finite_number


@dataclass(frozen=True)
class FidelityRow:
    kpi: str
    label: str
    unit: str
    real: float | None
    simulated: float | None
    ci_low: float | None
    ci_high: float | None
    error: float | None  # simulated / real - 1
    reproduced: bool | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> FidelityRow:
        """A stored row (``to_dict``) read back typed, once, where it is read."""
        reproduced = row.get("reproduced")
        return cls(str(row.get("kpi") or ""), str(row.get("label") or ""),
                   str(row.get("unit") or ""), finite_number(row.get("real")),
                   finite_number(row.get("simulated")), finite_number(row.get("ci_low")),
                   finite_number(row.get("ci_high")), finite_number(row.get("error")),
                   None if reproduced is None else bool(reproduced))
