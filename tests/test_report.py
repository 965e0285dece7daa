"""The comparison report and exports: one self-contained HTML file, escaped user text, the
KPI table with the right numbers and colours, a chart per member, CSV and Excel exports.

The comparison is built by really running a small study on the bundled sample's model
(calibrated once for the whole suite): a library scenario applied, both simulated with common
random numbers, once per session.
"""

from __future__ import annotations

import copy
import functools
import html
import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from rich.console import Console

from scenarios import apply_scenario, library, load_scenario
from sim.compare import Difference
from sim.errors import PlannerError
from sim.fidelity_row import FidelityRow
from sim.kpis import catalogue
from sim.saved import SavedComparison, SavedScenario
from sim.study import BASELINE, run_study
from tests import bundled
from ui import report_format as fmt
from ui.export import FORMATS, default_path, export_comparison, slugify
from ui.render_compare import print_differences
from ui.report import FRAME_COLUMNS, differences_frame, html_report

CHART_IDS = ("plot-cycle-times", "plot-funnel", "plot-cash", "plot-waiting", "plot-utilisation")
HOSTILE = "<script>alert(1)</script>"


@functools.cache
def _study_comparison() -> SavedComparison:
    model = bundled.sample_model()
    scenario_file = library()[0]
    scenario = load_scenario(scenario_file)
    changed, _ = apply_scenario(model, scenario)
    study = run_study(model, [(scenario.name, changed)], replications=2, seed=1, n_jobs=1,
                      run={"cases": 300})
    return SavedComparison(
        name="Q3 review", model_name=model.name,
        model_fingerprint=model.provenance.fingerprint, model_json=model.to_json(),
        scenarios=[SavedScenario(scenario.name, scenario_file.name, scenario.text)],
        seed=study.seed, replications=study.replications, run=study.run,
        results=list(study.differences), charts=study.charts,
        created="2025-03-01T10:00:00+00:00")


def sample_comparison() -> SavedComparison:
    """A fresh copy of the study-built comparison (tests may change it)."""
    return copy.deepcopy(_study_comparison())


@pytest.fixture(scope="module")
def comparison() -> SavedComparison:
    return sample_comparison()


@pytest.fixture(scope="module")
def report(comparison: SavedComparison) -> str:
    return html_report(comparison)


def _row(comparison: SavedComparison, kpi: str) -> Difference:
    return next(r for r in comparison.results if r.kpi == kpi and r.group is None)


def _without_scripts(text: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.DOTALL | re.IGNORECASE)


def _plot_data(text: str, div_id: str) -> str:
    """The Plotly call that draws the chart in ``div_id``."""
    start = text.index(f'id="{div_id}"')
    return text[start:text.index("</script>", start)]


def _renamed(comparison: SavedComparison, old: str, new: str) -> SavedComparison:
    """The comparison with scenario ``old`` called ``new`` everywhere."""
    changed = copy.deepcopy(comparison)
    changed.scenarios = [replace(s, name=new) if s.name == old else s
                         for s in changed.scenarios]
    changed.results = [replace(r, scenario=new) if r.scenario == old else r
                       for r in changed.results]
    changed.charts = {new if k == old else k: v for k, v in changed.charts.items()}
    return changed


# --- the study behind the fixture -----------------------------------------------------------

def test_fixture_is_a_real_study_with_a_baseline_and_one_scenario(comparison):
    assert list(comparison.charts) == [BASELINE, comparison.scenarios[0].name]
    assert {r.scenario for r in comparison.results} == {comparison.scenarios[0].name}
    assert {"sales_cycle", "order_to_cash", "win_rate"} <= {r.kpi for r in comparison.results}


# --- self-contained HTML --------------------------------------------------------------------

def test_report_is_one_self_contained_page(report):
    assert report.startswith("<!DOCTYPE html>") and report.rstrip().endswith("</html>")
    markup = _without_scripts(report)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)
    assert "<link" not in markup.lower() and "@import" not in markup
    assert "url(" not in markup  # no fonts or images fetched by the styles
    script_tags = re.findall(r"<script\b[^>]*>", report, re.I)
    assert script_tags and not any("src=" in tag.lower() for tag in script_tags)
    assert report.count("plotly.js v") == 1  # the library is inlined exactly once
    assert all(report.count(f'id="{chart}"') == 1 for chart in CHART_IDS)


def test_report_states_what_was_compared(report, comparison):
    assert f"<h1>{comparison.name}</h1>" in report
    assert "Created 1 March 2025, 10:00 UTC" in report
    assert html.escape(comparison.model_name) in report
    assert comparison.model_fingerprint in report
    assert "2 per member" in report and "300 new cases" in report
    assert "<dt>Seed</dt><dd>1</dd>" in report


