"""A process that is not lead-to-cash (a queue: cases arrive and are served) gets a full
table of the generic KPIs, only the library scenarios that apply (the others left out with
what they miss) and Targets on a generic KPI, on the command line and in the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calibration.writers import write_log
from scenarios import LIBRARY, library
from sim.engine import simulate
from tests.engine_models import mmc_model
from tests.test_app_pages import (
    go,
    isolated,  # noqa: F401 (autouse: each test runs in it)
    ok,
    open_app,
    run_scenarios,
)
from ui.cli import app

runner = CliRunner()


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    path = tmp_path / "queue.json"
    mmc_model().save(path)
    return path


def test_the_library_scenarios_that_apply_run_and_the_others_say_what_they_miss(
        queue: Path) -> None:
    result = runner.invoke(app, ["compare", str(queue), *map(str, library()), "--reps", "2",
                                 "--cases", "200", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Automated invoicing is left out:" in text
    assert "no activity plays the role invoice_generated ('Invoice Generated')" in text
    assert "30% more leads vs Baseline" in text
    for kpi in ("Throughput", "Work in progress", "Case duration", "Cases started"):
        assert kpi in text
    assert ("Not measurable here, as no activity plays the roles they need (not mapped): Lead "
            "to opportunity (lead_created, opportunity_created)") in text
    assert "Sales cycle —" not in text  # no row of dashes for a role nobody plays


def test_your_own_scenario_that_does_not_apply_stops_with_what_it_misses(
        queue: Path, tmp_path: Path) -> None:
    mine = tmp_path / "invoicing.yaml"
    mine.write_text((LIBRARY / "automated_invoicing.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = runner.invoke(app, ["compare", str(queue), str(mine), "--reps", "2"])
    assert result.exit_code == 1
    assert "no activity plays the role invoice_generated" in " ".join(result.output.split())


def test_targets_aim_at_a_generic_kpi(queue: Path) -> None:
    result = runner.invoke(app, ["target", str(queue), "--kpi", "case_duration",
                                 "--change=-20%", "--reps", "2", "--cases", "200",
                                 "--jobs", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["kpi"] == "case_duration" and answer["tornado"]


def test_the_app_offers_what_applies_and_targets_a_generic_kpi(tmp_path: Path) -> None:
    run = simulate(mmc_model(), cases=400, start="2024-01-01", seed=3)
    log = write_log(run.log, tmp_path / "queue.csv")
    at = open_app()
    at.file_uploader(key="data.upload").upload("queue.csv", log.read_bytes(), "text/csv")
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    at = go(at, "compare")
    offered = at.multiselect(key="cmp.scenarios").options
    assert offered == ["30% more leads · library"]
    why = {e.value.partition(": ")[0]: e.value.partition(": ")[2] for e in at.text}
    assert why["Automated invoicing"] == (
        "no activity plays Invoice generated. If one of yours is that step, choose it on the "
        "Data page, under 'Lead-to-cash roles', and learn the model again.")
    assert why["One more approver"] == "the model has no pool 'Approvers'."
    assert "--role" not in " ".join(why.values())
    at = run_scenarios(at, [str(LIBRARY / "more_leads.yaml")], cases=200)
    shown = set(at.dataframe[0].value["KPI"])  # the generic KPIs, no row of dashes
    assert {"Throughput", "Case duration", "Cases started", "Work in progress"} <= shown
    assert not shown & {"Sales cycle", "Lead to opportunity", "Invoice lag", "Win rate"}
    line = next(c.value for c in at.caption if c.value.startswith("Not measurable here"))
    assert "Sales cycle" in line and "Invoice sent" in line and "Data page" in line
    at = go(at, "targets")
    assert set(at.selectbox(key="tg.kpi").options) == {"Throughput", "Case duration"}
    at.session_state["lang"] = "ja"
    said = [e.value for e in go(at, "compare").text]
    assert any(line.startswith("請求の自動化: 請求書作成 を担うアクティビティがありません。")
               for line in said), said
