"""The Targets page as a process owner uses it with costs: only levers they can act on, the
answer in money with its business case, how sure it is, and a second run with more
replications at one click (``streamlit.testing``, the real app, a small run)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scenarios.target import TargetReport
from sim.saved import SavedStore
from tests.test_app_pages import (  # noqa: F401
    go,
    isolated,
    job_key,
    ok,
    texts,
    wait_for_job,
    with_model,
)
from ui import export
from ui.app import cache
from ui.app.business_case_view import SAMPLE_COSTS, TEXT_KEY
from ui.app.jobs import wait_for

NAME = "Sales cycle -25% in money"
CUSTOMER_WAITS = ("Contract Signed waiting", "Quote Accepted waiting", "payment days")


def test_targets_answer_in_money_with_only_the_owners_levers(isolated: Path) -> None:  # noqa: F811
    at = with_model("targets")
    assert "effort units" in texts(at)  # no costs yet
    at.session_state[f"_kept.{TEXT_KEY}"] = SAMPLE_COSTS.read_text(encoding="utf-8")
    ok(at.run())
    assert at.checkbox(key="tg.money").value
    at.number_input(key="tg.reps").set_value(2)
    at.number_input(key="tg.cases").set_value(200)
    at.button(key="tg.run").click()
    ok(at.run())
    at = wait_for_job(at, "targets.job")
    answer = [*at.success, *at.warning][0].value
    assert "EUR per month" in answer or "cannot be reached" in answer
    assert not any(wait in answer for wait in CUSTOMER_WAITS)
    shown = texts(at)
    assert "Confidence:" in shown and "Business case" in shown
    assert any("customer waits are not levers here" in e.label for e in at.expander)
    tables = [frame.value for frame in at.dataframe]
    assert any("Cost per month (EUR)" in table.columns for table in tables)
    job = cache.runner().get(job_key(at, "targets.job"))
    assert job is not None and isinstance(job.result, TargetReport)
    report = job.result
    assert report.combination is not None
    more = report.sureness(report.combination.evaluation).more_replications
    assert ("tg.more" in [b.key for b in at.button]) == (more is not None)
    _saved_and_reopened(at, isolated)
    if more is not None:  # the same question again with more replications: started, then
        at = go(at, "targets")  # stopped (a run of up to 50 replications is not for a test)
        assert at.button(key="tg.more").label == f"Run again with {more} replications"
        at.button(key="tg.more").click()
        ok(at.run())
        assert at.number_input(key="tg.reps").value == more
        again = cache.runner().get(job_key(at, "targets.job"))
        assert again is not None and again is not job
        again.stop.set()
        assert wait_for(again, 60) and again.cancelled


def _saved_and_reopened(at: AppTest, folder: Path) -> None:
    """The answer saved from the Targets page, listed and opened on the Saved page, and its
    workbook exported with the answer's figures."""
    at.text_input(key="tg.save_name").set_value(NAME)
    at.button(key="tg.save").click()
    ok(at.run())
    assert any(NAME in s.value for s in at.success)
    at = go(at, "saved")
    listed = at.dataframe[0].value
    assert "target answer" in set(listed["Kind"]) and NAME in set(listed["Name"])
    at.selectbox(key="saved.open").set_value(NAME)
    ok(at.run())
    shown = texts(at)
    assert "Target:" in shown and "Business case" in shown
    kept = SavedStore(folder / "saved.sqlite").load(NAME)
    book = pd.read_excel(io.BytesIO(export.comparison_bytes(kept, "xlsx")), sheet_name=None)
    assert "Answer" in book and "About" in book
    answer = kept.target["answer"]
    assert isinstance(answer, dict)
    mix = answer["combination"]
    assert book["Answer"]["cost"].iloc[0] == pytest.approx(mix["cost"])
