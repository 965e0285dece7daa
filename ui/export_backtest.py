"""A saved backtest as a file: CSV (every KPI's row), an Excel workbook (Backtest, Scenario
and About sheets) or the self-contained HTML page of ``l2c backtest --format html``, in
English or Japanese. Figures are those saved, as numbers a spreadsheet can use; in Japanese
the column and sheet names, KPI names, units and yes/no are said in Japanese, as in the
comparison exports (``ui.export_ja``)."""

from __future__ import annotations

import pandas as pd

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from calibration.writers import csv_bytes, xlsx_bytes
from sim.saved import SavedComparison
from ui import export_ja
from ui.attribution_text import attribution_text
from ui.render_backtest import html_report, window_text
from ui.scenario_words import name_ja, note_ja, yaml_ja

SHEETS_JA = {"Backtest": "バックテスト", "Scenario": "シナリオ",
             "About": "このバックテストについて"}
COLUMNS_JA = {
    "kpi": "KPI ID", "label": "KPI", "unit": "単位", "before": "変化前（実績）",
    "after": "変化後（実績）", "without": "予測（変化なし）",
    "with_scenario": "予測（シナリオあり）",
    "real_shift": "実際の変化量", "predicted_shift": "予測した変化量",
    "explained": "説明できた割合", "low": "95% 区間の下限", "high": "95% 区間の上限",
    "material": "実務上の変化", "missed": "外れ", "error_from": "誤差の出どころ",
    "item": "項目", "value": "値",
    "scenario": "シナリオ", "text": "内容"}
ABOUT_JA = {"backtest": "バックテスト", "created": "作成日時", "log": "ログ",
            "change date": "変化の日付", "change chosen": "変化の選び方", "scenario": "シナリオ",
            "derived from the log": "ログから導出", "replications": "反復回数",
            "seed": "乱数シード", "compared": "比較した案件", "note": "注記"}
SPREADS = ("without", "with_scenario", "predicted_shift", "explained")  # mean, low, high


def table(result: Backtest, japanese: bool = False) -> pd.DataFrame:
    """Every KPI's row: the real values, each prediction and share explained with its 95%
    interval bounds beside it, whether it moved and was missed, and where a missed one's
    error comes from."""
    return pd.DataFrame([_row(row) | {"error_from": attribution_text(row, japanese) or ""}
                         for row in result.rows])


def _row(row: BacktestRow) -> dict[str, object]:
    found: dict[str, object] = {"kpi": row.kpi, "label": row.label, "unit": row.unit,
                                "before": row.before, "after": row.after,
                                "real_shift": row.real_shift}
    for name in SPREADS:
        spread: Interval | None = getattr(row, name)
        found |= {name: None if spread is None else spread.mean,
                  f"{name} low": None if spread is None else spread.low,
                  f"{name} high": None if spread is None else spread.high}
    return found | {"material": row.material, "missed": row.missed}


def about(saved: SavedComparison, result: Backtest, japanese: bool) -> pd.DataFrame:
    """What was backtested, on which change, with which run: enough to run it again (in
    Japanese, how the change was chosen and a derived scenario's name in the app's words;
    what calibration detected is named in English, as its measures are)."""
    chosen = result.chosen_by
    if japanese:
        from ui.app.i18n import LABELS  # only a Japanese export needs the app's words

        how = LABELS["bt.how_given" if chosen == "given" else "bt.how_detected"][1]
        chosen = how if chosen == "given" else f"{how}: {chosen.removeprefix('detected: ')}"
    rows: list[tuple[str, object]] = [
        ("backtest", saved.name), ("created", saved.created), ("log", result.log),
        ("change date", result.change_date), ("change chosen", chosen),
        ("scenario", _scenario_name(result, japanese)),
        ("derived from the log", result.derived),
        ("replications", result.reps), ("seed", result.seed),
        ("compared", window_text(result, japanese)),
        *(("note", note_ja(note) if japanese else note) for note in result.notes)]
    return pd.DataFrame(rows, columns=["item", "value"])


def _scenario_name(result: Backtest, japanese: bool) -> str:
    """A derived scenario by the app's name for it in Japanese; any other as written."""
    if japanese and result.derived:
        from ui.app.i18n import LABELS

        return LABELS["bt.derived"][1]
    return name_ja(result.scenario) if japanese else result.scenario


def _japanese(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with Japanese column names, KPI names, units and yes/no."""
    said = frame.copy()
    if "label" in said:
        said["label"] = [export_ja.kpi_label(k, label)
                         for k, label in zip(said["kpi"], said["label"], strict=True)]
        said["unit"] = said["unit"].map(lambda u: export_ja.UNITS.get(u, u))
        for flag in ("material", "missed"):
            said[flag] = said[flag].map(export_ja.YES_NO)
    if "item" in said:
        said["item"] = said["item"].map(lambda i: ABOUT_JA.get(i, i))
        said["value"] = said["value"].map(
            lambda v: export_ja.YES_NO[v] if isinstance(v, bool) else v)
    return said.rename(columns=lambda c: " ".join(COLUMNS_JA.get(p, p) for p in c.split(" ")))


def backtest_bytes(saved: SavedComparison, kind: str, language: str = "en") -> bytes:
    """The export in memory (``kind``: csv, xlsx or html; ``language``: en or ja)."""
    result = Backtest.from_dict(saved.backtest)
    japanese = language == "ja"
    if kind == "html":
        return html_report(result, language).encode("utf-8")
    sheets = {"Backtest": table(result, japanese),
              "Scenario": pd.DataFrame([(_scenario_name(result, japanese),
                                         yaml_ja(result.scenario_text)[0] if japanese
                                         else result.scenario_text)],
                                       columns=["scenario", "text"]),
              "About": about(saved, result, japanese)}
    if japanese:
        sheets = {SHEETS_JA[name]: _japanese(frame) for name, frame in sheets.items()}
    if kind == "csv":
        return csv_bytes(next(iter(sheets.values())), bom=japanese)
    return xlsx_bytes(sheets)