def test_report_holds_the_scenario_file_escaped_in_a_pre(report, comparison):
    scenario = comparison.scenarios[0]
    assert f"<pre>{html.escape(scenario.text)}</pre>" in report
    description = " ".join(str(load_scenario(library()[0]).description).split())
    assert html.escape(description) in " ".join(report.split())


def test_report_shows_each_kpi_with_its_numbers(report, comparison):
    for kpi in ("sales_cycle", "invoice_lag", "win_rate", "revenue_won"):
        row = _row(comparison, kpi)
        name = fmt.split_label(row.label)[0]
        assert f">{html.escape(name)}<" in report
        unit = row.unit
        cells = [fmt.value_text(unit, row.baseline), fmt.value_text(unit, row.value),
                 fmt.diff_text(unit, row.diff), fmt.pct_text(row.pct_change),
                 fmt.ci_text(unit, row.ci_low, row.ci_high)]
        for cell in cells:
            assert f">{html.escape(cell)}<" in report, (kpi, cell)


def test_headline_kpis_come_first_in_reading_order(report):
    positions = [report.find(f">{name}<") for name in
                 ("Lead to opportunity", "Sales cycle", "Quote approval", "Order to cash",
                  "Lead to cash", "Win rate", "Cash collected per month")]
    assert -1 not in positions and positions == sorted(positions)


def test_significant_changes_are_coloured_by_the_kpis_good_direction(comparison):
    changed = copy.deepcopy(comparison)
    moved = {"sales_cycle": {"diff": -2.0, "ci_low": -3.0, "ci_high": -1.0, "pct_change": -0.1},
             "win_rate": {"diff": 0.05, "ci_low": -3.0, "ci_high": -1.0, "pct_change": -0.1},
             "wip": {"diff": 4.0, "ci_low": 1.0, "ci_high": 7.0, "pct_change": 0.1}}
    changed.results = [replace(r, significant=True, **moved[r.kpi]) if r.kpi in moved else r
                       for r in changed.results]
    page = html_report(changed)

    def cell_class(kpi: str) -> str:
        row = _row(changed, kpi)
        text = html.escape(fmt.diff_text(row.unit, row.diff))
        found = re.search(rf'<td class="num (\w*)">{re.escape(text)}</td>', page)
        assert found, kpi
        return found.group(1)

    assert cell_class("sales_cycle") == "better"  # shorter is better
    assert cell_class("wip") == "worse"  # more work in progress is worse
    assert cell_class("win_rate") == "better"  # a higher win rate is better
    unchanged = _row(changed, "lead_to_opportunity")
    if not unchanged.significant:
        assert cell_class("lead_to_opportunity") == ""


def test_improvement_direction_per_kpi():
    lower = ("sales_cycle", "lead_to_cash", "payment_days", "wip", "rework_rate",
             "quote_revisions", "waiting_time:Quote Approved", "sales_cycle.p90")
    higher = ("win_rate", "throughput", "revenue_won", "cash_collected",
              "funnel:quote_approved")
    assert all(catalogue.direction(k) == -1 for k in lower)
    assert all(catalogue.direction(k) == 1 for k in higher)
    assert catalogue.direction("funnel:opportunity_lost") == -1
    assert catalogue.direction("utilisation:Ann") == 0
    row = Difference.from_dict({"kpi": "payment_days", "unit": "days", "diff": 3.0,
                                "significant": True})
    assert fmt.effect(row) == fmt.WORSE
    assert fmt.effect(replace(row, diff=-3.0)) == fmt.BETTER
    assert fmt.effect(replace(row, significant=False)) == fmt.SAME
    assert fmt.effect(replace(row, significant=None)) == ""


def test_numbers_read_as_days_shares_and_money():
    assert fmt.value_text("days", 23.6672) == "23.7 days"
    assert fmt.value_text("share", 0.35833) == "35.8%"
    assert fmt.value_text("money_per_month", 1234567.8) == "1,234,568 / month"
    assert fmt.diff_text("share", 0.021) == "+2.1 pp"
    assert fmt.diff_text("days", -3.06) == "−3.1 days"
    assert fmt.diff_text("money_per_month", -45767.8) == "−45,768 / month"
    assert fmt.pct_text(-1.0) == "−100.0%" and fmt.pct_text(0.1315) == "+13.2%"
    assert fmt.pct_text(-0.00001) == "0.0%"
    assert fmt.ci_text("days", -5.86, 0.06) == "−5.9 to +0.1 days"
    assert fmt.value_text("days", None) == fmt.MISSING == fmt.pct_text(float("nan"))


