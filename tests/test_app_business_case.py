"""The Compare page's business case, driven with ``streamlit.testing``: costs from the
sample's costs file, the table in English and Japanese, kept with the saved comparison,
and a broken costs text named before anything runs."""

from __future__ import annotations

from pathlib import Path

from sim.saved import SavedStore
from tests.test_app_pages import (  # the page helpers and the isolated folders
    _run_automated_invoicing,
    go,
    isolated,
    ok,
    texts,
    with_model,
)

__all__ = ["isolated"]


def test_the_sample_costs_give_automated_invoicing_a_business_case(isolated: Path) -> None:
    at = with_model("compare")
    at.button(key="cmp.costs_sample").click()
    ok(at.run())
    assert "Automated invoicing: {monthly: 250, one_off: 9000}" in str(at.text_area(
        key="cmp.costs").value)
    at = _run_automated_invoicing(at)
    assert "Business case" in texts(at)
    case = next(frame.value for frame in at.dataframe
                if "Business case" in frame.value.columns)
    staff = case[case["Business case"] == "Staff cost"].iloc[0]
    assert staff["Baseline"].endswith("EUR / month") and staff["Difference"].startswith("−")
    payback = case[case["Business case"] == "Payback of the one-off cost"].iloc[0]
    assert payback["Difference"].endswith("months")
    at.text_input(key="cmp.save_name").input("Priced")
    at.button(key="cmp.save").click()
    ok(at.run())
    saved = SavedStore(isolated / "saved.sqlite").load("Priced")
    assert saved.business_case is not None and saved.business_case.currency == "EUR"
    assert "Billing: 40" in saved.costs
    go(at, "saved")
    assert at.selectbox(key="saved.open").value == "Priced"
    assert any("Business case" in frame.value.columns for frame in at.dataframe)
    go(at, "compare")
    at.session_state["lang"] = "ja"
    ok(at.run())
    assert "ビジネスケース" in texts(at)
    japanese = next(frame.value for frame in at.dataframe
                    if "ビジネスケース" in frame.value.columns)
    assert "人件費" in set(japanese["ビジネスケース"])
    assert "Staff cost" not in japanese.to_string()


def test_a_broken_costs_text_is_named_and_nothing_runs() -> None:
    at = with_model("compare")
    at.text_area(key="cmp.costs").input("pools: {Billing: -4}\n")
    ok(at.run())
    assert any("pools.Billing" in e.value and ">= 0" in e.value for e in at.error)
    at.multiselect(key="cmp.scenarios").set_value(
        [next(iter(at.multiselect(key="cmp.scenarios").options))])
    ok(at.run())
    assert at.button(key="cmp.run").disabled
