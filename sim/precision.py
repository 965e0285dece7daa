"""How many replications a comparison needs: enough to decide, not a fixed count.

A process owner asks "does this change matter?", and each headline KPI answers it at its
practical threshold (``sim.materiality``). Replications are run in batches, and after each
batch every scenario's headline differences are looked at: a difference is *decided* when
its 95% interval is narrower than the threshold (its half-width, the ± a reader sees, is
at most the threshold: the usual absolute-precision stop of sequential simulation output
analysis), or lies wholly beyond it (clearly material), or wholly inside it (clearly not). Each
scenario of a study stops when its own are decided, or at the maximum, and the baseline runs
as far as the scenario that needs the most. A scenario that stopped at R ran replications
0..R-1, paired with the baseline's first R, so it is exactly a fixed run of R replications:
the same seed gives the same answer, and a saved comparison, which keeps each scenario's R,
re-runs to the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import PlannerError
from sim.kpis import catalogue

if TYPE_CHECKING:
    from sim.compare import Difference

FIRST = 6  # replications before the first look: a t-interval on fewer is too wide to stop
BATCH = 4  # replications added per look (two per core on a 2-core machine)
MAXIMUM = 20  # the default cap (``--max-reps``): enough for most headline KPIs to be decided
LIMIT = 1000  # the most replications a study may ask for (``sim.bounds``)


@dataclass(frozen=True)
class Replications:
    """A fixed count (``fixed``), or batches until every headline KPI is decided."""

    fixed: int | None = None
    first: int = FIRST
    batch: int = BATCH
    maximum: int = MAXIMUM

    def __post_init__(self) -> None:
        for name in ("fixed", "first", "batch", "maximum"):
            value = getattr(self, name)
            if value is None and name == "fixed":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LIMIT:
                raise PlannerError(f"replications: {name} must be a whole number from 1 to "
                                   f"{LIMIT} (got {value!r}).")

    @property
    def adaptive(self) -> bool:
        return self.fixed is None

    def batches(self) -> Iterable[int]:
        """The replication counts after each batch (the last is the cap)."""
        if self.fixed is not None:
            yield self.fixed
            return
        count = min(max(self.first, 2), self.maximum)
        while True:
            yield count
            if count >= self.maximum:
                return
            count = min(count + self.batch, self.maximum)

    def describe(self) -> str:
        return (f"{self.fixed} (fixed)" if self.fixed is not None
                else f"auto (until decided, at most {self.maximum})")


def parse_replications(text: str | int, maximum: int = MAXIMUM) -> Replications:
    """``--reps``: ``auto`` (the default) or a whole number of replications."""
    value = str(text).strip().lower()
    if value == "auto":
        return Replications(maximum=maximum)
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1 or count > LIMIT:
        raise PlannerError(f"--reps {text!r}: write auto (replications until every headline "
                           f"KPI is decided) or a whole number from 1 to {LIMIT}, e.g. "
                           "--reps 20.")
    return Replications(fixed=count)


def is_headline(difference: Difference) -> bool:
    """A headline KPI of the whole case set (not a segment's, not a P90 twin)."""
    found = catalogue.ref(difference.kpi)
    return difference.group is None and found.headline and not found.tail


def decided(low: float | None, high: float | None, threshold: float | None) -> bool:
    """Whether more replications could change how a difference with this 95% interval
    reads at its threshold (not measured, or measured once: nothing to decide on, so it
    never holds a study up)."""
    if low is None or high is None or threshold is None:
        return True
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    narrow = (high - low) / 2 <= threshold  # known to within ± the threshold
    clearly_material = low > threshold or high < -threshold
    clearly_not = -threshold <= low and high <= threshold
    return narrow or clearly_material or clearly_not


def undecided(differences: Iterable[Difference]) -> list[Difference]:
    """The headline differences that still need replications."""
    return [d for d in differences
            if is_headline(d) and not decided(d.ci_low, d.ci_high, d.threshold)]


def half_width(low: float | None, high: float | None) -> float | None:
    """The precision reached: half the 95% interval's width, in the unit of the difference."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    return (high - low) / 2
