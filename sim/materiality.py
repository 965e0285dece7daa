"""When a difference between a scenario and the baseline matters: significant is not enough.

Common random numbers make paired intervals so tight that rounding noise (a mean of 1.32
against 1.32 plus 1e-16) or a change of minutes in a months-long KPI can exclude zero. A
difference is *material* when it is significant (its 95% interval excludes zero) and
larger in absolute value than a practical threshold for its KPI; only a material
difference earns a verdict (better, worse, changed). Thresholds are said in the units a
process owner reads: days, percentage points for rates, or a percentage of the baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, SupportsFloat

from sim.errors import PlannerError, did_you_mean
from sim.kpis import catalogue
from sim.kpis.catalogue import Rule

if TYPE_CHECKING:  # sim.compare judges with these thresholds as it computes
    from sim.compare import Difference

__all__ = ["DEFAULT", "Rule", "Thresholds", "finite_number", "is_material", "judge", "judged",
           "material", "parse_rule", "with_rules"]

DURATION, RATE = "days", "share"  # units of durations and of rates (shares of cases)


@dataclass(frozen=True)
class Thresholds:
    """The rule per kind of KPI, and rules for single KPIs (by id, such as ``sales_cycle``
    or ``waiting_time:Quote Approved``, or by block, such as ``waiting_time``)."""

    durations: Rule = catalogue.DURATION_RULE
    rates: Rule = catalogue.RATE_RULE
    amounts: Rule = catalogue.AMOUNT_RULE
    kpis: Mapping[str, Rule] = field(default_factory=dict)

    def rule(self, kpi: str, unit: str) -> Rule:
        """The KPI's own rule, its family's, else its unit's; while the unit's rule is the
        default, a catalogue entry's own default (the invoice lag's) refines it, and a rule
        set for the unit (the app's durations) applies to every KPI of that unit."""
        found = catalogue.ref(kpi)
        if kpi in self.kpis:
            return self.kpis[kpi]
        if found.kind in self.kpis:
            return self.kpis[found.kind]
        by_unit = {DURATION: self.durations, RATE: self.rates}.get(unit, self.amounts)
        if (by_unit == catalogue.unit_rule(unit) and found.definition is not None
                and found.definition.threshold is not None):
            return found.definition.threshold
        return by_unit

    def amount(self, kpi: str, unit: str, baseline: float | None) -> float:
        return self.rule(kpi, unit).amount(unit, baseline)


DEFAULT = Thresholds()


def is_material(significant: bool | None, diff: float | None, threshold: float) -> bool | None:
    """Significant and beyond the threshold; None when significance cannot be told."""
    if significant is None or diff is None or not math.isfinite(diff):
        return None
    return bool(significant and abs(diff) > threshold)


def judge(row: Difference, thresholds: Thresholds = DEFAULT) -> Difference:
    """The row with its ``threshold`` by these rules (in the unit of ``diff``) and whether
    its difference is ``material``."""
    return _with(row, thresholds.amount(row.kpi, row.unit, finite_number(row.baseline)))


def judged(row: Difference) -> Difference:
    """The row with ``material`` from its significance, difference and own threshold (the
    default one for rows saved before thresholds existed)."""
    threshold = finite_number(row.threshold)
    return judge(row) if threshold is None else _with(row, threshold)


def material(row: Difference) -> bool | None:
    """Whether the row's difference is material (None when that cannot be told)."""
    return judged(row).material


def _with(row: Difference, threshold: float) -> Difference:
    return replace(row, threshold=threshold,
                   material=is_material(row.significant, finite_number(row.diff), threshold))


def parse_rule(text: str) -> tuple[str, Rule]:
    """``KPI=VALUE`` from the command line: VALUE in days for durations, percentage points
    for rates, the KPI's unit otherwise; ``5%`` is a share of the baseline."""
    kpi, sep, value = text.partition("=")
    relative = value.strip().endswith("%")
    try:
        number = float(value.strip().removesuffix("%"))
    except ValueError:
        number = math.nan
    if not sep or not kpi.strip() or not math.isfinite(number) or number < 0:
        raise PlannerError(f"'{text}' is not a threshold: write KPI=VALUE, for example "
                           "sales_cycle=1 (days), win_rate=2 (percentage points) or "
                           "cash_collected=5% (of the baseline).")
    rule = Rule(relative=number / 100) if relative else Rule(absolute=number)
    return kpi.strip(), rule


def with_rules(rules: Mapping[str, Rule], kpis: Iterable[str]) -> Thresholds:
    """The default thresholds with rules for single KPIs; a KPI that is not among ``kpis``
    (ids or their blocks) is refused with the closest name."""
    known = set(kpis)
    known |= {catalogue.ref(k).kind for k in known}
    for kpi in rules:
        if kpi not in known:
            raise PlannerError(f"--threshold: no KPI '{kpi}' in this comparison."
                               + did_you_mean(kpi, sorted(known)))
    return Thresholds(kpis=dict(rules))


def finite_number(value: object) -> float | None:
    """``value`` as a finite float, or None (missing, text, NaN, infinite): stored rows
    and JSON hold any of these."""
    if isinstance(value, bool) or not isinstance(value, str | SupportsFloat):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def count_of(value: object) -> int:
    """``value`` as a whole count (a report's headline or a saved row read back as JSON);
    0 when it is not a number."""
    return int(finite_number(value) or 0)
