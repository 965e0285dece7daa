"""The business case of each scenario: what it costs, what it earns, and when it pays back.

Beside the KPI differences a budget holder asks for money: staff cost per month, cost per
won deal, revenue won and cash collected per month, the working capital freed by collecting
sooner, and how many months the change's one-off cost takes to pay back. Each figure is
taken per replication and paired with the baseline's replication of the same seed (common
random numbers, as ``sim.compare`` pairs the KPIs), so its 95% t-interval measures the
change, not the luck of the draw.

Definitions: staff cost is each pool member's working hours times their hourly rate, per
month of the baseline's period in the same replication;
running cost adds the activities' per-occurrence costs and the change's monthly fixed cost;
cost per won deal is the running cost of the period over the deals won in it. The working
capital tied in receivables is the amount-weighted days from fulfilment (else the invoice)
to payment times the baseline's cash collected per day; what a scenario frees is that
difference. Payback is the one-off cost over the running cost saved per month (the
working capital freed is shown beside it, not counted in it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from sim.cost_drivers import CostDrivers
from sim.costs import ChangeCost, Costs, Prices, ScenarioCosts
from sim.kpis.replications import t_interval
from sim.kpis.result import KpiResult
from sim.study import BASELINE, Study

DAYS_PER_MONTH = 30.44  # as the per-month KPIs count a month (``sim.kpis.observed``)
PER_MONTH, PER_DEAL, MONEY, DAYS, MONTHS = ("money_per_month", "money_per_deal", "money",
                                            "days", "months")
MEASURES: tuple[tuple[str, str], ...] = (  # (id, unit), in the order a budget holder reads
    ("staff_cost", PER_MONTH), ("activity_cost", PER_MONTH), ("fixed_cost", PER_MONTH),
    ("running_cost", PER_MONTH), ("cost_per_won_deal", PER_DEAL),
    ("revenue_won", PER_MONTH), ("cash_collected", PER_MONTH), ("days_to_cash", DAYS),
    ("working_capital_freed", MONEY), ("payback", MONTHS))
NO_ONE_OFF = "no one-off cost"
NO_SAVING = "the change saves no running cost per month, so its one-off cost never pays back"
SAVING_UNSURE = "the saving's 95% interval reaches zero: payback may never come"
NO_DAYS_TO_CASH = ("not available: no case went from fulfilment (or its invoice) to a "
                   "payment with an amount")
Member = tuple[Prices, ChangeCost]  # what a study member's work is priced at


@dataclass(frozen=True)
class CaseLine:
    """One figure of one scenario's business case against the baseline.

    Figures of both (costs, revenue, days) have ``baseline``, ``value`` and ``diff`` with
    the interval around ``diff``; figures of the change alone (working capital freed,
    payback) have ``value`` only, with the interval around it.
    """

    scenario: str
    measure: str
    unit: str
    baseline: float | None
    value: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    replications: int
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in asdict(self).items()}


@dataclass(frozen=True)
class BusinessCase:
    """Every scenario's business case; money in ``currency`` (None: the data's units)."""

    currency: str | None
    lines: list[CaseLine] = field(default_factory=list)
    one_off: dict[str, float] = field(default_factory=dict)  # scenario -> its one-off cost

    def to_dict(self) -> dict[str, object]:
        return {"currency": self.currency, "one_off": dict(self.one_off),
                "lines": [line.to_dict() for line in self.lines]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCase:
        """A business case as ``to_dict`` wrote it (JSON kept with a saved comparison)."""
        lines = [CaseLine(**row) for row in data.get("lines") or []]
        one_off: dict[str, float] = dict(data.get("one_off") or {})
        return cls(data.get("currency"), lines, one_off)


Series = list[float | None]  # one figure per replication (None: not measurable there)


def member_figures(drivers: list[CostDrivers], kpis: list[list[KpiResult]], member: Member,
                   periods: list[float]) -> dict[str, Series]:
    """Per replication, the figures of one study member priced at ``member``; costs per
    month of ``periods`` (the baseline's months in each replication: a run of a number of
    cases ends with its last event, which a change moves, and the same cases' cost must not
    read as changed because the period did)."""
    prices, fixed = member
    figures: dict[str, Series] = {key: [] for key in (
        "staff_cost", "activity_cost", "fixed_cost", "running_cost", "cost_per_won_deal",
        "revenue_won", "cash_collected", "days_to_cash")}
    for counted, measured, period in zip(drivers, kpis, periods, strict=True):
        months = period if period > 0 else math.nan
        staff = sum(hours * prices.resources.get(person, prices.pools.get(pool, 0.0))
                    for pool, people in counted.hours.items()
                    for person, hours in people.items()) / months
        activities = sum(n * prices.activities.get(name, 0.0)
                         for name, n in counted.occurrences.items()) / months
        running = staff + activities + fixed.monthly
        found = {r.id: r.value for r in measured if r.group is None and r.available}
        figures["staff_cost"].append(staff)
        figures["activity_cost"].append(activities)
        figures["fixed_cost"].append(fixed.monthly)
        figures["running_cost"].append(running)
        figures["cost_per_won_deal"].append(running * months / counted.won if counted.won
                                            else None)
        figures["revenue_won"].append(found.get("revenue_won"))
        figures["cash_collected"].append(found.get("cash_collected"))
        figures["days_to_cash"].append(counted.days_to_cash)
    return figures


def _pairs(before: Series, after: Series) -> tuple[np.ndarray, np.ndarray]:
    kept = [(b, a) for b, a in zip(before, after, strict=True)
            if b is not None and a is not None and math.isfinite(b) and math.isfinite(a)]
    if not kept:
        return np.zeros(0), np.zeros(0)
    b, a = (np.array(v, dtype=float) for v in zip(*kept, strict=True))
    return b, a


def _mean_line(scenario: str, measure: str, unit: str, values: np.ndarray,
               note: str = "") -> CaseLine:
    """A figure of the change alone: the mean over replications and its interval."""
    if values.size == 0:
        return CaseLine(scenario, measure, unit, None, None, None, None, None, 0,
                        note or "not available")
    low, high = t_interval(values)
    return CaseLine(scenario, measure, unit, None, float(values.mean()), None, low, high,
                    int(values.size), note)


def _paired_line(scenario: str, measure: str, unit: str, before: Series, after: Series
                 ) -> CaseLine:
    b, a = _pairs(before, after)
    if b.size == 0:
        why = NO_DAYS_TO_CASH if measure == "days_to_cash" else "not available"
        return CaseLine(scenario, measure, unit, None, None, None, None, None, 0, why)
    low, high = t_interval(a - b)
    return CaseLine(scenario, measure, unit, float(b.mean()), float(a.mean()),
                    float((a - b).mean()), low, high, int(b.size))


def _payback(scenario: str, one_off: float, base: Series, changed: Series) -> CaseLine:
    """Months until the running cost saved repays the one-off cost; its interval is the
    saving's interval turned the same way (payback falls as the saving grows)."""
    b, a = _pairs(base, changed)
    if b.size == 0:
        return CaseLine(scenario, "payback", MONTHS, None, None, None, None, None, 0,
                        "not available")
    saving = b - a
    if one_off == 0:
        return CaseLine(scenario, "payback", MONTHS, None, None, None, None, None,
                        int(b.size), NO_ONE_OFF)
    mean = float(saving.mean())
    low, high = t_interval(saving)
    if mean <= 0:
        return CaseLine(scenario, "payback", MONTHS, None, None, None, None, None,
                        int(b.size), NO_SAVING)
    shortest = one_off / high if high is not None and high > 0 else None
    longest = one_off / low if low is not None and low > 0 else None
    note = SAVING_UNSURE if low is not None and low <= 0 else ""
    return CaseLine(scenario, "payback", MONTHS, None, one_off / mean, None, shortest,
                    longest, int(b.size), note)


