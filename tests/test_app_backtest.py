"""The backtest panel of the Model page (``streamlit.testing``): on the bundled sample's
process with e-signature contracts from day 365 (the wait for the signature 60% shorter),
the user picks that date, runs the backtest with the scenario derived from the log, reads
the per-KPI table, saves it and opens it on the Saved page, in English and in Japanese.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval, detected_change
from calibration.sample import truth
from calibration.sample.build import d365_table
from calibration.sample.generator import ChangedDelay, generate
from sim.saved import SavedStore
from tests.test_app_language import data_names, english, page_texts
from tests.test_app_pages import go, ok, open_app, texts, wait_for_job, with_model
from tests.test_regime import month, synthetic
from ui.app import state
from ui.app.backtest_view import verdict
from ui.app.shared import row_name

CHANGE = ChangedDelay("Contract Signed", day=365, scale=0.4)
CHANGE_DATE = (pd.Timestamp(truth.LOG_START) + pd.Timedelta(days=CHANGE.day)).date()
SAVED = "E-signature backtest"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppTest]:
    """The changed sample uploaded and calibrated, the backtest run on the injected date
    with the derived scenario (3 replications) and saved."""
    folder = tmp_path_factory.mktemp("backtest")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("L2C_SAVED_DB", str(folder / "saved.sqlite"))
        patch.setenv("L2C_SCENARIO_DIR", str(folder / "scenarios"))
        patch.setenv("L2C_APP_JOBS", "1")
        at = open_app()
        text = d365_table(generate(change=CHANGE)).to_csv(index=False)
        at.file_uploader(key="data.upload").upload("esign.csv", text.encode(), "text/csv")
        ok(at.run())
        at.button(key="data.calibrate").click()
        ok(at.run())
        at = go(at, "model")
        at.radio(key="model.bt_way").set_value("given")
        at.date_input(key="model.bt_date").set_value(CHANGE_DATE)
        at.number_input(key="model.bt_reps").set_value(3)
        at.button(key="model.bt_run").click()
        ok(at.run())
        yield wait_for_job(at, "model.backtest_job")


def test_the_panel_runs_the_backtest_and_shows_the_table(session: AppTest) -> None:
    """The derived scenario is the injected change; contract time really moved, and with
    the scenario its real after-value lies within the prediction."""
    at = session
    shown = texts(at)
    assert "Did the planner predict the changes in your own history?" in shown
    assert f"Change on {CHANGE_DATE:%Y-%m-%d} (the date picked)" in shown
    assert "Derived from the log" in shown
    table = next(d.value for d in at.dataframe if "Share of the real shift explained"
                 in d.value.columns)
    assert list(table.columns) == ["KPI", "Before (real)", "After (real)",
                                   "Predicted without the change",
                                   "Predicted with the scenario",
                                   "Share of the real shift explained", "Prediction"]
    contract = table[table["KPI"] == "Contract time"].iloc[0]
    assert contract["Prediction"] == "within", contract.to_dict()
    assert contract["Share of the real shift explained"].endswith(")")
    assert contract["Before (real)"].endswith("days")
    assert "activity: Contract Signed" in "\n".join(c.value for c in at.code)
    result = Backtest.from_dict(at.session_state["results"]["model.backtest"][1])
    missed = [row for row in result.rows if row.missed]
    assert missed and all(row.attribution is not None for row in missed)
    sources = next(e for e in at.expander if e.label == "Where the error comes from")
    shown_sources = "\n".join(m.value for m in sources.markdown)
    for row in missed:
        assert f"{row_name(row.kpi, row.label)}" in shown_sources.replace("\\", "")
    at.toggle(key="model.bt.every").set_value(True)
    ok(at.run())
    every = next(d.value for d in at.dataframe if "Prediction" in d.value.columns)
    assert len(every) > len(table) and "did not move" in set(every["Prediction"])


def test_a_saved_backtest_opens_on_the_saved_page_in_both_languages(
        session: AppTest) -> None:
    at = session
    at.text_input(key="model.bt_save_name").input(SAVED)
    at.button(key="model.bt_save").click()
    ok(at.run())
    assert f"Saved as '{SAVED}'" in texts(at)
    store = SavedStore(state.saved_db_path())
    saved = store.load(SAVED)
    assert saved.is_backtest and store.list()[0].is_backtest
    at = go(at, "saved")
    assert at.selectbox(key="saved.open").value == SAVED
    assert "backtest" in set(at.dataframe[0].value["Kind"])
    table = next(d.value for d in at.dataframe if "Prediction" in d.value.columns)
    assert "Contract time" in set(table["KPI"])
    assert {f"saved.export.{kind}" for kind in ("csv", "xlsx", "html")} <= {
        b.key for b in at.get("download_button")}
    assert any(c.value.startswith("Simulated from ") and "warm-up" in c.value
               for c in at.caption)
    at.sidebar.radio[0].set_value("ja")
    ok(at.run())
    table = next(d.value for d in at.dataframe if "予測の当否" in d.value.columns)
    assert "範囲内" in set(table["予測の当否"])
    for page in ("saved", "model"):
        at = go(at, page)
        left = english(page_texts(at), data_names(at))
        assert not left, f"English on the Japanese {page} page:\n" + "\n".join(sorted(left))
    assert any("変化の日付" in c.value for c in at.caption)
    assert any("日のウォームアップの後" in c.value for c in at.caption)
    assert any(e.label == "誤差の出どころ" for e in at.expander)
    derived = "\n".join(c.value for c in at.code)
    assert "以降のログから導出" in derived and "Derived from" not in derived, derived


def _row(kpi: str, material: bool, missed: bool) -> BacktestRow:
    spread = Interval(1.0, 0.9, 1.1)
    return BacktestRow(kpi, kpi, "days", 1.0, 2.0, spread, spread, 1.0, spread, None,
                       material, missed)


def test_the_headline_names_lead_to_cash_kpis_and_counts_the_rest() -> None:
    """Misses per activity or person (a log has dozens) are counted, not listed."""
    def said(*rows: BacktestRow) -> tuple[str, str]:
        return verdict(Backtest("log", "2024-12-31", "given", "s", 3, 1, "", list(rows)))

    assert said(_row("contract_time", False, False))[0] == "info"
    assert said(_row("contract_time", True, False)) == (
        "success", "Every KPI that really moved lands within the prediction with the scenario.")
    kind, text = said(_row("contract_time", True, True),
                      _row("waiting_time:Invoice Sent", True, True),
                      _row("waiting_time:Quote Created", True, True))
    assert kind == "warning" and text.startswith(
        "The scenario misses the real shift of Contract time. It also misses 2 KPIs per")
    assert said(_row("waiting_time:Invoice Sent", True, True))[1].startswith(
        "The scenario misses the real shift of 1 KPI per activity")


def test_choices_kept_from_other_data_start_again_from_the_defaults(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A date outside this log and a scenario file that is gone (kept from another log)
    would break the controls: they start again from their defaults."""
    monkeypatch.setenv("L2C_SAVED_DB", str(tmp_path / "saved.sqlite"))
    monkeypatch.setenv("L2C_SCENARIO_DIR", str(tmp_path / "scenarios"))
    at = go(with_model("model"), "data")  # the controls are not drawn: their shadows stay
    at.session_state["_kept.model.bt_date"] = date(2031, 1, 1)
    at.session_state["_kept.model.bt_scenario"] = str(tmp_path / "gone.yaml")
    at = go(at, "model")
    picked = at.date_input(key="model.bt_date").value
    assert isinstance(picked, date) and date(2024, 1, 1) <= picked <= date(2025, 7, 1), picked
    assert at.selectbox(key="model.bt_scenario").value == ""  # derived from the log


