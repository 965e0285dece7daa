"""The "how far to trust the baseline" table: simulated baseline against the history."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sim.fidelity_row import FidelityRow
from sim.kpis import catalogue
from ui import report_format as fmt


def print_fidelity(console: Console, rows: list[FidelityRow]) -> None:
    """Headline KPIs (medians and P90s) and a one-line verdict over every KPI checked."""
    by_id = {r.kpi: r for r in rows}
    table = Table(title="How far to trust the baseline: simulated against the history",
                  title_justify="left")
    for column in ("KPI", "history", "simulated (95% interval)", "error", ""):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    for kpi in catalogue.HEADLINE:
        for key in (kpi, f"{kpi}.p90"):
            row = by_id.get(key)
            if row is None:
                continue
            unit = row.unit
            low, high = (fmt.value_text(unit, v, compact=True) for v in (row.ci_low, row.ci_high))
            interval = f"{fmt.value_text(unit, row.simulated, compact=True)} ({low}–{high})"
            error = row.error
            real = fmt.value_text(unit, row.real, compact=True)
            table.add_row(row.label, real, interval,
                          f"{error:+.0%}" if error is not None else "—",
                          "[green]✓[/]" if row.reproduced else "[red]✗[/]")
    console.print(table)
    reproduced = sum(bool(r.reproduced) for r in rows)
    misses = [fmt.name_and_detail(r.kpi, r.label)[0] for r in rows if not r.reproduced]
    console.print(f"{reproduced} of {len(rows)} KPIs reproduced (history inside the 95% "
                  f"interval or within 10%)."
                  + (f" Not reproduced: {', '.join(misses[:6])}"
                     + (" ..." if len(misses) > 6 else "") if misses else ""),
                  highlight=False)