def _working_capital(scenario: str, base: dict[str, Series], changed: dict[str, Series]
                     ) -> CaseLine:
    """(days to cash, baseline - scenario) x the baseline's cash collected per day."""
    freed = [None if d0 is None or d1 is None or cash is None
             else (d0 - d1) * cash / DAYS_PER_MONTH
             for d0, d1, cash in zip(base["days_to_cash"], changed["days_to_cash"],
                                     base["cash_collected"], strict=True)]
    values = np.array([v for v in freed if v is not None and math.isfinite(v)], dtype=float)
    return _mean_line(scenario, "working_capital_freed", MONEY, values, "" if values.size
                      else NO_DAYS_TO_CASH)


def build_business_case(names: list[str], drivers: Mapping[str, list[CostDrivers]],
                        kpis: Mapping[str, list[list[KpiResult]]],
                        priced_as: Callable[[str], Member], currency: str | None
                        ) -> BusinessCase:
    """Each scenario (``names[1:]``) against the baseline (``names[0]``), replication by
    replication; ``priced_as(name)`` gives a member's prices and fixed cost."""
    if not names:
        return BusinessCase(currency)
    periods = [counted.months for counted in drivers[names[0]]]
    figures = {name: member_figures(drivers[name], kpis[name], priced_as(name),
                                    periods[:len(drivers[name])])
               for name in names}
    lines, one_off = [], {}
    for name in names[1:]:
        changed = figures[name]
        paired = len(drivers[name])  # a scenario decided early ran fewer than the baseline
        base = {measure: series[:paired] for measure, series in figures[names[0]].items()}
        lines += [_paired_line(name, measure, unit, base[measure], changed[measure])
                  for measure, unit in MEASURES if measure in changed]
        lines.append(_working_capital(name, base, changed))
        one_off[name] = priced_as(name)[1].one_off
        lines.append(_payback(name, one_off[name], base["running_cost"],
                              changed["running_cost"]))
    return BusinessCase(currency, lines, one_off)


def study_business_case(study: Study, costs: Costs, own: Mapping[str, ScenarioCosts | None],
                        currency: str | None) -> BusinessCase:
    """A study's business case: the baseline at the costs file's prices, each scenario at
    those with its own ``costs:`` block over them."""
    def priced_as(name: str) -> Member:
        return (costs, ChangeCost()) if name == BASELINE else costs.for_scenario(
            name, own.get(name))

    return build_business_case(study.names, study.drivers, study.per_rep, priced_as,
                               currency)
