"""Japanese units come from the one formatter, given the language, not from English text
with its words replaced: the backtest's table, the saved workbook's run length, and the
Model page's fitted durations and working hours."""

from __future__ import annotations

import pytest

from calibration.evaluate.backtest import BacktestRow, Interval
from sim.calendar import WeekCalendar
from sim.distributions import Gamma, ZeroInflated, adjusted
from sim.saved import SavedComparison
from ui import export_ja
from ui import report_format as fmt
from ui.app import i18n, named
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


def _rare_saturday() -> WeekCalendar:
    """Mon-Fri 08:00-18:00 in full, Saturday 09:00-11:00 now and then."""
    hours = tuple(tuple(range(8, 18)) if day < 5 else (9, 10) if day == 5 else ()
                  for day in range(7))
    weights = [0.0] * 168
    for day, open_hours in enumerate(hours):
        for hour in open_hours:
            weights[day * 24 + hour] = 0.05 if day == 5 else 1.0
    return WeekCalendar(hours=hours, weights=tuple(weights))


def test_a_fitted_duration_and_working_hours_are_worded_in_the_pages_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Keyed words, not English ones replaced: every part of a scenario's capped duration
    (the cap had no Japanese before) and a calendar's seldom worked hours."""
    duration = adjusted(ZeroInflated(p_zero=0.25, rest=Gamma(shape=2, scale=3600)),
                        shift=-1800, cap=4 * 3600)
    week = _rare_saturday()
    assert named.distribution(duration) == duration.describe() == (
        "25% zero, else gamma, median 1.7 h, P90 3.9 h, -30 min, at most 4.0 h")
    assert named.calendar(week) == week.describe() == (
        "Mon-Fri 08:00-18:00; now and then Sat 09:00-11:00")
    monkeypatch.setattr(i18n, "language", lambda: "ja")
    monkeypatch.setattr(named, "language", lambda: "ja")
    assert named.distribution(duration) == (
        "25% はゼロ、それ以外は ガンマ分布、中央値 1.7 時間、P90 3.9 時間、-30 分、上限 4.0 時間")
    assert named.calendar(week) == "月-金 08:00-18:00。時々 土 09:00-11:00"
