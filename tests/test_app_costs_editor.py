"""The costs table on the Compare page (``streamlit.testing``, the real app): prices typed in
the table are written into the costs text both Compare and Targets read, and a text typed
or taken from the sample fills the table again."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scenarios.costs_file import parse_costs_text
from sim.costs import Costs
from tests.test_app_pages import go, isolated, ok, with_model  # noqa: F401
from ui.app.business_case_view import TEXT_KEY


def costs_of(at: AppTest) -> Costs:
    return parse_costs_text(at.text_area(key=TEXT_KEY).value or "")


def test_prices_typed_in_the_table_price_compare_and_targets(isolated: Path) -> None:  # noqa: F811
    at = with_model("compare")
    pools = {str(n.key).removeprefix("cmp.cost.pool.") for n in at.number_input
             if str(n.key).startswith("cmp.cost.pool.")}
    assert pools == {"Sales", "Approvers", "Billing"}  # the sample model's pools
    assert at.number_input(key="cmp.cost.pool.Approvers").value is None  # empty at first
    at.text_input(key="cmp.cost.currency").set_value("EUR")
    ok(at.run())
    at.number_input(key="cmp.cost.pool.Approvers").set_value(80.0)
    ok(at.run())
    at.number_input(key="cmp.cost.activity.Invoice Generated").set_value(12.5)
    ok(at.run())
    costs = costs_of(at)
    assert costs.currency == "EUR"
    assert costs.pools == {"Approvers": 80.0}
    assert costs.activities == {"Invoice Generated": 12.5}
    at.number_input(key="cmp.cost.pool.Approvers").set_value(None)  # cleared: no price
    ok(at.run())
    assert costs_of(at).pools == {}
    at = go(at, "targets")  # the Targets page prices levers with the same costs
    assert at.checkbox(key="tg.money").value


def test_the_text_and_the_sample_fill_the_table(isolated: Path) -> None:  # noqa: F811
    at = with_model("compare")
    at.text_area(key=TEXT_KEY).set_value("currency: JPY\npools: {Billing: 4000}\n"
                                         "changes:\n  Automated invoicing: {one_off: 90000}\n")
    ok(at.run())
    assert at.number_input(key="cmp.cost.pool.Billing").value == 4000
    assert at.text_input(key="cmp.cost.currency").value == "JPY"
    at.number_input(key="cmp.cost.pool.Sales").set_value(6500.0)
    ok(at.run())
    costs = costs_of(at)
    assert costs.pools == {"Billing": 4000, "Sales": 6500}
    assert costs.changes["Automated invoicing"].one_off == 90000
    at.button(key="cmp.costs_sample").click()
    ok(at.run())
    assert at.number_input(key="cmp.cost.pool.Sales").value == 65
    fix = "cmp.cost.activity.Invoice Generated (manual fix)"  # a scenario's, priced too
    assert at.number_input(key=fix).value == 12
    at.text_area(key=TEXT_KEY).set_value("pools: [Billing]\n")
    ok(at.run())
    assert any("cannot be read" in c.value for c in at.caption)
    assert not [n for n in at.number_input if str(n.key).startswith("cmp.cost.")]
