"""Target levers priced in money, from the same costs file a comparison's business case uses.

"Cheapest" in effort units (``levers.Costs``) lets a reader redo the sums; a budget holder
asks what a proposal costs in money. Given a costs file, a lever's cost is money per month:

- its fixed cost: the price the costs file gives it under ``levers:`` (for its standard
  step, in proportion when turned further: two people cost twice one), else, for people
  added to a pool, the pool's hourly cost times a member's working hours per month on the
  pool's calendar; a one-off cost counts as a twelfth of it per month (``HORIZON``);
- plus the change in running cost the simulation measured (staff hours and priced
  activities, paired replication by replication with the baseline): automating a step
  saves the hours it took, so it can cost less than nothing.

A proposal is then priced by the business case (``sim.business_case``) of its simulated
replications against the baseline's, with the levers' fixed costs as its change's cost.
Levers without a price of their own cost only what the simulation measured, and are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from scenarios.changes import FIX_SUFFIX
from scenarios.target.evaluate import Evaluation
from scenarios.target.levers import Catalogue, Lever
from sim.business_case import DAYS_PER_MONTH, BusinessCase, build_business_case, member_figures
from sim.calendar import HOUR
from sim.costs import ChangeCost, Costs, Prices, check_prices
from sim.errors import PlannerError
from sim.model import ProcessModel

HORIZON = 12  # months a one-off cost is spread over when levers are ranked
PROPOSAL = "Proposal"
BASELINE = "Baseline"


def hours_per_month(model: ProcessModel, pool: str) -> float:
    """A pool member's working hours in a month of ``DAYS_PER_MONTH`` days."""
    return model.pools[pool].calendar.clock.per_week / HOUR * DAYS_PER_MONTH / 7


def _own_activities(costs: Costs, model: ProcessModel) -> Prices:
    """The prices to check against the model: a scenario's automation adds the manual fix
    of an activity (``scenarios.changes.automate``), which the model itself lacks."""
    added = {name for name in costs.activities if name.endswith(FIX_SUFFIX)
             and name.removesuffix(FIX_SUFFIX) in model.activities}
    return Prices(pools=costs.pools, resources=costs.resources,
                  activities={k: v for k, v in costs.activities.items() if k not in added})


