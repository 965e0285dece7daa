"""The fidelity report on screen (rich tables) and as one self-contained HTML page."""

from __future__ import annotations

import html
import math

from rich.console import Console
from rich.table import Table

from calibration.evaluate.kpis import KpiRow
from calibration.evaluate.report import EvaluationReport
from sim.kpis import catalogue
from ui import report_format as fmt

MISSING = "—"
SHOWN_BLOCKS = ("waiting_time", "processing_time", "frequency")  # per activity, on screen


def value_text(unit: str, value: float | None) -> str:
    """A KPI value with its unit, as every report of the planner writes it."""
    return fmt.value_text(unit, value, compact=True)


def number_text(value: float | None, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"


def shown_kpis(report: EvaluationReport) -> list[KpiRow]:
    """The rows for the screen: the process KPIs (medians and P90s) and, per activity,
    waiting, processing and frequency; the JSON and HTML have every KPI."""
    return [r for r in report.kpis
            if (found := catalogue.ref(r.kpi)).item is None
            or (found.kind in SHOWN_BLOCKS and not found.tail)]


def short_label(row: KpiRow) -> str:
    """The label without its definition: ``Sales cycle``, ``Sales cycle, P90``."""
    name = fmt.name_and_detail(row.kpi, row.label)[0]
    return f"{name}, P90" if catalogue.ref(row.kpi).tail else name


def _interval(row: KpiRow) -> str:
    if row.ci_low is None or row.ci_high is None:
        return MISSING
    return f"{value_text(row.unit, row.ci_low)} – {value_text(row.unit, row.ci_high)}"


def _error(row: KpiRow) -> str:
    return MISSING if row.error is None else f"{row.error:+.0%}"


def verdict(report: EvaluationReport) -> str:
    return (f"{report.reproduced} of {len(report.kpis)} KPIs reproduced (real value inside "
            f"the simulated 95% interval or within 10%); {report.inside} inside the interval.")


def print_report(console: Console, report: EvaluationReport) -> None:
    split = report.split
    console.print(f"[bold]Holdout fidelity of {report.log}[/]: learned from "
                  f"{split['train_cases']:,} cases begun before {str(split['date'])[:10]}, "
                  f"tested on {split['compared_real_cases']:,} cases begun after "
                  f"({report.reps} replications, seed {report.seed}).", highlight=False)
    console.print(f"[dim]{report.method}[/]", highlight=False)
    console.print(f"[bold]{verdict(report)}[/]", highlight=False)
    table = Table(title="KPIs: real test period against the simulated one",
                  title_justify="left")
    for column in ("KPI", "real", "simulated", "95% interval", "error", "inside"):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    for row in shown_kpis(report):
        mark = "[green]✓[/]" if row.inside else ("[yellow]~[/]" if row.reproduced
                                                  else "[red]✗[/]")
        table.add_row(short_label(row), value_text(row.unit, row.real),
                      value_text(row.unit, row.simulated), _interval(row), _error(row), mark)
    console.print(table)
    console.print("[dim]✓ inside the 95% interval, ~ within 10%, ✗ neither. Every KPI "
                  "(utilisation, funnel, P90 per activity) is in --format json or html.[/]")
    distances = Table(title="Log distances (Chapela-Campa et al. 2023) against the noise "
                            "floor", title_justify="left")
    for column in ("metric", "unit", "ours", "noise floor", "ratio"):
        distances.add_column(column, justify="left" if column == "metric" else "right")
    for d in report.distances:
        ratio = MISSING if d.ratio is None else f"{d.ratio:.2f}x"
        distances.add_row(d.label, d.unit, number_text(d.value), number_text(d.noise_floor),
                          ratio)
    console.print(distances)
    if report.findings:
        console.print("[bold]What makes up the error[/] (largest first):")
        for number, finding in enumerate(report.findings, start=1):
            console.print(f"  {number}. {finding.text}", highlight=False)
    else:
        console.print("No activity, transition or segment differs from the real test period "
                      "by more than its sampling noise.")
    for note in report.notes:
        console.print(f"[dim]{note}[/]", highlight=False)


STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left}
.ok{color:#1a7f37}.near{color:#9a6700}.miss{color:#cf222e}.muted{color:#666}
"""


def _cell(text: object, number: bool = False) -> str:
    return f'<td class="num">{html.escape(str(text))}</td>' if number else (
        f"<td>{html.escape(str(text))}</td>")


def html_report(report: EvaluationReport) -> str:
    """The whole report (every KPI) as one page with no external resources."""
    e = html.escape
    split = report.split
    kpi_rows = []
    for row in report.kpis:
        cls, mark = (("ok", "inside") if row.inside else ("near", "within 10%")
                     if row.reproduced else ("miss", "no"))
        kpi_rows.append(f"<tr><th>{e(row.label)}</th>"
                        + _cell(value_text(row.unit, row.real), True)
                        + _cell(value_text(row.unit, row.simulated), True)
                        + _cell(_interval(row), True) + _cell(_error(row), True)
                        + f'<td class="{cls}">{mark}</td></tr>')
    distance_rows = [
        f"<tr><th>{e(d.label)}</th>{_cell(d.unit)}{_cell(number_text(d.value), True)}"
        f"{_cell(number_text(d.noise_floor), True)}"
        f"{_cell(MISSING if d.ratio is None else f'{d.ratio:.2f}x', True)}</tr>"
        for d in report.distances]
    findings = "".join(f"<li>{e(f.text)}</li>" for f in report.findings) or (
        "<li>No activity, transition or segment differs by more than its sampling noise.</li>")
    notes = "".join(f'<p class="muted">{e(n)}</p>' for n in report.notes)
    versions = ", ".join(f"{k} {v}" for k, v in report.versions.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fidelity of {e(report.log)}</title>
<style>{STYLE}</style></head><body>
<h1>Holdout fidelity of {e(report.log)}</h1>
<p>Learned from {split['train_cases']:,} cases begun before {e(str(split['date'])[:10])};
tested on {split['compared_real_cases']:,} cases begun after ({report.reps} replications,
seed {report.seed}).</p>
<p class="muted">{e(report.method)}</p>
<p><strong>{e(verdict(report))}</strong></p>
<h2>What makes up the error</h2><ol>{findings}</ol>
<h2>Log distances against the noise floor</h2>
<table><thead><tr><th>metric</th><th>unit</th><th>ours</th><th>noise floor</th>
<th>ratio</th></tr></thead><tbody>{"".join(distance_rows)}</tbody></table>
<h2>KPIs</h2>
<table><thead><tr><th>KPI</th><th>real</th><th>simulated</th><th>95% interval</th>
<th>error</th><th>reproduced</th></tr></thead><tbody>{"".join(kpi_rows)}</tbody></table>
{notes}<p class="muted">{e(versions)}</p>
</body></html>
"""
