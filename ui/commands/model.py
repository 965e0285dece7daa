"""Commands that make a process model and test it: ``calibrate``, ``import-bps`` and
``evaluate``."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError, did_you_mean
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
    print_read_findings,
    read_log_printing_findings,
    read_with_options,
    write_text,
)
from ui.commands.own_kpis import KpisOption, with_own_kpis
from ui.commands.roles import RoleOption, RolesFileOption, log_roles

if TYPE_CHECKING:
    from sim.model import ProcessModel

ModelOutputOption = Annotated[Path, typer.Option(
    "-o", "--output", help="Where to write the process model (JSON).")]


class EvaluateFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


SinceOption = Annotated[str, typer.Option(
    "--since", help="Learn from the cases begun on or after this date (e.g. 2024-07-01); "
                    "auto: since the process last changed, if it did; all: the whole log.")]


TuneOption = Annotated[bool, typer.Option(
    "--tune/--no-tune", help="Choose the model's structure on the log itself: models of "
                             "several structures (routing memory, waits by the case's state, "
                             "volume trend, which cases to learn from) learn from the earlier "
                             "cases and simulate the later ones, and the closest is kept. "
                             "Takes a few simulations longer.")]


@friendly
def calibrate(
    log: LogArgument,
    output: ModelOutputOption,
    attributes: Annotated[str | None, typer.Option(
        help="Case attributes that may change routing and delays, comma separated (default: "
             "every attribute with 2-10 values).")] = None,
    min_samples: Annotated[int, typer.Option(
        help="Fewer observations than this are described by their own values, not a "
             "fitted distribution.")] = 20,
    criterion: Annotated[str, typer.Option(help="aic or bic, to choose distributions.")] = "aic",
    since: SinceOption = "auto",
    tune: TuneOption = True,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    kpis_file: KpisOption = None,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
    force: ForceOption = False,
) -> None:
    """Learn a simulation-ready process model from an event log and save it as JSON."""
    from calibration.fit.calibrate import CalibrationOptions
    from calibration.roles import calibrate_with_roles

    if criterion not in ("aic", "bic"):
        raise PlannerError(f"--criterion '{criterion}': use aic or bic."
                           f"{did_you_mean(criterion, ('aic', 'bic'))}")
    check_overwrite(output, force=force)
    result = read_with_options(log, map, sheet, date_format, max_size)
    print_read_findings(result)
    event_log = with_own_kpis(result.require_log(), kpis_file)
    chosen = (tuple(a.strip() for a in attributes.split(",") if a.strip())
              if attributes is not None else None)
    options = CalibrationOptions(min_samples=min_samples, criterion=criterion,
                                 attributes=chosen, since=since, tune=tune)
    found = log_roles(event_log, role, roles_file)
    fitted = calibrate_with_roles(event_log, result.path, options, found, progress=_progress)
    _save_model(fitted.model, fitted.notes, output)


@friendly
def import_bps(
    bpmn: Annotated[Path, typer.Argument(help="BPMN 2.0 process model (Prosimos, Simod).")],
    params: Annotated[Path, typer.Argument(help="Prosimos simulation parameters (JSON).")],
    output: ModelOutputOption,
    force: ForceOption = False,
) -> None:
    """Import a Prosimos simulation model (as Simod discovers it) as a process model."""
    from calibration.bps import import_bps as read_bps

    if output.resolve() in (bpmn.resolve(), params.resolve()):
        raise PlannerError(f"{output}: is one of the input files; write the model elsewhere.")
    if not output.parent.is_dir():
        raise PlannerError(f"{output}: the folder '{output.parent}' does not exist.")
    check_overwrite(output, force=force)
    imported = read_bps(bpmn, params)
    _save_model(imported.model, imported.notes, output)


def _progress(step: str) -> None:
    err.print(f"[dim]{step} ...[/]", highlight=False)


def _save_model(model: ProcessModel, notes: list[str], output: Path) -> None:
    """Summarise a new process model, write it, and say where."""
    from ui.render_model import print_model_summary

    print_model_summary(out, model, notes)
    written = model.save(output)
    out.print(f"Process model written to {written}")


@friendly
def evaluate(
    log: LogArgument,
    split: Annotated[float | None, typer.Option(
        help="Share of the cases (by start) to learn from; the rest is the test period "
             "(default 0.7).")] = None,
    split_date: Annotated[str | None, typer.Option(
        "--split-date", help="Learn from cases begun before this date, e.g. 2024-09-01.")
    ] = None,
    reps: Annotated[int, typer.Option("--reps", help="Replications (at least 2).")] = 5,
    seed: SeedOption = 1,
    format: Annotated[EvaluateFormat, typer.Option(
        "--format", help="table, json or html")] = EvaluateFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write json/html to this file instead of the screen.")] = None,
    force: ForceOption = False,
    jobs: JobsOption = -1,
    since: SinceOption = "auto",
    tune: TuneOption = True,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    kpis_file: KpisOption = None,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """How far to trust a model: learn it from the earlier part of the log, simulate the
    later part, and compare KPIs and log distances (with their noise floor)."""
    from calibration.evaluate import evaluate_log
    from ui.render_evaluate import html_report, print_report

    check_overwrite(output, force=force)
    from sim.kpi_roles import in_effect

    event_log = with_own_kpis(read_log_printing_findings(log, map, sheet, date_format,
                                                         max_size), kpis_file)
    roles = log_roles(event_log, role, roles_file).roles
    event_log = replace(event_log, roles=roles)  # the model learns them, and the KPIs read them
    with in_effect(roles):
        report = evaluate_log(
            event_log, split, split_date, reps=reps, seed=seed, n_jobs=jobs, since=since,
            tune=tune, progress=_progress)
    if format is EvaluateFormat.table:
        print_report(out, report)
        return
    write_text(json_text(report.to_dict()) if format is EvaluateFormat.json
               else html_report(report), output)