class MoneyPricing:
    """Levers and proposals in money per month (see the module docstring)."""

    def __init__(self, costs: Costs, model: ProcessModel, catalogue: Catalogue,
                 source: str = "costs") -> None:
        check_prices(_own_activities(costs, model), [model], source)
        self.costs = costs
        self.model = model
        self.currency = costs.currency
        self.unit = f"{costs.currency or 'money'} per month"
        self.prices: dict[str, ChangeCost] = {}
        for name, price in costs.levers.items():
            try:
                self.prices[catalogue.find(name).id] = price
            except PlannerError as error:
                raise PlannerError(f"{source}: levers: {error}") from None
        self.simulated: Mapping[tuple[tuple[str, float], ...], Evaluation] = {}
        self.baseline: Evaluation | None = None

    def watch(self, cache: Mapping[tuple[tuple[str, float], ...], Evaluation]) -> None:
        """Read the running cost of levers from the plans simulated so far (``Evaluator``'s
        cache, which fills as the search goes)."""
        self.simulated = cache

    def priced(self, lever: Lever) -> bool:
        """Whether the lever has a fixed cost of its own (a price, or a pool's hourly cost)."""
        return lever.id in self.prices or (lever.kind == "pool"
                                           and lever.subject in self.costs.pools)

    def fixed(self, lever: Lever, amount: float) -> ChangeCost:
        """The fixed cost of turning ``lever`` by ``amount``."""
        if amount <= 0:
            return ChangeCost()
        price = self.prices.get(lever.id)
        if price is not None:
            share = amount / lever.step
            return ChangeCost(monthly=price.monthly * share, one_off=price.one_off * share)
        if lever.kind == "pool" and lever.subject in self.costs.pools:
            salary = self.costs.pools[lever.subject] * hours_per_month(self.model,
                                                                       lever.subject)
            return ChangeCost(monthly=salary * round(amount))
        return ChangeCost()

    def running(self, lever: Lever, amount: float) -> float:
        """The change in running cost per month the simulation measured for ``lever`` alone:
        at ``amount`` if simulated, else at its standard step in proportion; 0 if neither."""
        if amount <= 0:
            return 0.0
        for tried, share in (((lever.id, float(amount)),), 1.0), (
                ((lever.id, float(lever.step)),), amount / lever.step):
            found = self.simulated.get(tried)
            if found is not None:
                change = self.running_change(found)
                return 0.0 if change is None else change * share
        return 0.0

    def running_change(self, evaluation: Evaluation) -> float | None:
        """Mean change in running cost per month of a simulated plan against the baseline,
        paired replication by replication (None: nothing to pair)."""
        base = self._base(evaluation)
        if base is None or not base.drivers or not evaluation.drivers:
            return None
        before, after = (self._running(e, base) for e in (base, evaluation))
        pairs = [(b, a) for b, a in zip(before, after, strict=True)
                 if b is not None and a is not None and np.isfinite(b) and np.isfinite(a)]
        return float(np.mean([a - b for b, a in pairs])) if pairs else None

    def _base(self, evaluation: Evaluation) -> Evaluation | None:
        """The baseline on the plan's replications (a plan may have run fewer)."""
        base = self.simulated.get(())
        if base is None:
            return None
        n = len(evaluation.drivers)
        return replace(base, values=base.values[:n], baseline=base.baseline[:n],
                       drivers=base.drivers[:n], money=base.money[:n])

    def _running(self, evaluation: Evaluation, base: Evaluation) -> list[float | None]:
        drivers = [d for d in evaluation.drivers if d is not None]
        periods = [d.months for d in base.drivers if d is not None]
        if len(drivers) != len(evaluation.drivers) or len(periods) != len(drivers):
            return [None] * len(evaluation.drivers)
        return member_figures(drivers, [list(k) for k in evaluation.money],
                              (self.costs, ChangeCost()), periods)["running_cost"]

    def lever_cost(self, lever: Lever, amount: float) -> float:
        fixed = self.fixed(lever, amount)
        return fixed.monthly + fixed.one_off / HORIZON + self.running(lever, amount)

    def plan_cost(self, settings: tuple[tuple[Lever, float], ...], evaluation: Evaluation
                  ) -> float:
        """A simulated proposal's cost per month: its levers' fixed costs and the change in
        running cost measured for the whole mix (levers interact: one added person may be
        idle once another lever shortens the queue)."""
        fixed = [self.fixed(lever, amount) for lever, amount in settings]
        running = self.running_change(evaluation)
        if running is None:
            running = sum(self.running(lever, amount) for lever, amount in settings)
        return sum(f.monthly + f.one_off / HORIZON for f in fixed) + running

    def describe(self) -> str:
        return (f"cost in {self.unit}: each lever's fixed cost (the costs file's 'levers:' "
                f"price per standard step; people at their pool's hourly cost over a "
                f"member's working hours; one-off costs spread over {HORIZON} months) plus the "
                "change in running cost the simulation measured")

    def case(self, settings: tuple[tuple[Lever, float], ...], evaluation: Evaluation
             ) -> BusinessCase:
        """The business case of a simulated proposal against the baseline: its levers'
        fixed costs as the change's cost."""
        base = self._base(evaluation)
        monthly = sum(self.fixed(lever, amount).monthly for lever, amount in settings)
        one_off = sum(self.fixed(lever, amount).one_off for lever, amount in settings)
        if base is None:
            return BusinessCase(self.currency)
        drivers = {BASELINE: [d for d in base.drivers if d is not None],
                   PROPOSAL: [d for d in evaluation.drivers if d is not None]}
        if not len(drivers[BASELINE]) == len(drivers[PROPOSAL]) == len(base.drivers):
            return BusinessCase(self.currency)
        kpis = {BASELINE: [list(k) for k in base.money],
                PROPOSAL: [list(k) for k in evaluation.money]}
        change = ChangeCost(monthly=monthly, one_off=one_off)
        return build_business_case(
            [BASELINE, PROPOSAL], drivers, kpis,
            lambda name: (self.costs, ChangeCost() if name == BASELINE else change),
            self.currency)

    def unpriced(self, settings: tuple[tuple[Lever, float], ...]) -> list[str]:
        """The labels of levers in ``settings`` that have no fixed cost of their own."""
        return [lever.label for lever, amount in settings
                if amount > 0 and not self.priced(lever)]
