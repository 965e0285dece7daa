"""A scenario that ``extends`` others carries their costs: prices merged (a later one wins,
its own last), fixed costs added up (every change extended is made), its own fixed cost
field by field over that; the costs file's entry for the combined scenario still applies
when nothing it extends has a fixed cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.load import load_scenario
from sim.costs import ChangeCost, Costs, ScenarioCosts, inherit
from sim.errors import PlannerError


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bases(tmp_path: Path) -> Path:
    write(tmp_path, "invoicing.yaml", "name: Automated invoicing\nchanges:\n"
          "  - automate: Invoice Sent\ncosts: {monthly: 250, one_off: 9000, "
          "activities: {Invoice Sent: 0.4}, pools: {Billing: 40}}\n")
    write(tmp_path, "signature.yaml", "name: E-signature\nchanges:\n"
          "  - delay: {activity: Contract Signed, scale: 0.5}\n"
          "costs: {monthly: 400, one_off: 2000, pools: {Billing: 42}}\n")
    write(tmp_path, "plain.yaml", "name: Faster quotes\nchanges:\n"
          "  - duration: {activity: Quote Created, scale: 0.8}\n")
    return tmp_path


def test_an_extending_scenario_adds_up_what_it_extends(bases: Path):
    combined = load_scenario(write(bases, "both.yaml", "name: Both\nextends: [invoicing.yaml, "
                                   "signature.yaml]\n"))
    assert combined.costs is not None
    assert (combined.costs.monthly, combined.costs.one_off) == (650, 11000)
    assert combined.costs.pools == {"Billing": 42}  # the later file's price wins
    assert combined.costs.activities == {"Invoice Sent": 0.4}
    assert len(combined.changes) == 2


def test_its_own_costs_go_over_the_inherited(bases: Path):
    combined = load_scenario(write(bases, "both.yaml", "name: Both\nextends: [invoicing.yaml, "
                                   "signature.yaml]\ncosts: {one_off: 8000, pools: "
                                   "{Billing: 45, Sales: 60}}\n"))
    assert combined.costs is not None
    assert (combined.costs.monthly, combined.costs.one_off) == (650, 8000)  # a bundle price
    assert combined.costs.pools == {"Billing": 45, "Sales": 60}


def test_without_inherited_fixed_costs_the_costs_file_names_the_combination(bases: Path):
    combined = load_scenario(write(bases, "quotes.yaml", "name: Quotes plus\nextends: "
                                   "plain.yaml\n"))
    assert combined.costs is None  # nothing to inherit, nothing of its own
    filed = Costs(changes={"Quotes plus": ChangeCost(monthly=100)})
    assert filed.for_scenario("Quotes plus", combined.costs)[1].monthly == 100
    priced = inherit([ScenarioCosts(pools={"Sales": 60})], None)
    assert priced is not None and "monthly" not in priced.model_fields_set
    assert filed.for_scenario("Quotes plus", priced)[1].monthly == 100


def test_a_broken_price_in_an_extended_file_names_that_file(bases: Path):
    write(bases, "broken.yaml", "name: Broken\ncosts: {pools: {Billing: -5}}\n")
    with pytest.raises(PlannerError, match=r"broken\.yaml: costs: pools\.Billing"):
        load_scenario(write(bases, "on_broken.yaml", "name: On broken\nextends: broken.yaml\n"))
