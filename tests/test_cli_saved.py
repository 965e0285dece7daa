"""``l2c saved``: list, show, export, delete and rename saved comparisons, with a throw-away
database (--db or $L2C_SAVED_DB), and the messages for names that are not saved."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sim.saved import SavedStore
from tests.test_report import sample_comparison
from ui import report_format as fmt
from ui.cli import app
from ui.commands import common
from ui.report import FRAME_COLUMNS

runner = CliRunner()
NAME = "Q3 review"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding one comparison built from a real study, saved as NAME."""
    path = tmp_path / "saved.sqlite"
    SavedStore(path).save(sample_comparison())
    return path


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so table cells are not wrapped."""
    monkeypatch.setattr(common.out, "_width", 160)


def saved(db: Path, *args: str, input: str | None = None):
    return runner.invoke(app, ["saved", *args, "--db", str(db)], input=input)


def test_list_shows_each_saved_comparison(db, wide):
    other = sample_comparison()
    other.name, other.seed = "Second look", 7
    SavedStore(db).save(other)
    result = saved(db, "list")
    assert result.exit_code == 0, result.output
    assert NAME in result.output and "Second look" in result.output
    assert "Automated invoicing" in result.output
    line = next(li for li in result.output.splitlines() if "Second" in li)
    cells = [c.strip() for c in line.strip("│ ").split("│")]
    assert cells[0] == "Second look" and cells[-2:] == ["2", "7"]  # reps, seed


def test_list_of_an_empty_database_says_so(tmp_path):
    result = saved(tmp_path / "empty.sqlite", "list")
    assert result.exit_code == 0 and "No saved comparisons" in result.output


def test_list_uses_the_environment_default(db, monkeypatch):
    monkeypatch.setenv("L2C_SAVED_DB", str(db))
    result = runner.invoke(app, ["saved", "list"])
    assert result.exit_code == 0 and NAME in result.output


def test_show_prints_the_kpi_table(db, wide):
    comparison = SavedStore(db).load(NAME)
    result = saved(db, "show", NAME)
    assert result.exit_code == 0, result.output
    text = result.output
    assert NAME in text and "Automated invoicing" in text and "95% interval" in text
    row = next(r for r in comparison.results if r.kpi == "invoice_lag")
    line = next(li for li in text.splitlines() if li.strip().startswith("Invoice lag"))
    assert fmt.value_text("days", row.baseline, compact=True) in line
    assert fmt.pct_text(row.pct_change) in line
    assert "Waiting time before each activity" not in text
    everything = saved(db, "show", NAME, "--all")
    assert "Waiting time before each activity" in everything.output


def test_unknown_names_exit_1_with_did_you_mean(db):
    for args in (["show", "Q3 reveiw"], ["export", "Q3 reveiw", "--format", "csv"],
                 ["delete", "Q3 reveiw", "--yes"], ["rename", "Q3 reveiw", "x"]):
        result = saved(db, *args)
        assert result.exit_code == 1, args
        assert "No saved comparison named 'Q3 reveiw'" in result.output
        assert "Did you mean 'Q3 review'?" in result.output
        assert "Traceback" not in result.output
    assert SavedStore(db).names() == [NAME]


def test_export_csv_to_the_default_name(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = saved(db, "export", NAME, "--format", "csv")
    assert result.exit_code == 0, result.output
    target = tmp_path / "q3-review.csv"
    assert str(target) in result.output.replace("\n", "")
    table = pd.read_csv(target)
    assert tuple(table.columns) == FRAME_COLUMNS
    assert len(table) == len(SavedStore(db).load(NAME).results)


def test_export_xlsx_and_html_to_a_named_file(db, tmp_path):
    book_path, page_path = tmp_path / "book.xlsx", tmp_path / "page.html"
    assert saved(db, "export", NAME, "--format", "xlsx", "-o", str(book_path)).exit_code == 0
    book = load_workbook(io.BytesIO(book_path.read_bytes()))
    assert book.sheetnames == ["Comparison", "Scenarios", "Charts data", "About"]
    result = saved(db, "export", NAME, "--format", "html", "--output", str(page_path))
    assert result.exit_code == 0, result.output
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"<h1>{NAME}</h1>" in page


def test_export_errors_are_plain_messages(db, tmp_path):
    missing = saved(db, "export", NAME, "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert missing.exit_code == 1 and "does not exist" in missing.output
    bad = saved(db, "export", NAME, "--format", "pdf")
    assert bad.exit_code == 2 and "pdf" in bad.output


def test_delete_asks_first_and_keeps_on_no(db):
    result = saved(db, "delete", NAME, input="n\n")
    assert result.exit_code == 1
    assert "Delete the saved comparison 'Q3 review'?" in result.output
    assert "Nothing deleted" in result.output
    assert SavedStore(db).names() == [NAME]
    result = saved(db, "delete", NAME, input="y\n")
    assert result.exit_code == 0 and "Deleted 'Q3 review'" in result.output
    assert SavedStore(db).names() == []


def test_delete_with_yes_does_not_ask(db):
    result = saved(db, "delete", NAME, "--yes")
    assert result.exit_code == 0 and "?" not in result.output
    assert SavedStore(db).names() == []


def test_rename(db):
    result = saved(db, "rename", NAME, "Q3 final")
    assert result.exit_code == 0 and "Renamed 'Q3 review' to 'Q3 final'" in result.output
    assert SavedStore(db).names() == ["Q3 final"]
    assert SavedStore(db).load("Q3 final").name == "Q3 final"
    assert saved(db, "show", "Q3 final").exit_code == 0
    other = sample_comparison()
    other.name = "Other"
    SavedStore(db).save(other)
    taken = saved(db, "rename", "Other", "Q3 final")
    assert taken.exit_code == 1 and "already saved" in taken.output
    assert sorted(SavedStore(db).names()) == ["Other", "Q3 final"]


def test_a_saved_backtest_is_shown_as_its_table_and_exported_in_both_languages(
        tmp_path, wide):
    """The app saves a backtest with the comparisons: 'show' prints its table as
    'l2c backtest' does; 'export' writes it as CSV (every KPI's figures as saved, the
    intervals' bounds beside them), as a workbook and as the HTML page, in Japanese too."""
    from calibration.evaluate.backtest import backtest
    from scenarios.load import parse_scenario
    from sim.saved import SavedComparison, SavedScenario
    from tests.test_backtest import CHANGE, FASTER, approvals

    result = backtest(approvals(), parse_scenario(FASTER), CHANGE, reps=2, n_jobs=1)
    path = tmp_path / "saved.sqlite"
    SavedStore(path).save(SavedComparison(
        name="Approvals backtest", model_name="m", model_fingerprint="f", model_json="{}",
        scenarios=[SavedScenario(result.scenario, "file", result.scenario_text)],
        seed=result.seed, replications=result.reps, run={},
        results=[], backtest=result.to_dict()))
    shown = saved(path, "show", "Approvals backtest")
    assert shown.exit_code == 0, shown.output
    assert f"change on {CHANGE} (given)" in shown.output
    assert "Backtest of 'Faster approval'" in shown.output and "Processing time" in shown.output
    work = next(r for r in result.rows if r.kpi == "processing_time:Approve")
    exported = saved(path, "export", "Approvals backtest", "-o", str(tmp_path / "b.csv"))
    assert exported.exit_code == 0, exported.output
    table = pd.read_csv(tmp_path / "b.csv").set_index("kpi")
    assert len(table) == len(result.rows)
    row = table.loc["processing_time:Approve"]
    assert (row["after"], row["with_scenario low"], row["explained high"], row["missed"]) == (
        pytest.approx(work.after), pytest.approx(work.with_scenario.low),
        pytest.approx(work.explained.high), work.missed)
    for lang in ("en", "ja"):
        for kind in ("xlsx", "html"):
            done = saved(path, "export", "Approvals backtest", "--lang", lang,
                         "-o", str(tmp_path / f"b_{lang}.{kind}"))
            assert done.exit_code == 0, done.output
    workbook = load_workbook(tmp_path / "b_ja.xlsx")
    assert workbook.sheetnames == ["バックテスト", "シナリオ", "このバックテストについて"]
    about = dict(workbook["このバックテストについて"].iter_rows(min_row=2, values_only=True))
    assert about["変化の日付"] == CHANGE and "日のウォームアップの後" in about["比較した案件"]
    names = [r[1] for r in workbook["バックテスト"].iter_rows(min_row=2, values_only=True)]
    assert "作業時間: Approve" in names, names
    assert load_workbook(tmp_path / "b_en.xlsx").sheetnames == ["Backtest", "Scenario",
                                                                 "About"]
    english = (tmp_path / "b_en.html").read_text(encoding="utf-8")
    assert "Backtest of 'Faster approval'" in english and escape(result.window) in english
    japanese = (tmp_path / "b_ja.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in japanese and "実際の変化のうち説明できた割合" in japanese
    assert "作業時間: Approve" in japanese and "日のウォームアップの後" in japanese
    assert "Processing time" not in japanese and "warm-up" not in japanese
    SavedStore(path).save(SavedComparison(  # the same figures, as if derived from the log
        name="Derived backtest", model_name="m", model_fingerprint="f", model_json="{}",
        scenarios=[], seed=result.seed, replications=result.reps, run={},
        results=[], backtest={**result.to_dict(), "derived": True}))
    for kind in ("xlsx", "html"):
        done = saved(path, "export", "Derived backtest", "--lang", "ja",
                     "-o", str(tmp_path / f"d_ja.{kind}"))
        assert done.exit_code == 0, done.output
    about = dict(load_workbook(tmp_path / "d_ja.xlsx")["このバックテストについて"].iter_rows(
        min_row=2, values_only=True))
    assert (about["シナリオ"], about["変化の選び方"]) == ("ログから導出", "指定した日付")
    japanese = (tmp_path / "d_ja.html").read_text(encoding="utf-8")
    assert "「ログから導出」のバックテスト" in japanese and "Faster approval" not in japanese
