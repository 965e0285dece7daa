"""The comparison charts say how sure they are: intervals across replications, partial months
marked, outcomes apart from the funnel's stages, and a baseline that stays visible
(``streamlit.testing``, one comparison run in the app)."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.test_app_pages import (
    _run_automated_invoicing,
    isolated,  # noqa: F401 (autouse: each test runs in it)
    ok,
    with_model,
)
from ui.chart_bands import partial_months
from ui.process_map_dot import SAME


def figures(at: AppTest) -> list[dict]:
    """The comparison charts as Plotly JSON: cycle times, funnel, cash, waiting, pools, and
    one series over time."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_compare_charts_show_intervals_partial_months_outcomes_and_the_baseline() -> None:
    at = _run_automated_invoicing(with_model("compare"))
    cycle, funnel, cash, waiting, pools, weekly = figures(at)

    bands = [t for t in cycle["data"] if t.get("fill") == "toself"]
    assert len(bands) >= 2, "a 95% band around the baseline's and the scenario's curves"
    lines = [t for t in cycle["data"] if t.get("mode") == "lines"]
    baseline = [t for t in lines if t["name"] == "Baseline"]
    assert baseline and all(t["line"].get("dash") == "dash" for t in baseline)
    assert lines[-1]["name"] == "Baseline", "the baseline is drawn on top"

    stages = [t for t in funnel["data"] if t.get("xaxis", "x") == "x"]
    outcomes = [t for t in funnel["data"] if t.get("xaxis") == "x2"]
    assert not any("Lost" in str(x) for t in stages for x in t["x"]), "outcomes are not stages"
    assert any("Opportunity Lost" in t["x"] for t in outcomes), "outcomes shown apart"
    assert all(t.get("error_y", {}).get("arrayminus") for t in stages)
    assert all(t.get("error_x", {}).get("arrayminus") for t in waiting["data"])
    assert pools["data"] and all(t.get("error_y", {}).get("arrayminus")
                                 for t in pools["data"]), "utilisation with its interval"

    shapes = cash["layout"].get("shapes", [])
    assert shapes, "the months only partly inside the run are shaded"
    assert "partial month" in json.dumps(cash["layout"].get("annotations", []))
    assert cash["data"][-1]["name"] == "Baseline"
    assert cash["data"][-1]["line"]["dash"] == "dash"
    cash_lines = [t for t in cash["data"] if t.get("mode") == "lines+markers"]
    assert "circle-open" in cash_lines[0]["marker"]["symbol"]
    cash_bands = [t for t in cash["data"] if t.get("fill") == "toself"]
    assert len(cash_bands) == len(cash_lines), "each member's cash line in its 95% band"
    for band, line in zip(cash_bands, cash_lines, strict=True):
        months = len(line["y"])
        low, high = band["y"][:months], band["y"][months:][::-1]
        assert all(a <= y + 1e-6 and y <= b + 1e-6
                   for a, y, b in zip(low, line["y"], high, strict=True))
        assert any(b > a for a, b in zip(low, high, strict=True)), "replications differ"
    captions = "\n".join(c.value for c in at.caption)
    assert "95% interval" in captions and "partly inside the run" in captions

    assert weekly["layout"]["yaxis"]["title"]["text"] == "cases in progress"
    weekly_lines = [t for t in weekly["data"] if t.get("mode") == "lines"]
    assert [t["name"] for t in weekly_lines] == ["Automated invoicing", "Baseline"]
    assert len([t for t in weekly["data"] if t.get("fill") == "toself"]) == 2
    chosen = at.selectbox(key="cmp.results.over_time")
    queues = [k for k in chosen.options if "waiting for" in k]
    assert queues and any("busy share of" in k for k in chosen.options)
    chosen.set_value(next(k for k in chosen.options if k.startswith("cases waiting for")))
    ok(at.run())
    weekly = figures(at)[-1]
    assert weekly["layout"]["yaxis"]["title"]["text"].startswith("cases waiting for")

    assert at.selectbox(key="cmp.results.map_member").value == "Automated invoicing"
    [graph] = [g.proto.spec for g in at.get("graphviz_chart")]
    into = next(line for line in graph.splitlines()
                if '"Order Fulfilled" -> "Invoice Generated"' in line)
    assert "→ 0 s" in into, "the baseline's wait before the scenario's, which is none"
    sales = next(line for line in graph.splitlines()
                 if '"Lead Created" -> "Lead Qualified"' in line)
    assert f'color="{SAME}"' in sales and "→" not in sales, "before the order: unchanged"


def test_partial_months_are_the_months_the_run_covers_in_part() -> None:
    months = ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert partial_months(months, pd.Timestamp("2024-01-15"), 60.0) == [
        "2024-01", "2024-03", "2024-04"]
    assert partial_months(months, pd.Timestamp("2024-01-01"), 91.0) == ["2024-04"]
    assert partial_months(months, pd.Timestamp("2024-01-01"), None) == ["2024-04"]
