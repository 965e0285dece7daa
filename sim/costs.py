"""What the process costs: prices of an hour of work, of an activity, and of a change.

A budget holder asks what a change costs and what it earns. The simulation counts the work
(hours per pool and person, activity occurrences); these prices turn the counts into money
afterwards, so a new price never needs a new simulation. Prices are per working hour of
a pool (a person's own rate wins over the pool's), per occurrence of an activity (a manual
invoice fix, an e-signature fee), and the fixed cost of a scenario's change (a licence per
month, a one-off project). Everything defaults to empty; prices are checked against the
models they price, with a "did you mean" for a misspelt name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import name_key
from sim.model import ProcessModel

MAX_PRICE = 1e12  # far beyond any salary, fee or project; a typo of many zeros is caught
CURRENCY_COLUMNS = frozenset({"currency", "currencycode", "transactioncurrency", "通貨"})
Price = Annotated[float, Field(ge=0, le=MAX_PRICE)]
Kind = TypeVar("Kind", bound=BaseModel)


class Prices(BaseModel):
    """Rates that turn counted work into money."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    pools: dict[str, Price] = Field(
        default_factory=dict, description="Pool -> cost of one working hour of a member.")
    resources: dict[str, Price] = Field(
        default_factory=dict, description="Person -> cost of one of their working hours "
                                          "(wins over their pool's).")
    activities: dict[str, Price] = Field(
        default_factory=dict, description="Activity -> cost of each occurrence.")


class ChangeCost(BaseModel):
    """The fixed cost of a scenario's change: per month while it runs, and once."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    monthly: Price = 0.0
    one_off: Price = 0.0


class ScenarioCosts(Prices, ChangeCost):
    """A scenario file's own ``costs:`` block: its change's fixed cost, and prices that
    differ under the change (they win over the costs file's)."""


def inherit(bases: list[ScenarioCosts], own: ScenarioCosts | None) -> ScenarioCosts | None:
    """A scenario's costs when it ``extends`` others: theirs, in order (a later price wins;
    fixed costs add up, as every change extended is made), with its own block over them
    (its prices key by key, its fixed cost field by field)."""
    if not bases:
        return own
    fields: dict[str, object] = {}
    for key in Prices.model_fields:
        fields[key] = {name: price for part in [*bases, own] if part is not None
                       for name, price in getattr(part, key).items()}
    for key in ChangeCost.model_fields:
        total = sum(getattr(part, key) for part in bases)
        if total:
            fields[key] = total
    if own is not None:
        fields |= own.model_dump(include=own.model_fields_set & set(ChangeCost.model_fields))
    return ScenarioCosts.model_validate(fields)


class Costs(Prices):
    """A costs file: the currency, the prices, and each scenario's fixed cost by name."""

    currency: str | None = Field(default=None, max_length=12)
    changes: dict[str, ChangeCost] = Field(
        default_factory=dict, description="Scenario name -> the fixed cost of its change.")
    levers: dict[str, ChangeCost] = Field(
        default_factory=dict, description="Target lever (id or name) -> the fixed cost of "
                                          "turning it by its standard step ('l2c target').")

    def for_scenario(self, name: str, own: ScenarioCosts | None = None
                     ) -> tuple[Prices, ChangeCost]:
        """The prices and fixed cost of one study member: the file's, with the scenario's
        own block over them (key by key; its fixed cost field by field)."""
        if own is None:
            return self, self.changes.get(name, ChangeCost())
        prices = Prices(pools={**self.pools, **own.pools},
                        resources={**self.resources, **own.resources},
                        activities={**self.activities, **own.activities})
        filed = self.changes.get(name, ChangeCost()).model_dump()
        said = own.model_dump(include=own.model_fields_set & set(ChangeCost.model_fields))
        return prices, ChangeCost(**{**filed, **said})


def parse_costs(data: object, source: str, kind: type[Kind]) -> Kind:
    """A costs mapping (read from YAML) as ``kind``, or a message naming the key path."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PlannerError(f"{source}: costs are a mapping with "
                           f"{', '.join(kind.model_fields)}.")
    unknown = [str(k) for k in data if k not in kind.model_fields]
    if unknown:
        raise PlannerError(f"{source}: unknown key '{unknown[0]}'."
                           f"{did_you_mean(unknown[0], kind.model_fields)} Costs have "
                           f"{', '.join(kind.model_fields)}.")
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        path = ".".join(str(p) for p in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        raise PlannerError(f"{source}: {path}: {message} (got {problem['input']!r}). Prices "
                           "are amounts of money >= 0, such as 'Billing: 38'.") from None


def check_prices(prices: Prices, models: Iterable[ProcessModel], source: str) -> None:
    """Every pool, person and activity priced is in one of the models (the baseline, or a
    scenario that adds it, such as an automated step's manual fix)."""
    pools: set[str] = set()
    people: set[str] = set()
    activities: set[str] = set()
    for model in models:
        pools |= set(model.pools)
        people |= {m for pool in model.pools.values() for m in pool.members}
        activities |= set(model.activities)
    for key, priced, known, what in (("pools", prices.pools, pools, "pool"),
                                     ("resources", prices.resources, people, "person"),
                                     ("activities", prices.activities, activities, "activity")):
        for name in priced:
            if name not in known:
                listed = ", ".join(sorted(known)[:12]) or "none"
                raise PlannerError(f"{source}: {key}: no {what} '{name}' in the model."
                                   f"{did_you_mean(name, known)} The model's: {listed}.")


def check_change_names(costs: Costs, scenarios: Iterable[str], source: str) -> None:
    """A fixed cost named close to a scenario of the study but not exactly is a typo; one
    far from every scenario belongs to a scenario not compared this time."""
    names = list(scenarios)
    for name in costs.changes:
        close = did_you_mean(name, names)
        if name not in names and close:
            raise PlannerError(f"{source}: changes: no scenario '{name}' in this comparison."
                               f"{close} Scenarios: {', '.join(names)}.")


def data_currency(cases: pd.DataFrame) -> str | None:
    """The one currency a log's cases name in a currency column, if they do."""
    for column in cases.columns:
        if name_key(str(column)) in CURRENCY_COLUMNS:
            values = cases[column].dropna().astype(str).str.strip().unique()
            if len(values) == 1 and values[0]:
                return str(values[0])
    return None
