"""The Compare page by segment (``streamlit.testing``, the real app): automated invoicing
against the baseline, group by group of lead source, each with its paired interval."""

from __future__ import annotations

import json
from pathlib import Path

from sim.saved import SavedStore
from tests.test_app_pages import (  # noqa: F401
    _run_automated_invoicing,
    go,
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

    # the chart: one KPI's difference segment by segment, with its interval; first the KPI
    # the change moves most
    assert at.selectbox(key="seg.chart_kpi").value == "invoice_lag"
    [chart] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
               if "difference against the baseline" in c.proto.spec]
    [dots] = chart["data"]
    assert set(dots["y"]) == LEAD_SOURCES and all(x < 0 for x in dots["x"])
    assert dots["error_x"]["arrayminus"] and dots["error_x"]["array"]
    # saved with the comparison, and shown again on the Saved page
    at.text_input(key="cmp.save_name").input("By lead source")
    at.button(key="cmp.save").click()
    ok(at.run())
    kept = SavedStore(isolated / "saved.sqlite").load("By lead source")
    assert kept.segments is not None and kept.segments.by == "lead_source"
    assert {r.segment for r in kept.segments.rows} == LEAD_SOURCES
    at = go(at, "saved")
    [again] = [f.value for f in at.dataframe if "Segment" in f.value.columns]
    assert again.equals(table)
