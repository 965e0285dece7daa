"""One baseline, one number: Compare and Targets show the same baseline figure for the same
model when they use the same run, and say which run a figure comes from when they do not
(``streamlit.testing``, no browser)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import (
    _run_automated_invoicing,
    go,
    isolated,
    ok,
    texts,
    wait_for_job,
    with_model,
)

__all__ = ["isolated"]  # the pages' fixture: saved comparisons in a temporary folder


def _ask_target(at: AppTest) -> AppTest:
    at.radio(key="tg.mode").set_value("seek")
    ok(at.run())
    at.multiselect(key="tg.levers").set_value(["delay:Contract Signed"])
    at.slider(key="tg.change").set_value(-10)
    ok(at.run())
    at.button(key="tg.run").click()
    ok(at.run())
    return wait_for_job(at, "targets.job")


def _target_baseline(at: AppTest) -> str:
    answer = [*at.success, *at.warning][0].value
    found = re.search(r"\(([^()]+) → ", answer)
    assert found, answer
    return found.group(1)


def test_compare_and_targets_show_one_baseline_figure() -> None:
    at = _run_automated_invoicing(with_model("compare"))  # 2 replications, 300 new cases
    table = at.dataframe[0].value
    compared = table[table["KPI"] == "Sales cycle"].iloc[0]["Baseline"]
    assert "2 replications, seed 1, 300 new cases" in texts(at)

    go(at, "targets")
    at.number_input(key="tg.reps").set_value(2)
    at.number_input(key="tg.cases").set_value(200)
    ok(at.run())
    assert "Compare's last run used 2 replications, seed 1, 300 new cases" in texts(at)
    at = _ask_target(at)
    assert "from 2 replications, seed 1, 200 new cases" in texts(at)
    other = [i.value for i in at.info if "The Compare page shows Sales cycle" in i.value]
    assert other and compared in other[0], "the other run's figure is named, with its run"

    at.button(key="tg.same_run").click()
    ok(at.run())
    assert at.number_input(key="tg.cases").value == 300
    at.button(key="tg.run").click()
    ok(at.run())
    at = wait_for_job(at, "targets.job")
    assert _target_baseline(at) == compared, "the same run gives the same baseline figure"
    assert not any("The Compare page shows" in i.value for i in at.info)
