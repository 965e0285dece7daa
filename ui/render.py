"""Turning summaries into terminal tables; no computation, only presentation."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.kpi_roles import Detection
from sim.kpis import catalogue
from sim.kpis.catalogue import Section
from sim.kpis.observed import UNMAPPED, unmapped_roles
from sim.kpis.result import KpiResult
from sim.log_meta import SimulatedRun
from ui import report_format as fmt
from ui.summary_part import part

LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "note": "dim"}


def print_findings(console: Console, findings: list[dict[str, object]]) -> None:
    """The validation report, errors first."""
    order = {"error": 0, "warning": 1, "note": 2}
    for finding in sorted(findings, key=lambda f: order[str(f["level"])]):
        level = str(finding["level"])
        console.print(f"[{LEVEL_STYLE[level]}]{level.upper():8}[/] {finding['message']}",
                      highlight=False)


def print_summary(console: Console, summary: dict[str, object]) -> None:
    """What ``l2c inspect`` shows as a table."""
    console.rule(f"[bold]{summary['file']}")
    if summary["events"]:
        period = summary["period"]
        assert isinstance(period, dict)
        overview = Table(show_header=False, box=None)
        delimiter = f"delimiter {summary['delimiter']!r}" if summary["delimiter"] else ""
        for label, value in (
            ("cases", f"{summary['cases']:,}"), ("events", f"{summary['events']:,}"),
            ("period", f"{period['start'][:16]} → {period['end'][:16]}"),
            ("timestamps", summary["timestamps"]),
            ("time zone", summary["timezone"] or "as written"),
            ("open cases", f"{summary['open_cases']:,}"), ("resources", summary["resources"]),
            ("format", f"{summary['format']} {summary['encoding'] or ''} {delimiter}"),
        ):
            overview.add_row(f"[bold]{label}", str(value))
        console.print(overview)
        console.print(_mapping_table(part(summary, "mapping", dict)))
        console.print(_activity_table(part(summary, "activities", dict)))
        console.print(_variant_table(part(summary, "top_variants", list)))
        console.print(_attribute_table(part(summary, "case_attributes", dict)))
    print_findings(console, part(summary, "findings", list))


def print_roles(console: Console, found: Detection) -> None:
    """Which activity plays which lead-to-cash role, how sure that is, and what is missing."""
    table = Table(title="Lead-to-cash roles", title_justify="left")
    for column in ("role", "activity", "match"):
        table.add_column(column)
    for match in found.matches:
        how = ("by name" if match.confidence == 1.0
               else f"{match.confidence:.0%} like '{match.like}'")
        table.add_row(match.role, escape(match.activity), escape(how),
                      style=None if match.confidence == 1.0 else "yellow")
    console.print(table)
    missing = found.missing()
    if missing:
        console.print(f"[dim]No activity plays {', '.join(missing)}: the KPIs that need them "
                      "are not available. Map a role with --role ROLE=ACTIVITY.[/]",
                      highlight=False)


def _mapping_table(mapping: dict[str, str]) -> Table:
    table = Table(title="Columns recognised", title_justify="left")
    table.add_column("role")
    table.add_column("column in the file")
    for role, column in mapping.items():
        table.add_row(role, str(column))
    return table


def _activity_table(activities: dict[str, int]) -> Table:
    table = Table(title="Activities", title_justify="left")
    table.add_column("activity")
    table.add_column("events", justify="right")
    for name, count in activities.items():
        table.add_row(name, f"{count:,}")
    return table


def _variant_table(variants: list[dict[str, Any]]) -> Table:
    table = Table(title="Top variants", title_justify="left")
    table.add_column("cases", justify="right")
    table.add_column("share", justify="right")
    table.add_column("activities")
    for variant in variants:
        table.add_row(f"{variant['cases']:,}", f"{variant['share']:.1%}",
                      " → ".join(variant["activities"]))
    return table


def _attribute_table(attributes: dict[str, dict[str, Any]]) -> Table:
    table = Table(title="Case attributes", title_justify="left")
    table.add_column("attribute")
    table.add_column("distinct", justify="right")
    table.add_column("missing", justify="right")
    table.add_column("examples")
    for name, info in attributes.items():
        table.add_row(name, str(info["distinct"]), str(info["missing"]),
                      ", ".join(info["examples"]))
    return table


# --- KPI tables (``l2c kpis``) --------------------------------------------------------------

MAX_GROUP_COLUMNS = 6  # more groups than this (or than fit the terminal): one block per group
GROUP_COLUMN_WIDTH = 13  # a value like "1,981,454/mo" plus padding


KPI_SECTIONS: tuple[Section, ...] = catalogue.SECTIONS


def _section_of(result: KpiResult) -> Section:
    return catalogue.section_of(result.kind)


def _item_name(result: KpiResult, section: Section, short: bool = False) -> str:
    """The row name (markup): a headline KPI's name with what it spans dimmed (left out
    when ``short``), else the activity, resource or stage."""
    if section.id and result.item_name is not None:
        return escape(result.item_name)
    name, detail = fmt.name_and_detail(result.id, result.label)
    if short or not detail or section.id:  # a block unavailable as a whole: its name only
        return escape(name)
    return f"{escape(name)} [dim]({escape(detail)})[/]"


def _sections(results: list[KpiResult]) -> list[tuple[Section, list[KpiResult]]]:
    """The results of each section, sections in table order, results in their own order."""
    return [(section, [r for r in results if _section_of(r) is section])
            for section in KPI_SECTIONS
            if any(_section_of(r) is section for r in results)]


def _kpi_table(section: Section, results: list[KpiResult]) -> Table:
    """Name, value, n, P90 (when some KPI has one) and note (when some KPI has one)."""
    with_p90 = any(r.p90 is not None and math.isfinite(r.p90) for r in results)
    with_note = any(r.note for r in results)
    table = Table(title=f"[bold]{section.table_title}", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column(section.item, ratio=3 if with_note else None)
    table.add_column(section.value, justify="right", no_wrap=True)
    table.add_column(section.n, justify="right", no_wrap=True)
    if with_p90:
        table.add_column("P90", justify="right", no_wrap=True)
    if with_note:
        table.add_column("note", style="dim", ratio=2)
    for r in results:
        cells = [_item_name(r, section), fmt.value_text(r.unit, r.value),
                 f"{r.n:,}" if r.available else fmt.MISSING]
        if with_p90:
            cells.append(fmt.value_text(r.unit, r.p90) if r.p90 is not None else "")
        if with_note:
            cells.append(escape(r.note))
        table.add_row(*cells, style=None if r.available else "dim")
    return table


def _kpi_group_table(section: Section, groups: list[str], results: list[KpiResult],
                     sizes: Mapping[str, int]) -> Table:
    """One row per KPI, one column per group with the KPI's value in that group."""
    table = Table(title=f"[bold]{section.table_title}", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column(section.item, min_width=16)
    for group in groups:
        size = f"\n[dim]n={sizes[group]:,}[/]" if group in sizes else ""
        table.add_column(f"{escape(group)}{size}", justify="right")
    by_id: dict[str, dict[str, KpiResult]] = {}
    for result in results:
        by_id.setdefault(result.id, {})[str(result.group)] = result
    for by_group in by_id.values():
        first = next(iter(by_group.values()))
        available = any(r.available for r in by_group.values())
        name = _item_name(first, section, short=True)
        if not available:  # say why once instead of a row of dashes
            name += f"\n[italic]{escape(first.note)}[/]"
        row = [name]
        for group in groups:
            r = by_group.get(group)
            row.append(fmt.value_text(r.unit, r.value, compact=True)
                       if r is not None and r.available else f"[dim]{fmt.MISSING}[/]")
        table.add_row(*row, style=None if available else "dim")
    return table


GROUP_CAPTION = ("value: the median for durations, the share for rates, the mean for counts "
                 "and levels; n: the cases of the group; —: not measurable in that group.")


def _print_section(console: Console, section: Section, table: Table,
                   caption: str | None = None) -> None:
    console.print(table)
    caption = section.caption if caption is None else caption
    if caption:  # under the table, not as its caption, so it does not widen it
        console.print(f"[dim]{escape(caption)}[/]", highlight=False)
        console.print()


ROLE_HINT = ("A KPI marked 'not mapped' needs an activity of yours in that role: name it with "
             "--role ROLE=ACTIVITY, e.g. --role quote_approved='Angebot freigegeben' (several "
             "activities separated by '|').")


def print_unmapped(console: Console, named: list[tuple[str, tuple[str, ...]]]) -> None:
    """One line, not a table of dashes, for the KPIs (name, the roles they miss) that no
    activity of the log can measure: a log that is not lead-to-cash shows its generic KPIs
    and this line says which roles would add the rest."""
    if named:
        names = dict.fromkeys(f"{name} ({', '.join(roles)})" for name, roles in named)
        console.print(f"[dim]Not measurable here, as no activity plays the roles they need "
                      f"(not mapped): {', '.join(names)}.[/]", highlight=False)


def print_role_hint(console: Console, notes: list[str]) -> None:
    """How to map a role, under a table where some KPI misses one."""
    if any(note.rstrip(")").endswith(UNMAPPED) for note in notes):
        console.print(f"[dim]{escape(ROLE_HINT)}[/]", highlight=False)


def print_kpis(console: Console, results: list[KpiResult], title: str,
               by: str | None = None, group_sizes: Mapping[str, int] | None = None) -> None:
    """What ``l2c kpis`` shows: headline KPIs first, then waiting and processing time per
    activity, utilisation, the funnel and where deals were lost.

    With ``by``, one column per group, or one block per group when the groups do not fit
    side by side. ``group_sizes`` (cases per group) heads the columns.
    """
    console.rule(f"[bold]{escape(title)}")
    sizes = dict(group_sizes or {})
    if by is None:
        missing = {id(r): unmapped_roles(r.note) for r in results if not r.available}
        for section, rows in _sections([r for r in results if not missing.get(id(r))]):
            _print_section(console, section, _kpi_table(section, rows))
        print_unmapped(console, [(_item_name(r, _section_of(r), short=True), missing[id(r)])
                                 for r in results if missing.get(id(r))])
        print_role_hint(console, [r.note for r in results])
        return
    groups = list(dict.fromkeys(str(r.group) for r in results))
    fit = (console.width - 20) // GROUP_COLUMN_WIDTH
    if len(groups) <= min(MAX_GROUP_COLUMNS, fit):
        for section, rows in _sections(results):
            caption = GROUP_CAPTION if section is KPI_SECTIONS[0] else None
            _print_section(console, section, _kpi_group_table(section, groups, rows, sizes),
                           caption)
        return
    for group in groups:
        size = f" ({sizes[group]:,} cases)" if group in sizes else ""
        console.rule(f"{escape(by)} = [bold]{escape(group)}[/]{size}", align="left")
        for section, rows in _sections([r for r in results if str(r.group) == group]):
            _print_section(console, section, _kpi_table(section, rows))


def print_simulation(console: Console, runs: Sequence[SimulatedRun], seconds: float,
                     written: Sequence[object]) -> None:
    """What ``l2c simulate`` shows: per replication, cases, finished, open and events."""
    table = Table(title="Simulation", title_justify="left",
                  caption="open: still running at the horizon", caption_justify="left")
    for column in ("rep", "seed", "period", "cases", "finished", "open", "events"):
        table.add_column(column, justify="left" if column == "period" else "right",
                         no_wrap=column == "period")
    for run in runs:
        period = f"{_moment(run.start)} → {_moment(run.horizon)}"
        table.add_row(str(run.replication + 1), str(run.seed), period, f"{run.cases:,}",
                      f"{run.finished:,}", f"{run.open_cases:,}", f"{run.events:,}")
    console.print(table)
    warm = sum(run.warmup_cases for run in runs)
    if warm:
        console.print(f"{warm:,} cases that arrived during the warm-up are left out.")
    for run in runs:
        if run.note:
            console.print(f"[yellow]note:[/] {escape(run.note)}")
    console.print(f"{len(runs)} replication{'s' if len(runs) != 1 else ''} in "
                  f"{seconds:.1f} s; written to {', '.join(str(w) for w in written)}")


def _moment(value: str) -> str:
    """A timestamp to the minute, or only its date at midnight."""
    text = value[:16]
    return text[:10] if text.endswith("00:00") and len(text) == 16 else text
