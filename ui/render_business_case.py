"""Terminal tables of a business case (``l2c compare --costs``): presentation only."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.business_case import BusinessCase
from ui import business_case_text as words


def print_business_case(console: Console, case: BusinessCase,
                        baseline_name: str = "Baseline") -> None:
    """One table per scenario: each money figure against the baseline, with its interval."""
    for scenario in words.scenarios_of(case):
        rows = words.case_rows(case, scenario, compact=True)
        table = Table(title=f"[bold]{escape(scenario)}[/] [dim]business case vs "
                            f"{escape(baseline_name)}, in "
                            f"{escape(words.currency_word(case))}[/]", title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False)
        for key, header in words.headers().items():
            table.add_column(escape(baseline_name) if key == "baseline" else header,
                             justify="left" if key == "measure" else "right")
        table.add_column("")
        for row in rows:
            table.add_row(*(escape(row[key]) for key in words.HEADERS),
                          f"[dim]{escape(row['note'])}[/]")
        console.print(table)
        console.print(f"[dim]{escape(words.explanation(case, scenario))}[/]", highlight=False)
