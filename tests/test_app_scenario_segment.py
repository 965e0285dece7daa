"""The Scenarios page makes its changes for one segment when asked: "automated invoicing
only for small deals" is written with its segment, checked against the model and saved."""

from __future__ import annotations

from pathlib import Path

from scenarios import apply_scenario, load_scenario
from tests.test_app_pages import isolated, ok, texts, with_model

__all__ = ["isolated"]  # the pages' fixture: saved scenarios in a temporary folder


def test_changes_for_one_segment_are_written_checked_and_saved(isolated: Path,
                                                                sample_model) -> None:
    at = with_model("scenarios")
    at.text_input(key="sc.name").input("Invoicing small deals")
    assert "deal size band (amount tertiles)" in at.selectbox(key="sc.seg_attribute").options
    at.selectbox(key="sc.seg_attribute").set_value("deal_size")
    ok(at.run())
    at.selectbox(key="sc.seg_value.deal_size").set_value("small")
    at.toggle(key="sc.auto.Invoice Generated").set_value(True)
    ok(at.run())
    yaml_text = at.code[0].value
    assert ("- automate:\n    activity: Invoice Generated\n    segment: {deal_size: small}"
            in yaml_text), yaml_text
    shown = texts(at)
    assert "Only for cases with deal_size = small:" in shown
    assert "Checked against the model: 1 change, valid." in shown
    at.button(key="sc_save").click()
    ok(at.run())
    saved = load_scenario(isolated / "scenarios" / "invoicing_small_deals.yaml")
    changed, _ = apply_scenario(sample_model, saved)
    (variant,) = changed.variants
    assert variant.segment == {"deal_size": "small"}
    assert list(variant.activities) == ["Invoice Generated"]


def test_the_deal_size_bands_read_in_the_pages_language(isolated: Path) -> None:
    """The planner's own bands (small, medium, large) are named in Japanese on a Japanese
    page (a value from the data stays as the data has it)."""
    at = with_model("scenarios")
    at.sidebar.radio[0].set_value("ja")  # the language switch
    ok(at.run())
    attribute = at.selectbox(key="sc.seg_attribute")
    attribute.select_index(attribute.options.index("案件規模の帯（金額の三分位）"))
    ok(at.run())
    assert set(at.selectbox(key="sc.seg_value.deal_size").options) == {"小", "中", "大"}
