"""The ``simulate`` command: run a process model and write the event log it produces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.errors import PlannerError
from sim.model import ProcessModel
from ui.commands.common import ForceOption, check_overwrite, check_reps, err, friendly, out


@friendly
def simulate(
    model: Annotated[Path, typer.Argument(help="Process model (JSON) from 'l2c calibrate'.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Simulated log: .csv, "
                                         ".csv.gz, .parquet, .xes or .xlsx.")],
    cases: Annotated[int | None, typer.Option(
        help="New cases to simulate; the run goes on until they have all finished.")] = None,
    days: Annotated[float | None, typer.Option(
        help="Days to simulate; cases still running then are reported as open.")] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same log.")] = 0,
    reps: Annotated[int, typer.Option(help="Replications (independent runs).")] = 1,
    warmup: Annotated[float, typer.Option(
        help="Days simulated before the start to fill the queues; their cases are left "
             "out.")] = 0.0,
    start: Annotated[str | None, typer.Option(
        help="First day, e.g. 2025-01-06 (default: where the model's log began).")] = None,
    per_replication: Annotated[bool, typer.Option(
        "--per-replication", help="One file per replication (NAME_rep1.csv, ...) instead "
                                  "of one log with a replication column.")] = False,
    jobs: Annotated[int, typer.Option(help="Processes for replications (-1: all cores).")] = -1,
    dask: Annotated[str | None, typer.Option(
        help="Run the replications on this Dask scheduler, e.g. tcp://host:8786.")] = None,
    stream: Annotated[bool, typer.Option(
        "--stream", help="For runs too big for memory (one replication): write events to "
                         "Parquet while simulating; -o names a new folder that gets "
                         "events.parquet and cases.parquet.")] = False,
    scenario: Annotated[Path | None, typer.Option(
        help="A scenario file (YAML): simulate the model as the scenario changes it, e.g. "
             "a change for one segment, then 'l2c kpis LOG --by ATTRIBUTE'.")] = None,
    force: ForceOption = False,
) -> None:
    """Simulate a process model and write the event log it would produce."""
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from calibration.writers import SUPPORTED_SUFFIXES, file_suffix
    from sim.bounds import check_run, load_model
    from sim.engine import iter_replications
    from sim.engine import simulate as run_once
    from ui.render import print_simulation

    suffix = file_suffix(output)
    if stream:
        _simulate_streaming(model, output, seed, reps, cases=cases, days=days, start=start,
                            warmup_days=warmup, scenario=scenario)
        return
    if suffix not in SUPPORTED_SUFFIXES:
        raise PlannerError(f"{output}: cannot write a simulated log as '{suffix or 'no suffix'}'"
                           f"; use one of {', '.join(SUPPORTED_SUFFIXES)}.")
    if not output.parent.is_dir():
        raise PlannerError(f"{output}: the folder '{output.parent}' does not exist.")
    _require_length(cases, days)
    check_run(cases, days, warmup)
    check_reps(reps)
    check_overwrite(*_output_paths(output, reps, per_replication), force=force)
    process_model = _changed(load_model(model), scenario)
    results = []
    began = time.perf_counter()
    stopped = False
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        try:
            if reps == 1:
                task = bar.add_task("simulating", total=1.0)
                results.append(run_once(process_model, seed=seed, cases=cases, days=days,
                                        start=start, warmup_days=warmup,
                                        progress=lambda share: bar.update(task, completed=share)))
            else:
                task = bar.add_task(f"{reps} replications", total=reps)
                for result in iter_replications(process_model, reps, seed=seed, n_jobs=jobs,
                                                dask_address=dask, cases=cases, days=days,
                                                start=start, warmup_days=warmup):
                    results.append(result)
                    bar.advance(task)
        except KeyboardInterrupt:
            stopped = True
    seconds = time.perf_counter() - began
    if stopped and not results:
        err.print("stopped before any replication finished; nothing written.")
        raise typer.Exit(130)
    written = _write_simulation(results, output, per_replication, several=reps > 1)
    print_simulation(out, [r.run for r in results], seconds, written)
    if stopped:
        err.print(f"stopped: wrote the {len(results)} of {reps} replications that had finished.")
        raise typer.Exit(130)


def _changed(model: ProcessModel, scenario: Path | None) -> ProcessModel:
    """The model as ``scenario`` changes it (itself without one); notes go to stderr."""
    if scenario is None:
        return model
    from scenarios import apply_scenario, load_scenario

    changed, notes = apply_scenario(model, load_scenario(scenario))
    for note in notes:
        err.print(note)
    return changed


def _simulate_streaming(model: Path, folder: Path, seed: int, reps: int, *,
                        cases: int | None, days: float | None, start: str | None,
                        warmup_days: float, scenario: Path | None) -> None:
    """One replication written to Parquet while it runs (memory stays flat)."""
    import time

    from sim.bounds import check_run, load_model
    from sim.engine import simulate as run_once
    from ui.render import print_simulation

    if reps != 1:
        raise PlannerError("--stream writes one replication; run several with --seed "
                           "values, or leave out --stream.")
    _require_length(cases, days)
    check_run(cases, days, warmup_days)
    began = time.perf_counter()
    with err.status("simulating (events are written as cases finish)"):
        result = run_once(_changed(load_model(model), scenario), seed=seed, sink=folder,
                          cases=cases, days=days, start=start, warmup_days=warmup_days)
    print_simulation(out, [result.run], time.perf_counter() - began, [folder])


def _require_length(cases: int | None, days: float | None) -> None:
    """A run needs an end: a number of new cases or of days."""
    if cases is None and days is None:
        raise PlannerError("Say how long to simulate: --cases N (new cases) or --days D.")


def _write_simulation(results: list, output: Path, per_replication: bool, *,
                      several: bool) -> list[Path]:
    """One file, one file with a replication column, or one file per replication."""
    from calibration.writers import write_log
    from sim.engine.output import combined_log

    if not several and not per_replication:
        return [write_log(results[0].log, output)]
    if not per_replication:
        return [write_log(combined_log([r.log for r in results]), output)]
    return [write_log(r.log, _replication_path(output, r.run.replication + 1))
            for r in results]


def _output_paths(output: Path, reps: int, per_replication: bool) -> list[Path]:
    """The files a run will write: ``output``, or one per replication."""
    if not per_replication:
        return [output]
    return [_replication_path(output, number) for number in range(1, reps + 1)]


def _replication_path(output: Path, number: int) -> Path:
    """``sim.csv.gz`` -> ``sim_rep3.csv.gz`` for replication 3."""
    from calibration.writers import file_suffix

    suffix = file_suffix(output)
    return output.with_name(f"{output.name[: len(output.name) - len(suffix)]}_rep{number}"
                            f"{suffix}")
