"""A saved target's answer as a file: CSV (the answer and the levers behind it), an Excel
workbook (Answer, Mix, Sensitivity, Business case and About sheets) or a self-contained HTML
page to mail. Figures are those saved; words come from ``ui.target_text``. Exported from a
Japanese page (``language`` "ja"), sheet names, column headers, the About sheet's items and
the answer's own words are Japanese; names from the data (levers, activities) stay as they
are."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from calibration.writers import csv_bytes, xlsx_bytes
from sim.saved import SavedComparison
from ui.business_case_text import case_frame
from ui.html_page import render
from ui.report_format import run_text, when
from ui.target_text import KeptTarget

SHEETS_JA = {"Answer": "回答", "Mix": "組み合わせ", "Sensitivity": "感度",
             "About": "この目標について"}
COLUMNS_JA = {
    "answer": "回答", "setting": "設定", "value": "値", "ci_low": "95% 区間の下限",
    "ci_high": "95% 区間の上限", "pct_change": "変化率", "reached": "目標に届くか",
    "confidence": "確信度", "more_replications": "確かめるのに要る反復回数", "cost": "コスト",
    "cost_unit": "コストの単位", "lever": "レバー", "id": "レバー ID", "label": "レバー",
    "step": "標準の変化量", "diff": "差", "table": "表", "item": "項目"}
WORDS_JA = {"yes, with confidence": "はい（確信あり）", "on average only": "平均でのみ",
            "no": "いいえ", "proposed mix": "提案する組み合わせ", "answer": "回答",
            "mix": "組み合わせ", "sensitivity": "感度"}
ABOUT_JA = {"name": "名前", "created": "作成日時", "goal": "目標", "statistic": "統計量",
            "change": "変化", "model": "モデル", "model fingerprint": "モデルの指紋",
            "seed": "乱数シード", "replications": "反復回数", "run": "実行",
            "cost in": "コストの単位", "not levers here": "ここでレバーにしないもの"}


def _japanese(frame: pd.DataFrame, items: dict[str, str] | None = None) -> pd.DataFrame:
    """Headers, and the answer's own words, in Japanese; numbers and data names kept."""
    said = frame.copy()
    for column in ("answer", "reached", "table"):
        if column in said:
            said[column] = said[column].map(lambda v: WORDS_JA.get(v, v))
    if items is not None and "item" in said:
        said["item"] = said["item"].map(lambda v: items.get(v, v))
    return said.rename(columns=COLUMNS_JA | ({"value": "値"} if items is not None else {}))


def about_frame(saved: SavedComparison, kept: KeptTarget) -> pd.DataFrame:
    """What was asked, of which model, with which run: enough to ask it again."""
    asked = kept.question
    rows = [("name", saved.name), ("created", saved.created), ("goal", kept.goal_text()),
            ("KPI", asked.get("kpi")), ("statistic", asked.get("stat")),
            ("change", asked.get("change")), ("model", saved.model_name),
            ("model fingerprint", saved.model_fingerprint), ("seed", saved.seed),
            ("replications", saved.replications), ("run", run_text(dict(saved.run))),
            ("cost in", saved.target.get("cost_unit")),
            ("not levers here", "; ".join(kept.left_out))]
    return pd.DataFrame(rows, columns=["item", "value"])


def sheets(saved: SavedComparison, language: str = "en") -> dict[str, pd.DataFrame]:
    """The workbook's sheets, the answer first."""
    japanese = language == "ja"
    kept = KeptTarget.of(saved.target)
    found = {"Answer": kept.answer_frame(), "Mix": kept.mix_frame(),
             "Sensitivity": kept.sensitivity_frame()}
    if japanese:
        found = {SHEETS_JA[name]: _japanese(frame) for name, frame in found.items()}
    for title, case in kept.cases()[:1]:  # a mix's, or the first seek's
        name, frame = case_frame(case, japanese)
        found[name] = (frame.assign(**{"回答": WORDS_JA.get(title, title)}) if japanese
                       else frame.assign(answer=title))
    about = about_frame(saved, kept)
    found[SHEETS_JA["About"] if japanese else "About"] = (
        _japanese(about, ABOUT_JA) if japanese else about)
    return {name: frame for name, frame in found.items() if not frame.empty}


def csv_frame(saved: SavedComparison, language: str = "en") -> pd.DataFrame:
    """One table: the answer's rows, then the mix's levers and the sensitivity table, told
    apart by ``table``."""
    kept = KeptTarget.of(saved.target)
    parts = [frame.assign(table=name) for name, frame in (
        ("answer", kept.answer_frame()), ("mix", kept.mix_frame()),
        ("sensitivity", kept.sensitivity_frame())) if not frame.empty]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[["table", *[c for c in frame.columns if c != "table"]]]
    return _japanese(frame) if language == "ja" else frame


def html_page(saved: SavedComparison, language: str = "en") -> str:
    """A page that needs nothing else: the goal, the answer and its tables (the template
    ``ui/templates/target.html.j2``, which escapes every value; pandas escapes the
    tables' cells)."""
    return str(render(
        "target.html.j2", language=language, name=saved.name,
        goal=KeptTarget.of(saved.target).goal_text(), created=when(saved.created),
        model=saved.model_name, seed=saved.seed, replications=saved.replications,
        run=run_text(dict(saved.run)),
        tables=[(title, Markup(frame.to_html(index=False, na_rep="–", border=0)))
                for title, frame in sheets(saved, language).items()]))


def target_bytes(saved: SavedComparison, kind: str, language: str = "en") -> bytes:
    """The export in memory (``kind``: csv, xlsx or html)."""
    if kind == "html":
        return html_page(saved, language).encode("utf-8")
    if kind == "csv":
        return csv_bytes(csv_frame(saved, language))
    return xlsx_bytes(sheets(saved, language))
