"""The ``l2c saved`` group: list, show, export, rename and delete saved comparisons (and the
target answers and backtests kept with them)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ui.commands.common import (
    AllKpisOption,
    ForceOption,
    LangOption,
    Language,
    check_overwrite,
    err,
    friendly,
    out,
)

saved_app = typer.Typer(help="List, show, export, rename and delete saved comparisons.",
                        no_args_is_help=True)
DbOption = Annotated[Path | None, typer.Option(
    "--db", help="Saved-comparisons database (default: $L2C_SAVED_DB or "
                 "~/.l2c/saved.sqlite).")]
NameArgument = Annotated[str, typer.Argument(help="Name of the saved comparison.")]


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


@saved_app.command("list")
@friendly
def saved_list(db: DbOption = None) -> None:
    """The saved comparisons, newest first."""
    from rich.markup import escape
    from rich.table import Table

    from sim.saved import SavedStore

    store = SavedStore(db)
    summaries = store.list()
    if not summaries:
        out.print(f"No saved comparisons in {escape(str(store.path))} yet; save one with "
                  "'l2c compare ... --save NAME'.", highlight=False)
        return
    table = Table(title=f"Saved comparisons and target answers ({len(summaries)})",
                  title_justify="left")
    for column in ("name", "kind", "created", "model", "scenarios", "reps", "seed"):
        table.add_column(column, justify="right" if column in ("reps", "seed") else "left",
                         no_wrap=column in ("created", "reps", "seed"),
                         ratio=2 if column in ("name", "scenarios") else None)
    for s in summaries:
        kind = "target" if s.is_target else "backtest" if s.is_backtest else "comparison"
        table.add_row(escape(s.name), kind, s.created[:16].replace("T", " "),
                      escape(s.model_name),
                      escape(", ".join(s.scenarios)), str(s.replications), str(s.seed))
    out.print(table)


@saved_app.command("show")
@friendly
def saved_show(
    name: NameArgument,
    all_kpis: AllKpisOption = False,
    db: DbOption = None,
) -> None:
    """The KPI table of a saved comparison: differences with their 95% intervals."""
    from rich.markup import escape

    from sim.saved import SavedStore
    from ui.render_compare import print_differences
    from ui.report import baseline_name
    from ui.report_format import run_text, when

    comparison = SavedStore(db).load(name)
    out.rule(f"[bold]{escape(comparison.name)}")
    if comparison.is_backtest:
        from calibration.evaluate.backtest import Backtest
        from ui.commands.backtest import print_backtest

        out.print(f"created {when(comparison.created)} · a backtest", highlight=False)
        print_backtest(Backtest.from_dict(comparison.backtest))
        return
    if comparison.is_target:
        from ui.render_target import print_saved_target

        out.print(f"created {when(comparison.created)} · a target's answer · model "
                  f"{escape(comparison.model_name)} · seed {comparison.seed}, "
                  f"{comparison.replications} replications, {run_text(dict(comparison.run))}",
                  highlight=False)
        print_saved_target(out, comparison.target)
        return
    out.print(f"created {when(comparison.created)} · model {escape(comparison.model_name)} "
              f"({escape(comparison.model_fingerprint[:23])}…) · seed {comparison.seed}, "
              f"{comparison.replications} replications, {run_text(dict(comparison.run))}",
              highlight=False)
    print_differences(out, comparison.results, baseline_name=baseline_name(comparison),
                      headline_only=not all_kpis)
    case = comparison.business_case
    if case is not None:
        from ui.render_business_case import print_business_case

        print_business_case(out, case, baseline_name(comparison))


@saved_app.command("export")
@friendly
def saved_export(
    name: NameArgument,
    format: Annotated[ExportFormat | None, typer.Option(
        "--format", help="csv (KPI table), xlsx (workbook) or html (report to mail); "
                         "default: the extension of -o, else html")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="File to write (default: the comparison's name in the "
                               "current folder).")] = None,
    force: ForceOption = False,
    lang: LangOption = Language.en,
    db: DbOption = None,
) -> None:
    """Write a saved comparison (or target answer, or backtest) as CSV, Excel or a
    self-contained HTML report."""
    from calibration.writers import save_bytes
    from sim.saved import SavedStore
    from ui.export import default_path, export_comparison, export_format

    kind = export_format(output, format.value if format is not None else None)
    comparison = SavedStore(db).load(name)
    target = output if output is not None else default_path(comparison, kind)
    check_overwrite(target, force=force)
    if comparison.is_backtest:
        from ui.export_backtest import backtest_bytes

        written = save_bytes(target, backtest_bytes(comparison, kind, lang.value))
    else:
        written = export_comparison(comparison, kind, target, lang.value)
    out.print(f"Written to {written} ({kind})", highlight=False, markup=False)


@saved_app.command("delete")
@friendly
def saved_delete(
    name: NameArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = (
        False),
    db: DbOption = None,
) -> None:
    """Delete a saved comparison (asks first unless --yes)."""
    from sim.saved import SavedStore

    store = SavedStore(db)
    store.load(name)  # an unknown name fails here, before the question
    if not yes and not typer.confirm(f"Delete the saved comparison '{name}'?", default=False):
        err.print("Nothing deleted.")
        raise typer.Exit(1)
    store.delete(name)
    out.print(f"Deleted '{name}'.", highlight=False, markup=False)


@saved_app.command("rename")
@friendly
def saved_rename(
    old: Annotated[str, typer.Argument(help="Current name.")],
    new: Annotated[str, typer.Argument(help="New name.")],
    db: DbOption = None,
) -> None:
    """Give a saved comparison another name."""
    from sim.saved import SavedStore

    SavedStore(db).rename(old, new)
    out.print(f"Renamed '{old}' to '{new.strip()}'.", highlight=False, markup=False)
