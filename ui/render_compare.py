"""Terminal tables of a comparison (``l2c compare``, ``l2c saved show``): presentation only.

One table per scenario: each KPI's baseline and scenario value, the paired difference, the
relative change and its 95% interval; a material improvement (significant and beyond the
KPI's practical threshold) is green, a material worsening red.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.compare import Difference
from sim.kpis import catalogue
from sim.kpis.observed import unmapped_roles
from ui import report_format as fmt
from ui.render import print_role_hint, print_unmapped

EFFECT_STYLE = {fmt.BETTER: "green", fmt.WORSE: "red", fmt.CHANGED: "yellow"}
SIGNIFICANT_MARK = "●"
CAPTION = (f"{SIGNIFICANT_MARK} significant: the 95% interval of the paired difference "
           "excludes zero. Green: better, red: worse, where the difference is significant and "
           "larger than the KPI's practical threshold (the smaller of half a day and 1% for "
           "durations, of a quarter day and 5% for the invoice lag, 1 pp for rates, 1% "
           "otherwise; set with --threshold KPI=VALUE). "
           "Durations are medians; pp: percentage points.")


def _name(row: Difference, section: str) -> str:
    label, kpi = row.label, row.kpi
    if section:
        return escape(fmt.item_name(kpi, label))
    return escape(fmt.name_and_detail(kpi, label)[0])


def _missing_roles(row: Difference) -> tuple[str, ...]:
    """The roles no activity plays, which keep a KPI from being measured at all."""
    return unmapped_roles(row.note)


def _mark(row: Difference) -> str:
    if row.significant is None:
        return "[dim]?[/]" if row.value is not None else ""
    return SIGNIFICANT_MARK if row.significant else ""


def _tint(text: str, style: str | None) -> str:
    return f"[{style}]{text}[/]" if style and text else text


def _table(scenario: str, rows: list[Difference], baseline_name: str) -> Table:
    replications = max((r.replications for r in rows), default=0)
    table = Table(title=f"[bold]{escape(scenario)}[/] [dim]vs {escape(baseline_name)}, "
                        f"{replications} paired replications[/]",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("KPI", min_width=14)
    table.add_column(escape(baseline_name), justify="right")
    table.add_column("scenario", justify="right")
    table.add_column("difference", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    table.add_column("95% interval", justify="right")
    section = None
    for row in rows:
        kpi, unit = row.kpi, row.unit
        current = catalogue.ref(kpi).block
        if current != section:
            if current:
                table.add_section()
                known = catalogue.SECTION_BY_ID.get(current)
                title = known.title if known else current.replace("_", " ").capitalize()
                table.add_row(f"[bold]{escape(title)}[/]")
            section = current
        style = EFFECT_STYLE.get(fmt.effect(row))
        base = fmt.value_text(unit, row.baseline, compact=True)
        if row.value is None:
            note = escape(row.note or "not available")
            table.add_row(_name(row, current), base, fmt.MISSING, fmt.MISSING, fmt.MISSING,
                          f"[dim]{note}[/]", style="dim")
            continue
        mark = _mark(row)
        table.add_row(
            _name(row, current), base, fmt.value_text(unit, row.value, compact=True),
            _tint(fmt.diff_text(unit, row.diff, compact=True) + (f" {mark}" if mark
                                                                 else "  "), style),
            _tint(fmt.pct_text(row.pct_change), style),
            fmt.ci_text(unit, row.ci_low, row.ci_high, compact=True))
    return table


def print_differences(console: Console, rows: list[Difference],
                      baseline_name: str = "Baseline", headline_only: bool = True) -> None:
    """Differences as one table per scenario, headline KPIs
    first; with ``headline_only=False`` also waiting and processing times, utilisation, the
    funnel and the rest, block by block. Rows by group (``--by``) are left out."""
    chosen = [r for r in rows if r.group is None
              and (not headline_only or catalogue.is_headline(r.kpi))]
    unmapped = [r for r in chosen if r.value is None and _missing_roles(r)]
    shown = [r for r in chosen if r.value is not None or not _missing_roles(r)]
    if not shown:
        console.print("No KPI differences to show.")
    ordered = fmt.order_rows(shown)
    for scenario in dict.fromkeys(r.scenario for r in ordered):
        console.print(_table(scenario, [r for r in ordered if r.scenario == scenario],
                             baseline_name))
    print_unmapped(console, [(_name(r, ""), _missing_roles(r)) for r in unmapped])
    print_role_hint(console, [r.note for r in chosen])
    console.print(f"[dim]{escape(CAPTION)}[/]", highlight=False)
