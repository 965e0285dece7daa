"""The Compare page's scenario map filtered like the Data page's: the cases of one
attribute value, one variant or one month begun, the scenario against the baseline's same
part (``streamlit.testing``, one comparison run in the app)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import (
    _run_automated_invoicing,
    isolated,  # noqa: F401 (autouse: each test runs in it)
    ok,
    with_model,
)

KEY = "cmp.results"


def _graph(at: AppTest) -> str:
    [graph] = [g.proto.spec for g in at.get("graphviz_chart")]
    return str(graph)


def _leads(graph: str) -> int:
    """The frequency map's count on Lead Created (cases a run)."""
    found = re.search(r'"Lead Created" \[label="Lead Created\\n([\d,]+)"', graph)
    assert found, graph[:400]
    return int(found.group(1).replace(",", ""))


def test_the_scenario_map_of_one_segment_one_variant_and_one_month() -> None:
    at = _run_automated_invoicing(with_model("compare"))
    at.radio(key=f"{KEY}.map_view").set_value("frequency")
    ok(at.run())
    every = _leads(_graph(at))
    by = at.selectbox(key=f"{KEY}.map_by")
    assert by.options == ["all", "of one attribute value", "of one variant",
                          "begun in one month"]
    by.set_value("of one attribute value")
    ok(at.run())
    at.selectbox(key=f"{KEY}.map_attribute").set_value("lead_source")
    ok(at.run())
    values = at.selectbox(key=f"{KEY}.map_value.lead_source").options
    parts = []
    for value in values:
        at.selectbox(key=f"{KEY}.map_value.lead_source").set_value(value)
        ok(at.run())
        parts.append(_leads(_graph(at)))
    assert len(values) >= 3 and all(0 < n < every for n in parts)
    assert abs(sum(parts) - every) <= len(values), "the sources' leads make up all of them"

    at.selectbox(key=f"{KEY}.map_value.lead_source").set_value("Web")
    at.radio(key=f"{KEY}.map_view").set_value("performance")
    ok(at.run())
    graph = _graph(at)
    into = next(line for line in graph.splitlines()
                if '"Order Fulfilled" -> "Invoice Generated"' in line)
    assert "→ 0 s" in into, "Web's invoices: the baseline's wait, then none"
    assert any("cases a run on average, in 2 runs" in c.value for c in at.caption)

    at.selectbox(key=f"{KEY}.map_by").set_value("of one variant")
    ok(at.run())
    variant = at.selectbox(key=f"{KEY}.map_variant")
    path = str(variant.value).split(" · ", 1)[1].split(" → ")
    boxes = set(re.findall(r'^  "([^"]+)" \[label=', _graph(at), flags=re.M))
    assert boxes == set(path), "only the variant's activities"

    at.selectbox(key=f"{KEY}.map_by").set_value("begun in one month")
    ok(at.run())
    months = at.selectbox(key=f"{KEY}.map_month").options
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)
    at.radio(key=f"{KEY}.map_view").set_value("frequency")
    ok(at.run())
    assert _leads(_graph(at)) < every