def test_every_chart_draws_every_member(report, comparison):
    for chart in CHART_IDS:
        data = _plot_data(report, chart)
        for member in comparison.charts:
            assert f'"name":"{member}"' in data, (chart, member)


def test_hostile_text_is_escaped_everywhere(comparison):
    old = comparison.scenarios[0].name
    hostile = _renamed(comparison, old, HOSTILE)
    hostile.scenarios[0] = replace(hostile.scenarios[0],
                                   text=f"name: x\ndescription: {HOSTILE}\n")
    hostile.name = f"Review {HOSTILE}"
    hostile.model_name = '<img src=x onerror="alert(2)">'
    index, row = next((i, r) for i, r in enumerate(hostile.results)
                      if r.kpi.startswith("waiting_time:"))
    hostile.results[index] = replace(row, kpi=f"waiting_time:{HOSTILE}")
    page = html_report(hostile, fidelity=[FidelityRow("sales_cycle", HOSTILE, "days", 1.0, 1.0,
                                                      0.9, 1.1, 0.0, True)])
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape(HOSTILE) in page  # shown, as text
    assert f"<pre>{html.escape(hostile.scenarios[0].text)}</pre>" in page
    assert '"name":"\\u003cscript' not in page  # chart labels are escaped before Plotly too


def test_fidelity_section_only_when_given(report, comparison):
    assert "How far to trust the baseline" not in report
    rows = [FidelityRow("sales_cycle", "Sales cycle (opportunity created to won)", "days",
                        23.46, 23.13, 22.37, 23.9, -0.014, True),
            FidelityRow("sales_cycle.p90", "Sales cycle (opportunity created to won) (P90)",
                        "days", 38.7, 30.0, 29.0, 31.0, -0.22, False),
            FidelityRow("win_rate", "Win rate (won / closed)", "share", 0.343, 0.349, 0.329,
                        0.369, 0.018, True)]
    page = html_report(comparison, fidelity=rows)
    trust = page[page.index('id="trust"'):]
    assert "<strong>2 of 3</strong>" in trust
    assert ">Sales cycle, P90<" in trust and ">34.3%<" in trust and ">−22.0%<" in trust
    assert '<td class="sig worse">No</td>' in trust


# --- the table as rows, and the exports ------------------------------------------------------

def test_differences_frame_has_stable_columns_and_headline_first(comparison):
    frame = differences_frame(comparison)
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert len(frame) == len(comparison.results)
    head = frame[frame["headline"]]
    assert list(head["kpi"]) == [k for k in catalogue.HEADLINE if k in set(head["kpi"])]
    assert frame.index[frame["headline"]].max() < frame.index[~frame["headline"]].min()
    assert frame["diff"].dtype == float
    row = frame.set_index("kpi").loc["invoice_lag"]
    assert row["effect"] == fmt.effect(_row(comparison, "invoice_lag"))


def test_csv_export_parses_with_pandas(comparison):
    data = export_comparison(comparison, "csv")
    assert isinstance(data, bytes)
    table = pd.read_csv(io.BytesIO(data))
    assert tuple(table.columns) == FRAME_COLUMNS
    assert len(table) == len(comparison.results)
    sales = table.set_index("kpi").loc["sales_cycle"]
    assert sales["baseline"] == pytest.approx(_row(comparison, "sales_cycle").baseline)


def test_xlsx_export_has_the_four_sheets(comparison, tmp_path):
    written = export_comparison(comparison, "xlsx", tmp_path / "review.xlsx")
    assert written == tmp_path / "review.xlsx" and written.is_file()
    book = load_workbook(written)
    assert book.sheetnames == ["Comparison", "Scenarios", "Charts data", "About"]
    header = [c.value for c in book["Comparison"][1]]
    assert tuple(header) == FRAME_COLUMNS
    assert book["Comparison"].max_row == len(comparison.results) + 1
    scenarios = list(book["Scenarios"].values)
    assert scenarios[0] == ("name", "source", "text")
    assert scenarios[1][2] == comparison.scenarios[0].text
    charts = list(book["Charts data"].values)
    assert charts[0] == ("member", "chart", "item", "quantile", "value")
    assert {r[0] for r in charts[1:]} == set(comparison.charts)
    weekly = {r[1] for r in charts[1:] if r[1].startswith("over_time:")}
    assert {r[1] for r in charts[1:]} - weekly == {
        "cycle_times", "funnel", "waiting", "cash", "cash_ci_low", "cash_ci_high",
        "utilisation", "utilisation_ci_low", "utilisation_ci_high"}
    assert {"over_time:wip", "over_time:wip_ci_low", "over_time:wip_ci_high"} <= weekly
    about = dict(list(book["About"].values)[1:])
    assert about["seed"] == 1 and about["replications"] == 2
    assert about["model fingerprint"] == comparison.model_fingerprint


