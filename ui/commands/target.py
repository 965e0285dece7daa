"""The ``target`` command: what must change, and by how much, to move a KPI."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError
from ui.commands.common import (
    CasesOption,
    DaysOption,
    JobsOption,
    ModelOrLogArgument,
    OutputFormat,
    SeedOption,
    WarmupOption,
    err,
    friendly,
    json_text,
    out,
    read_log_printing_findings,
    requested_run,
)
from ui.commands.own_kpis import KpisOption, with_own_kpis
from ui.commands.roles import RoleOption, RolesFileOption, log_roles

if TYPE_CHECKING:
    from sim.precision import Replications


TARGET_MAXIMUM = 8  # ``scenarios.target.decide.MAXIMUM``, kept here so --help stays quick


class TargetStat(str, Enum):
    median = "median"
    p90 = "p90"
    mean = "mean"


@friendly
def target(
    model: ModelOrLogArgument,
    kpi: Annotated[str | None, typer.Option(
        help="KPI to move, e.g. sales_cycle, lead_to_cash, quote_approval, win_rate.")] = None,
    change: Annotated[str | None, typer.Option(
        help="Target change from the simulated baseline, e.g. -25% (write --change=-25% or "
             "--change -25%).")] = None,
    stat: Annotated[TargetStat, typer.Option(
        help="Statistic of a cycle time: median, p90 or mean (rates use their value).")] = (
        TargetStat.median),
    lever: Annotated[list[str] | None, typer.Option(
        "--lever", help="Goal-seek this lever (id or name, see --list-levers; repeatable). "
                        "Without it: a sensitivity table and the cheapest combination.")] = None,
    list_levers: Annotated[bool, typer.Option(
        "--list-levers", help="Show the levers the model offers and stop.")] = False,
    controllable: Annotated[list[str] | None, typer.Option(
        "--controllable", help="Offer this lever although it is not yours by default, e.g. "
                               "a customer's wait you can shorten (id or name; repeatable).")
    ] = None,
    not_controllable: Annotated[list[str] | None, typer.Option(
        "--not-controllable", help="Leave this lever out of the answer (id or name; "
                                   "repeatable).")] = None,
    costs: Annotated[Path | None, typer.Option(
        "--costs", help="A costs file (YAML, as for 'l2c compare --costs'): levers and the "
                        "answer are priced in money per month, with the answer's business "
                        "case. Without it, cost is in effort units.")] = None,
    save: Annotated[str | None, typer.Option(
        help="Save the answer under this name, beside the saved comparisons (see 'l2c "
             "saved').")] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", help="Saved-comparisons database for --save (default: $L2C_SAVED_DB or "
                     "~/.l2c/saved.sqlite).")] = None,
    reps: Annotated[str, typer.Option(
        "--reps", metavar="auto|N",
        help="Replications per setting: auto runs few, then more for each sensitivity row "
             "and answer until it is decided at the KPI's practical threshold, up to "
             "--max-reps; a number runs exactly that many.")] = "auto",
    max_reps: Annotated[int, typer.Option(
        "--max-reps", help="With --reps auto: the most replications per setting.")] = (
        TARGET_MAXIMUM),
    seed: SeedOption = 1,
    cases: CasesOption = None,
    days: DaysOption = None,
    warmup: WarmupOption = 0,
    format: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = (
        OutputFormat.table),
    jobs: JobsOption = -1,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    kpis_file: KpisOption = None,
) -> None:
    """What must change, and by how much, to move a KPI by a target (e.g. sales cycle -25%)."""
    from calibration.fidelity import history_run
    from scenarios.comparison import load_baseline
    from scenarios.costs_file import read_costs
    from scenarios.target import find_target, generate_levers, parse_change
    from scenarios.target.control import with_control
    from sim.kpi_roles import in_effect
    from ui.render_target import print_levers, print_target

    requested = requested_run(cases, days, warmup)
    plan = _replications(reps, max_reps)
    if not list_levers and (kpi is None or change is None):
        raise PlannerError("Say what to reach: --kpi KPI --change -25% (or --list-levers to "
                           "see the levers).")
    target_change = parse_change(change) if change is not None else 0.0
    prices, costs_text = read_costs(costs) if costs is not None else (None, "")
    process_model = load_baseline(
        model, read=lambda path: with_own_kpis(read_log_printing_findings(path), kpis_file),
        roles=lambda log: log_roles(log, role, roles_file)).model
    if list_levers:
        print_levers(out, with_control(generate_levers(process_model), controllable,
                                       not_controllable))
        return
    run = requested or history_run(process_model)
    with _target_progress() as progress, in_effect(process_model.activity_roles()):
        report = find_target(process_model, str(kpi), target_change, stat=stat.value,
                             levers=lever, replications=plan, seed=seed, n_jobs=jobs,
                             run=run, progress=progress, costs=prices,
                             costs_source=str(costs), controllable=controllable,
                             not_controllable=not_controllable)
    if save:
        from scenarios.target.keep import to_saved
        from sim.saved import SavedStore

        SavedStore(db).save(to_saved(report, save, process_model, costs_text))
        err.print(f"Saved as '{save}'.")
    if format is OutputFormat.json:
        sys.stdout.write(json_text(report.to_json()))
    else:
        print_target(out, report)


def _replications(reps: str, max_reps: int) -> Replications:
    """``--reps auto|N`` and ``--max-reps``: a fixed count, or a target search's batches."""
    from scenarios.target.decide import target_replications
    from ui.commands.comparison import replications_plan

    plan = replications_plan(reps, max_reps)
    return plan if plan.fixed is not None else target_replications(max_reps)


@contextlib.contextmanager
def _target_progress() -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr naming what the search is simulating."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("baseline", total=None)

        def advance(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what or "simulating")

        yield advance
