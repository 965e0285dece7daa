"""A saved target's answer as a file: CSV (the answer and the levers behind it), an Excel
workbook (Answer, Mix, Sensitivity, Business case and About sheets) or a self-contained HTML
page to mail. Figures are those saved; words come from ``ui.target_text``."""

from __future__ import annotations

import html

import pandas as pd

from calibration.writers import csv_bytes, xlsx_bytes
from sim.saved import SavedComparison
from ui import target_text as words
from ui.business_case_text import case_frame
from ui.report_format import run_text, when


def about_frame(saved: SavedComparison) -> pd.DataFrame:
    """What was asked, of which model, with which run: enough to ask it again."""
    asked = words.question(saved.target)
    rows = [("name", saved.name), ("created", saved.created), ("goal", words.goal_text(
        saved.target)), ("KPI", asked.get("kpi")), ("statistic", asked.get("stat")),
            ("change", asked.get("change")), ("model", saved.model_name),
            ("model fingerprint", saved.model_fingerprint), ("seed", saved.seed),
            ("replications", saved.replications), ("run", run_text(dict(saved.run))),
            ("cost in", saved.target.get("cost_unit")),
            ("not levers here", "; ".join(words.left_out(saved.target)))]
    return pd.DataFrame(rows, columns=["item", "value"])


def sheets(saved: SavedComparison, language: str = "en") -> dict[str, pd.DataFrame]:
    """The workbook's sheets, the answer first."""
    found = {"Answer": words.answer_frame(saved.target), "Mix": words.mix_frame(saved.target),
             "Sensitivity": words.sensitivity_frame(saved.target)}
    for title, case in words.cases(saved.target)[:1]:  # a mix's, or the first seek's
        name, frame = case_frame(case, language == "ja")
        found[name] = frame.assign(answer=title)
    found["About"] = about_frame(saved)
    return {name: frame for name, frame in found.items() if not frame.empty}


def csv_frame(saved: SavedComparison) -> pd.DataFrame:
    """One table: the answer's rows, then the mix's levers and the sensitivity table, told
    apart by ``table``."""
    parts = [frame.assign(table=name) for name, frame in (
        ("answer", words.answer_frame(saved.target)), ("mix", words.mix_frame(saved.target)),
        ("sensitivity", words.sensitivity_frame(saved.target))) if not frame.empty]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["table", *[c for c in frame.columns if c != "table"]]]


def html_page(saved: SavedComparison, language: str = "en") -> str:
    """A page that needs nothing else: the goal, the answer and its tables."""
    parts = [f"<h1>{html.escape(saved.name)}</h1>",
             f"<p><b>Target:</b> {html.escape(words.goal_text(saved.target))}</p>",
             f"<p>Created {html.escape(when(saved.created))}; model "
             f"{html.escape(saved.model_name)}; seed {saved.seed}, {saved.replications} "
             f"replications, {html.escape(run_text(dict(saved.run)))}.</p>"]
    for title, frame in sheets(saved, language).items():
        parts += [f"<h2>{html.escape(title)}</h2>", frame.to_html(index=False, na_rep="–",
                                                                 border=0)]
    style = ("body{font-family:sans-serif;max-width:70rem;margin:2rem auto}"
             "table{border-collapse:collapse}td,th{padding:.2rem .6rem;"
             "border-bottom:1px solid #ddd;text-align:left}")
    return (f"<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(saved.name)}</title><style>{style}</style></head><body>"
            + "".join(parts) + "</body></html>")


def target_bytes(saved: SavedComparison, kind: str, language: str = "en") -> bytes:
    """The export in memory (``kind``: csv, xlsx or html)."""
    if kind == "html":
        return html_page(saved, language).encode("utf-8")
    if kind == "csv":
        return csv_bytes(csv_frame(saved))
    return xlsx_bytes(sheets(saved, language))