def test_by_default_the_backtest_takes_the_change_calibration_detected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log whose rework doubled from its tenth month (each case checked 1.5 times, then
    2): the panel offers the change calibration detects, picked by default, and run as it
    stands it backtests that change, with the rework derived from the log."""
    monkeypatch.setenv("L2C_SAVED_DB", str(tmp_path / "saved.sqlite"))
    monkeypatch.setenv("L2C_SCENARIO_DIR", str(tmp_path / "scenarios"))
    monkeypatch.setenv("L2C_APP_JOBS", "1")
    log = synthetic(months=18, per_month=100, rework={0: 0.5, 9: 1.0})
    found, _ = detected_change(log)
    assert abs((found - month(9)).days) <= 31  # as tests/test_regime.py finds it
    at = open_app()
    at.file_uploader(key="data.upload").upload(
        "rework.csv", log.events.to_csv(index=False).encode(), "text/csv")
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    at = go(at, "model")
    way = at.radio(key="model.bt_way")
    assert way.value == "detected"
    assert f"The one calibration detected ({found:%Y-%m-%d})" in way.options
    assert at.date_input(key="model.bt_date").disabled
    at.number_input(key="model.bt_reps").set_value(2)
    at.button(key="model.bt_run").click()
    ok(at.run())
    at = wait_for_job(at, "model.backtest_job")
    assert f"Change on {found:%Y-%m-%d} (detected by calibration)" in texts(at)
    result = Backtest.from_dict(at.session_state["results"]["model.backtest"][1])
    assert result.change_date == f"{found:%Y-%m-%d}" and result.chosen_by.startswith(
        "detected: 'Check' per case")
    assert "from: Check\n    to: Check" in result.scenario_text, result.scenario_text
    row = next(r for r in result.rows if r.kpi == "frequency:Check")
    assert row.material and row.explained is not None
