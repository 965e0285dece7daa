"""``l2c backtest``: did the planner predict a change the log itself went through?"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError
from ui.commands.common import (
    DateFormatOption,
    ForceOption,
    JobsOption,
    LogArgument,
    MapOption,
    MaxSizeOption,
    SeedOption,
    SheetOption,
    check_overwrite,
    err,
    friendly,
    json_text,
    out,
    read_log_printing_findings,
    write_text,
)
from ui.commands.roles import RoleOption, RolesFileOption, log_roles

if TYPE_CHECKING:
    from calibration.evaluate.backtest import Backtest


UTILISATION = "utilisation:"
MAX_UTILISATION_ROWS = 8


class BacktestFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


@friendly
def backtest(
    log: LogArgument,
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", help="The change as a scenario file (YAML), as a user who knew it "
                           "would write it (default: derived from the cases begun after "
                           "the change).")] = None,
    change_date: Annotated[str | None, typer.Option(
        "--change-date", help="When the change happened, e.g. 2016-11-01 (default: the "
                              "latest change calibration detects).")] = None,
    reps: Annotated[int, typer.Option("--reps", help="Replications (at least 2).")] = 10,
    seed: SeedOption = 1,
    format: Annotated[BacktestFormat, typer.Option(
        "--format", help="table, json or html")] = BacktestFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write json/html to this file instead of the screen.")] = None,
    force: ForceOption = False,
    jobs: JobsOption = -1,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """Backtest a what-if: learn the model from the cases begun before a change, simulate
    the period after it with and without the scenario, and show how much of the real
    shift the scenario explains."""
    from calibration.evaluate.backtest import backtest as run_backtest
    from scenarios.load import load_scenario
    from sim.kpi_roles import in_effect

    if reps < 2:
        raise PlannerError(f"--reps {reps}: the 95% interval needs at least 2 replications.")
    check_overwrite(output, force=force)
    event_log = read_log_printing_findings(log, map, sheet, date_format, max_size)
    err.print("[dim]learning the model from the cases begun before the change, then "
              "simulating the period after it twice ...[/]", highlight=False)
    with in_effect(log_roles(event_log, role, roles_file).roles):
        result = run_backtest(event_log, None if scenario is None else load_scenario(scenario),
                              change_date, reps=reps, seed=seed, n_jobs=jobs)
    if format is BacktestFormat.table:
        print_backtest(result)
        return
    from ui.render_backtest import html_report

    write_text(json_text(result.to_dict()) if format is BacktestFormat.json
               else html_report(result), output)


def print_backtest(result: Backtest) -> None:
    from rich.table import Table

    from ui.attribution_text import attribution_text, word
    from ui.render_backtest import COLUMNS, cells

    out.print(f"Backtest of '{result.scenario}' on {result.log}: change on "
              f"{result.change_date} ({result.chosen_by}); {result.reps} replications, seed "
              f"{result.seed}.", highlight=False)
    out.print(result.window, highlight=False)
    if result.derived:
        out.print("The scenario, derived from the cases begun after the change:\n"
                  + result.scenario_text.rstrip(), highlight=False)
    table = Table(title="Real shift against the predicted one (the after-period)")
    table.add_column("KPI")
    for column in COLUMNS:
        table.add_column(column, justify="right")
    shown = [row for row in result.rows if row.material]
    per_member = [row for row in shown if row.kpi.startswith(UTILISATION)]
    if len(per_member) > MAX_UTILISATION_ROWS:  # one row per person drowns the table
        shown = [row for row in shown if not row.kpi.startswith(UTILISATION)]
    for row in shown:
        table.add_row(row.label + (" ✗" if row.missed else ""), *cells(row))
    out.print(table)
    if len(per_member) > MAX_UTILISATION_ROWS:
        out.print(f"{len(per_member)} utilisation KPIs (one per pool member) also shifted; "
                  "they are in --format json.", highlight=False)
    out.print("Rows: the KPIs whose real shift passes its practical threshold. ✗: the real "
              "after-value lies outside the prediction with the scenario (its 95% interval "
              "widened by that threshold). Every KPI is in --format json.", highlight=False)
    explained = [(row, attribution_text(row)) for row in shown if row.attribution]
    if explained:
        out.print(f"{word('title')} (✗): {word('help')}", highlight=False)
        for row, text in explained:
            out.print(f"  {row.label}: {text}", highlight=False)
    for note in result.notes:
        out.print(f"note: {note}", highlight=False)

