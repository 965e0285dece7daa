"""KPIs by segment in the HTML report (``l2c compare --by``, and a saved comparison's
export): on a chain of fixed delays whose quotes get faster for Web leads only, Web's lead
to cash falls from exactly 20 days to 16 and Event's stays 20, in the chart, the table, the
JSON and the report read back from the saved comparison."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.model import CaseAttributes
from tests.test_target import chain
from ui.cli import app

runner = CliRunner()
WEB_ONLY = """name: Faster quotes for Web leads
changes:
  - delay: {activity: Quote Created, scale: 0.5, segment: {lead_source: Web}}
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    model = chain().model_copy(update={"attributes": CaseAttributes(
        columns=("lead_source",), rows=(("Web",), ("Event",)))})
    scenario = tmp_path / "web.yaml"
    scenario.write_text(WEB_ONLY)
    return model.save(tmp_path / "model.json"), scenario


def _compare(files: tuple[Path, Path], *options: str) -> str:
    model, scenario = files
    result = runner.invoke(app, ["compare", str(model), str(scenario), "--reps", "2",
                                 "--cases", "40", "--jobs", "1", "--by", "lead_source",
                                 *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_report_charts_and_tables_each_segment(files, tmp_path) -> None:
    db = tmp_path / "saved.sqlite"
    report = tmp_path / "report.html"
    _compare(files, "--format", "html", "-o", str(report), "--save", "Web quotes",
             "--db", str(db))
    page = report.read_text(encoding="utf-8")
    assert '<section id="segments"><h2>KPIs by segment</h2>' in page
    assert '<a href="#segments">KPIs by segment</a>' in page
    assert 'id="plot-segment-0"' in page, "a chart of the KPI moved most"
    section = page.split('<section id="segments">')[1]
    row = re.search(r'<tr><th scope="row"[^>]*>Lead to cash</th>.*?</tr>', section, flags=re.S)
    assert row, section[:2000]
    heads = re.findall(r'<th scope="col">(.*?)</th>', section.split("<tbody>")[0])
    cells = dict(zip(heads[1:], re.findall(r'<td class="num">(.*?)</td>', row.group(0)),
                     strict=True))
    assert cells["Web"].startswith("20.0 days → 16.0 days") and "<b>−4.0 days" in cells["Web"]
    assert cells["Event"].startswith("20.0 days → 20.0 days") and "<b>" not in cells["Event"]

    exported = tmp_path / "export.html"
    result = runner.invoke(app, ["saved", "export", "Web quotes", "-o", str(exported),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    again = exported.read_text(encoding="utf-8").split('<section id="segments">')[1]
    assert row.group(0) in again
    result = runner.invoke(app, ["saved", "export", "Web quotes", "-o",
                                 str(tmp_path / "ja.html"), "--db", str(db), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "セグメント別の KPI" in (tmp_path / "ja.html").read_text(encoding="utf-8")


def test_json_and_the_table_carry_the_segments(files) -> None:
    data = json.loads(_compare(files, "--format", "json"))
    rows = {(r["segment"], r["kpi"]): r for r in data["segments"]["rows"]}
    assert data["segments"]["by"] == "lead_source"
    assert rows[("Web", "lead_to_cash")]["diff"] == pytest.approx(-4.0)
    assert rows[("Event", "lead_to_cash")]["diff"] == pytest.approx(0.0, abs=1e-9)
    table = _compare(files)
    assert "Faster quotes for Web leads by lead_source" in table
    assert re.search(r"Web\s+20\.0 days\s+16\.0 days\s+−4\.0 days", table), table


def test_a_misspelt_attribute_stops_before_the_run(files) -> None:
    model, scenario = files
    result = runner.invoke(app, ["compare", str(model), str(scenario), "--reps", "2",
                                 "--cases", "40", "--by", "lead_sorce"])
    assert result.exit_code == 1 and "Did you mean 'lead_source'?" in result.output
    assert "Traceback" not in result.output
