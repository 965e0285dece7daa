"""Japanese units come from the one formatter, given the language, not from English text
with its words replaced: the backtest's table and the saved workbook's run length."""

from __future__ import annotations

from calibration.evaluate.backtest import BacktestRow, Interval
from sim.saved import SavedComparison
from ui import export_ja
from ui import report_format as fmt
from ui.export import about_frame
from ui.render_backtest import cells


def _cash_row() -> BacktestRow:
    return BacktestRow("cash_collected", "Cash collected", "money_per_month", 1000.0, 1200.0,
                       Interval(1000.0, 950.0, 1050.0), Interval(1180.0, 1150.0, 1210.0),
                       200.0, Interval(180.0, 150.0, 210.0), Interval(0.9, 0.75, 1.05),
                       True, False)


def test_a_backtest_row_reads_in_the_language_it_is_asked_in() -> None:
    english, japanese = cells(_cash_row()), cells(_cash_row(), "ja")
    per_month = fmt.unit_suffix("money_per_month", compact=True, lang="ja")
    assert english[0].endswith("/mo") and " to " in english[2]
    assert japanese[0].endswith(per_month) and fmt.WORDS["ja"]["to"] in japanese[2]
    assert not any("/mo" in cell or " to " in cell for cell in japanese)
    assert [c.replace(per_month, "/mo") for c in japanese[:2]] == english[:2]


def test_the_workbooks_run_length_is_written_in_its_language() -> None:
    saved = SavedComparison(name="q", model_name="m", model_fingerprint="f", model_json="{}",
                            scenarios=[], seed=1, replications=3,
                            run={"cases": 1200, "warmup_days": 30.0}, results=[])
    about = export_ja.about(about_frame(saved, "ja"))
    said = dict(zip(about["項目"], about["値"], strict=True))
    assert fmt.run_text(dict(saved.run), "ja") in said.values()
    assert "1,200 件の新規案件" in fmt.run_text(dict(saved.run), "ja")
    english = about_frame(saved)
    facts = dict(zip(english["item"], english["value"], strict=True))
    assert facts["run length"] == fmt.run_text(dict(saved.run))
