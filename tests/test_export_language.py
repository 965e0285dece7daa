"""Exports in the reader's language: ``l2c compare --format html|csv --lang ja`` and
``l2c saved export --lang ja`` write Japanese (the HTML report, the CSV and every sheet of
the workbook: headers, KPI names, units, verdicts), English stays the default, and no
English is left in the Japanese files beyond the data's own names."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.model import ProcessModel
from tests.test_app_language import english, report_texts
from ui.cli import app

SCENARIO = Path(__file__).parents[1] / "scenarios" / "automated_invoicing.yaml"
NAME = "Invoices"
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, sample_model: ProcessModel) -> Path:
    """The sample's model, a Japanese HTML report of one comparison, and the comparison
    saved (made once)."""
    here = tmp_path_factory.mktemp("language")
    sample_model.save(here / "model.json")
    done = runner.invoke(app, ["compare", str(here / "model.json"), str(SCENARIO), "--reps",
                               "2", "--days", "60", "--jobs", "1", "--format", "html",
                               "--lang", "ja", "-o", str(here / "report.html"), "--save", NAME,
                               "--db", str(here / "saved.sqlite")])
    assert done.exit_code == 0, done.output
    return here


def _names(model: ProcessModel) -> set[str]:
    """Words of the data's own names (activities, pools, attribute values and columns)."""
    names = {a for a in model.to_json().split('"') if a and a[0].isupper() and len(a) < 40}
    return {w.lower() for name in names for w in name.replace("/", " ").split()}


def _export(folder: Path, kind: str, *lang: str) -> Path:
    target = folder / f"export{'_'.join(lang)}.{kind}"
    done = runner.invoke(app, ["saved", "export", NAME, "-o", str(target), "--force",
                               "--db", str(folder / "saved.sqlite"), *lang])
    assert done.exit_code == 0, done.output
    return target


def _cells(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns] + [v for column in frame.columns
                                              for v in frame[column] if isinstance(v, str)]


def test_compare_writes_the_html_report_in_japanese(folder: Path,
                                                    sample_model: ProcessModel) -> None:
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and "概要" in page
    assert '"locale": "ja"' in page and '"Zoom in": "\\u62e1\\u5927"' in page  # Plotly's words
    left = english(report_texts(page), _names(sample_model) | {"what", "if", NAME.lower()})
    assert not left, "\n".join(sorted(left))


def test_csv_and_workbook_speak_japanese(folder: Path, sample_model: ProcessModel) -> None:
    allowed = _names(sample_model) | {"id", NAME.lower()}
    table = pd.read_csv(_export(folder, "csv", "--lang", "ja"))
    assert list(table.columns)[:3] == ["シナリオ", "KPI ID", "KPI"]
    assert "請求の自動化" in set(table["シナリオ"])
    assert "改善" in set(table["判定"])
    assert "日" in set(table["単位"])
    left = english(iter(_cells(table.drop(columns=["KPI ID"]))), allowed)
    assert not left, "\n".join(sorted(left))
    book = pd.read_excel(io.BytesIO(_export(folder, "xlsx", "--lang", "ja").read_bytes()),
                         sheet_name=None)
    assert list(book) == ["比較", "シナリオ", "グラフのデータ", "この比較について"]
    for sheet, frame in book.items():
        kept = frame.drop(columns=[c for c in ("KPI ID", "内容") if c in frame.columns])
        left = english(iter(_cells(kept)), allowed)  # 内容: the scenario file, YAML
        assert not left, f"{sheet}:\n" + "\n".join(sorted(left))


def test_english_stays_the_default(folder: Path) -> None:
    table = pd.read_csv(_export(folder, "csv"))
    assert list(table.columns)[:3] == ["scenario", "kpi", "label"]
    assert "Automated invoicing" in set(table["scenario"])
    assert "better" in set(table["effect"])