def test_formula_like_text_is_neutralised(comparison):
    formula = '=HYPERLINK("http://evil.example","click")'
    changed = _renamed(comparison, comparison.scenarios[0].name, formula)
    table = pd.read_csv(io.BytesIO(export_comparison(changed, "csv")))
    assert set(table["scenario"]) == {"'" + formula}
    book = load_workbook(io.BytesIO(export_comparison(changed, "xlsx")))
    for sheet in ("Comparison", "Scenarios"):
        cell = book[sheet]["A2"]
        assert cell.data_type == "s" and cell.value == "'" + formula


def test_html_export_is_the_report(comparison, tmp_path):
    data = export_comparison(comparison, "html")
    assert data.decode("utf-8") == html_report(comparison)
    target = export_comparison(comparison, "html", tmp_path / "r.html")
    assert Path(target).read_bytes() == data


def test_export_refuses_unknown_formats_and_missing_folders(comparison, tmp_path):
    with pytest.raises(PlannerError, match="Did you mean 'xlsx'"):
        export_comparison(comparison, "xls")
    with pytest.raises(PlannerError, match="does not exist"):
        export_comparison(comparison, "csv", tmp_path / "nowhere" / "x.csv")
    assert FORMATS == ("csv", "xlsx", "html")


def test_default_export_name_is_the_slugified_comparison_name(comparison, tmp_path):
    assert slugify("Q3: faster approval!") == "q3-faster-approval"
    assert slugify("見積承認 2024") == "見積承認-2024"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("???") == "comparison"
    assert default_path(comparison, "xlsx", tmp_path) == tmp_path / "q3-review.xlsx"


# --- the terminal table ---------------------------------------------------------------------

def _printed(rows: list[Difference], baseline_name: str = "Baseline",
             headline_only: bool = True) -> str:
    console = Console(record=True, width=150, color_system=None)
    print_differences(console, rows, baseline_name, headline_only)
    return console.export_text()


def test_terminal_table_shows_each_scenarios_headline_kpis(comparison):
    text = _printed(comparison.results)
    row = _row(comparison, "invoice_lag")
    assert comparison.scenarios[0].name in text and "Invoice lag" in text
    assert fmt.diff_text("days", row.diff, compact=True) in text
    assert fmt.pct_text(row.pct_change) in text
    assert "Waiting time before each activity" not in text
    everything = _printed(comparison.results, headline_only=False, baseline_name="As is")
    assert "Waiting time before each activity" in everything and "As is" in everything


def test_terminal_table_marks_significance_and_escapes_markup(comparison):
    sales = {"diff": -2.0, "ci_low": -3.0, "ci_high": -1.0, "significant": True}
    rows = [replace(r, scenario="[bold]x[/bold]", **(sales if r.kpi == "sales_cycle" else {}))
            for r in comparison.results]
    text = _printed(rows)
    assert "[bold]x[/bold]" in text
    line = next(li for li in text.splitlines() if li.strip().startswith("Sales cycle"))
    assert "−2.0 d ●" in line


def test_a_kpi_no_activity_can_measure_is_one_line_not_a_row(comparison):
    """A log that is not lead-to-cash: its unmeasurable KPIs are named once, with the roles
    that would measure them, in the report's language."""
    changed = copy.deepcopy(comparison)
    changed.results = [
        r if r.kpi != "quote_approval" else replace(
            r, value=None, baseline=None, diff=None, ci_low=None, ci_high=None,
            note="not available: no 'Quote Approved' activity in this log (role "
                 "quote_approved not mapped to an activity)")
        for r in changed.results]
    english = _without_scripts(html_report(changed))
    assert ("Not measurable here, as no activity plays the roles they need: Quote approval. "
            "Map activities to the roles Quote approved to measure them.") in english
    assert ">Quote approval<" not in english  # no row of dashes for it
    japanese = _without_scripts(html_report(changed, language="ja"))
    assert "ここでは計測できません: 見積承認時間。" in japanese, japanese[:200]
    assert "見積承認 の役割" in japanese
