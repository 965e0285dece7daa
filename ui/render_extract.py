"""The extraction report as terminal tables; no computation, only presentation."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from calibration.extract.report import ExtractionReport


def print_extraction(console: Console, report: ExtractionReport, written: str) -> None:
    """What ``l2c extract`` shows: tables read, links, events, approximations, rows left out."""
    console.rule(f"[bold]{escape(report.source)}[/] ({escape(report.form)})")
    tables = Table(title="Tables read", title_justify="left")
    for column in ("table", "file", "rows", "used", "left out"):
        tables.add_column(column, justify="right" if column in ("rows", "used", "left out")
                          else "left")
    for name, count in report.tables.items():
        tables.add_row(name, escape(count.file), f"{count.rows:,}", f"{count.used:,}",
                       f"{sum(count.left_out.values()):,}")
    console.print(tables)
    links = Table(title="Links between records", title_justify="left")
    for column in ("link", "resolved", "broken", "examples of broken links"):
        links.add_column(column)
    for name, link in report.links.items():
        style = "red" if link.broken else ""
        links.add_row(name, f"{link.resolved:,}", f"[{style}]{link.broken:,}[/]" if style
                      else "0", escape("; ".join(link.examples)))
    console.print(links)
    console.print(f"[bold]Cases built:[/] {report.cases:,} ({report.lead_only_cases:,} from "
                  f"leads never converted)")
    events = Table(title=f"Events by type ({sum(report.events.values()):,})",
                   title_justify="left")
    events.add_column("activity")
    events.add_column("events", justify="right")
    for activity, n in sorted(report.events.items(), key=lambda kv: (-kv[1], kv[0])):
        events.add_row(escape(activity), f"{n:,}")
    console.print(events)
    _counts(console, "Approximated timestamps (marked in the log's 'time_source' column)",
            report.approximated)
    _counts(console, "Steps the records show but nothing dates (left out)", report.undated)
    _counts(console, "Events left out", report.events_left_out)
    for name, count in report.tables.items():
        for reason, n in sorted(count.left_out.items()):
            console.print(f"[yellow]left out[/] {name}: {n:,} row(s): {escape(reason)}, e.g. "
                          f"{escape(', '.join(count.examples[reason]))}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]WARNING [/] {escape(warning)}", highlight=False)
    console.print(f"Event log written to {escape(written)}")


def _counts(console: Console, title: str, counts: dict[str, int]) -> None:
    if not counts:
        console.print(f"[bold]{title}:[/] none")
        return
    table = Table(title=title, title_justify="left")
    table.add_column("what")
    table.add_column("events", justify="right")
    for what, n in sorted(counts.items()):
        table.add_row(escape(what), f"{n:,}")
    console.print(table)
