"""The goal: a KPI's statistic moved by a relative change from the simulated baseline.

"Sales cycle -25%" means the median sales cycle (``--stat median``; ``p90`` for the slow
tail) of the changed process, averaged over the replications, at most 75% of the baseline's.
A positive change (win rate +20%) asks for at least that much more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sim.errors import PlannerError, did_you_mean
from sim.kpis.result import KpiResult

STATS = ("median", "p90", "mean")
_CHANGE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def parse_change(text: str) -> float:
    """'-25%' -> -0.25; '-0.25' (a fraction) also works; '-25' without % is refused."""
    match = _CHANGE.match(str(text))
    if not match:
        raise PlannerError(f"--change '{text}': write the change as a percentage, e.g. -25% "
                           "(25% shorter) or +20% (20% higher).")
    number, percent = float(match.group(1)), match.group(2)
    if not percent and abs(number) >= 1:
        raise PlannerError(f"--change '{text}': did you mean {number:+g}%? Add the % sign "
                           "(or give a fraction such as -0.25).")
    change = number / 100 if percent else number
    if change == 0:
        raise PlannerError(f"--change '{text}': a target needs a change, e.g. -25%.")
    if change <= -1:
        raise PlannerError(f"--change '{text}': a KPI cannot fall by 100% or more; try -50%.")
    return change


def check_stat(stat: str) -> str:
    if stat not in STATS:
        raise PlannerError(f"--stat '{stat}': use {', '.join(STATS)}.{did_you_mean(stat, STATS)}")
    return stat


def stat_of(result: KpiResult, stat: str) -> float:
    """The statistic of one replication's KPI: median (the headline value of rates and
    counts), p90 or mean; NaN when the replication did not measure it."""
    if not result.available:
        return math.nan
    if stat == "median":
        return float(result.value)
    value = result.p90 if stat == "p90" else result.mean
    if value is None:
        if stat == "mean":
            return float(result.value)  # a share or level is its own mean
        raise PlannerError(f"--stat p90: '{result.id}' is a {result.unit} KPI, which has no "
                           "P90; use --stat median.")
    return float(value)


def stat_name(stat: str, unit: str | None) -> str:
    """What the number is called: 'median', 'p90', 'mean', or 'value' for rates and levels."""
    return "value" if stat == "median" and unit != "days" else stat


@dataclass(frozen=True)
class Target:
    """Reach ``baseline * (1 + change)`` in the KPI's statistic."""

    kpi: str
    stat: str
    change: float
    baseline: float
    unit: str = "days"
    label: str = ""

    @property
    def level(self) -> float:
        return self.baseline * (1.0 + self.change)

    @property
    def lower_is_better(self) -> bool:
        return self.change < 0

    def reached(self, value: float | None) -> bool:
        if value is None or not math.isfinite(value):
            return False
        tolerance = 1e-9 * max(abs(self.level), 1.0)
        if self.lower_is_better:
            return value <= self.level + tolerance
        return value >= self.level - tolerance

    def confident(self, ci_low: float | None, ci_high: float | None) -> bool:
        """The 95% interval's far side is beyond the target too."""
        far = ci_high if self.lower_is_better else ci_low
        return far is not None and self.reached(far)

    def helps(self, diff: float | None) -> bool:
        """A difference that moves the KPI towards the target."""
        return diff is not None and math.isfinite(diff) and (
            diff < 0 if self.lower_is_better else diff > 0)

    def to_dict(self) -> dict[str, object]:
        return {"kpi": self.kpi, "stat": stat_name(self.stat, self.unit),
                "target": self.level, "baseline": self.baseline, "target_change": self.change,
                "unit": self.unit}
