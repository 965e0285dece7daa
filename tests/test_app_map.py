"""The Data page's process map of a part of the log and by performance
(``streamlit.testing``, the bundled sample): an attribute value, a variant and a period
each leave only their cases on the map; the performance view shows median times, the
longest the reddest."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from sim.process_map import variants
from tests.test_app_pages import isolated, ok, open_app  # noqa: F401
from ui.process_map_dot import LONGER


def _dot(at: AppTest) -> str:
    return str(at.get("graphviz_chart")[0].proto.spec)


def _count(dot: str, activity: str) -> int:
    """The count on an activity's box of the frequency map ('Lead Created\\n3,064')."""
    found = re.search(rf'"{re.escape(activity)}" \[label="{re.escape(activity)}\\n([\d,]+)"',
                      dot)
    assert found, activity
    return int(found.group(1).replace(",", ""))


def test_the_map_of_a_part_of_the_log_and_by_performance(isolated: Path,  # noqa: F811
                                                         sample_log) -> None:
    at = open_app()
    at.button(key="data.sample").click()
    ok(at.run())
    everything = _count(_dot(at), "Lead Created")
    cases = sample_log.cases
    web = cases.index[cases["lead_source"].astype(str) == "Web"]
    at.selectbox(key="data.map_attribute").set_value("lead_source")
    ok(at.run())
    at.selectbox(key="data.map_value").set_value("Web")
    ok(at.run())
    leads = sample_log.events[sample_log.events["activity"] == "Lead Created"]
    assert _count(_dot(at), "Lead Created") == int(leads["case_id"].isin(web).sum()) < everything

    at.selectbox(key="data.map_attribute").set_value("all")
    ok(at.run())
    top = variants(sample_log).value_counts()
    label = next(o for o in at.selectbox(key="data.map_variant").options if o.endswith(
        top.index[0]))
    at.selectbox(key="data.map_variant").set_value(label)
    ok(at.run())
    path = top.index[0].split(" → ")
    assert _count(_dot(at), path[0]) == int(top.iloc[0])
    assert "Opportunity Won" not in _dot(at) or "Opportunity Won" in path

    at.selectbox(key="data.map_variant").set_value("all")
    first = sample_log.events.groupby("case_id")["start_time"].min()
    low = first.min().date()
    at.slider(key="data.map_period").set_value((low, low + pd.Timedelta(days=30).to_pytimedelta()))
    ok(at.run())
    begun = (first < pd.Timestamp(low) + pd.Timedelta(days=31)).to_numpy()
    assert _count(_dot(at), "Lead Created") == int(leads["case_id"].isin(
        first.index[begun]).sum())

    at.radio(key="data.map_view").set_value("performance")
    ok(at.run())
    dot = _dot(at)
    colours = set(re.findall(r'-> [^\[]+\[label="[^"]*", color="(#[0-9a-f]{6})"', dot))
    assert LONGER in colours and len(colours) > 2, "the longest wait reddest, the rest between"
    assert re.search(r'label=" [\d.]+ (d|h|min) "', dot), "arrows carry median waits"

