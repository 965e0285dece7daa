"""The Compare page by segment (``streamlit.testing``, the real app): automated invoicing
against the baseline, group by group of lead source, each with its paired interval."""

from __future__ import annotations

from pathlib import Path

from tests.test_app_pages import (  # noqa: F401
    _run_automated_invoicing,
    isolated,
    ok,
    wait_for_job,
    with_model,
)

LEAD_SOURCES = {"Cold Call", "Event", "Partner", "Referral", "Web"}  # the sample's


def test_the_comparison_by_lead_source(isolated: Path) -> None:  # noqa: F811
    at = _run_automated_invoicing(with_model("compare"))
    assert at.selectbox(key="seg.by").value == "lead_source"
    assert "deal size band (amount tertiles)" in at.selectbox(key="seg.by").options
    at.button(key="seg.run").click()
    ok(at.run())
    at = wait_for_job(at, "segments.job")
    [table] = [f.value for f in at.dataframe if "Segment" in f.value.columns]
    assert set(table["Segment"]) == LEAD_SOURCES
    lag = table[table["KPI"] == "Invoice lag"]
    assert len(lag) == len(LEAD_SOURCES)
    assert (lag["Scenario"] == "0.0 days").all()  # invoicing is automated for every segment
    assert all(diff.startswith("−") for diff in lag["Difference"])
    cycle = table[table["KPI"] == "Sales cycle"]  # invoicing comes after the sale
    assert all(diff.strip("+−±").startswith("0.0") for diff in cycle["Difference"]), cycle
