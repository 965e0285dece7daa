"""The terminal table of KPIs by segment (``l2c compare --by``): the KPIs the changes move
most in some segment, each segment's baseline, scenario, difference and 95% interval; the
JSON output and the HTML report have every headline KPI."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.segments import SegmentResults, most_changed
from ui import report_format as fmt

SHOWN_KPIS = 3


def print_segments(console: Console, segments: SegmentResults) -> None:
    """One table per scenario: its most moved KPIs, segment by segment."""
    rows = segments.rows
    kpis = most_changed(rows, SHOWN_KPIS)
    for scenario in dict.fromkeys(r.scenario for r in rows):
        table = Table(title=f"[bold]{escape(scenario)}[/] by {escape(segments.by)} "
                            f"[dim]the {len(kpis)} KPIs moved most in some segment; all of "
                            "them with --format json or html[/]", title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False)
        for header in ("KPI", "Segment", "Baseline", "Scenario", "Difference",
                       "95% interval"):
            table.add_column(header, justify="left" if header in ("KPI", "Segment")
                             else "right")
        for kpi in kpis:
            name = fmt.name_and_detail(kpi, "")[0]
            for row in (r for r in rows if r.scenario == scenario and r.kpi == kpi):
                diff = fmt.diff_text(row.unit, row.diff)
                table.add_row(escape(name), escape(row.segment),
                              fmt.value_text(row.unit, row.baseline),
                              fmt.value_text(row.unit, row.value),
                              f"[bold]{diff}[/]" if row.clear_of_zero else diff,
                              fmt.ci_text(row.unit, row.ci_low, row.ci_high))
                name = ""
            table.add_section()
        console.print(table)
