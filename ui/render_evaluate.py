"""The fidelity report on screen (rich tables) and as one self-contained HTML page."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from calibration.evaluate.kpis import KpiRow
from calibration.evaluate.report import DistanceRow, EvaluationReport
from sim.kpis import catalogue
from ui import report_format as fmt
from ui.html_page import render

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


def _past(d: DistanceRow) -> str:
    """The recent past's distance and its ratio to the noise floor, as the model's are shown."""
    if d.recent_past is None:
        return MISSING
    floor = d.noise_floor
    ratio = f" ({d.recent_past / floor:.2f}x)" if floor and math.isfinite(floor) else ""
    return number_text(d.recent_past) + ratio


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
    for column in ("metric", "unit", "ours", "noise floor", "ratio", "recent past"):
        distances.add_column(column, justify="left" if column == "metric" else "right")
    for d in report.distances:
        ratio = MISSING if d.ratio is None else f"{d.ratio:.2f}x"
        distances.add_row(d.label, d.unit, number_text(d.value), number_text(d.noise_floor),
                          ratio, _past(d))
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


def html_report(report: EvaluationReport) -> str:
    """The whole report (every KPI) as one page with no external resources (the template
    ``ui/templates/evaluate.html``, which escapes every value)."""
    split = report.split
    kpis = [{"label": row.label, "real": value_text(row.unit, row.real),
             "simulated": value_text(row.unit, row.simulated), "interval": _interval(row),
             "error": _error(row),
             "verdict": "ok" if row.inside else "near" if row.reproduced else "miss",
             "mark": "inside" if row.inside else "within 10%" if row.reproduced else "no"}
            for row in report.kpis]
    distances = [{"label": d.label, "unit": d.unit, "value": number_text(d.value),
                  "noise_floor": number_text(d.noise_floor),
                  "ratio": MISSING if d.ratio is None else f"{d.ratio:.2f}x",
                  "recent_past": _past(d)}
                 for d in report.distances]
    return str(render(
        "evaluate.html", log=report.log, train_cases=f"{split['train_cases']:,}",
        split_date=str(split["date"])[:10], compared_cases=f"{split['compared_real_cases']:,}",
        reps=report.reps, seed=report.seed, method=report.method, verdict=verdict(report),
        findings=[f.text for f in report.findings], distances=distances, kpis=kpis,
        notes=report.notes,
        versions=", ".join(f"{k} {v}" for k, v in report.versions.items())))
