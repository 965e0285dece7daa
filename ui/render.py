"""Turning summaries into terminal tables; no computation, only presentation."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

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
        console.print(_mapping_table(summary["mapping"]))
        console.print(_activity_table(summary["activities"]))
        console.print(_variant_table(summary["top_variants"]))
        console.print(_attribute_table(summary["case_attributes"]))
    print_findings(console, summary["findings"])  # type: ignore[arg-type]


def _mapping_table(mapping: object) -> Table:
    table = Table(title="Columns recognised", title_justify="left")
    table.add_column("role")
    table.add_column("column in the file")
    for role, column in dict(mapping).items():  # type: ignore[call-overload]
        table.add_row(role, str(column))
    return table


def _activity_table(activities: object) -> Table:
    table = Table(title="Activities", title_justify="left")
    table.add_column("activity")
    table.add_column("events", justify="right")
    for name, count in dict(activities).items():  # type: ignore[call-overload]
        table.add_row(name, f"{count:,}")
    return table


def _variant_table(variants: object) -> Table:
    table = Table(title="Top variants", title_justify="left")
    table.add_column("cases", justify="right")
    table.add_column("share", justify="right")
    table.add_column("activities")
    for variant in list(variants):  # type: ignore[call-overload]
        table.add_row(f"{variant['cases']:,}", f"{variant['share']:.1%}",
                      " → ".join(variant["activities"]))
    return table


def _attribute_table(attributes: object) -> Table:
    table = Table(title="Case attributes", title_justify="left")
    table.add_column("attribute")
    table.add_column("distinct", justify="right")
    table.add_column("missing", justify="right")
    table.add_column("examples")
    for name, info in dict(attributes).items():  # type: ignore[call-overload]
        table.add_row(name, str(info["distinct"]), str(info["missing"]),
                      ", ".join(info["examples"]))
    return table
