"""The ``l2c`` command line: one thin command per verb, calling the packages.

Every command turns a ``PlannerError`` into a plain message and a non-zero exit code; a
traceback means a bug, never bad input.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from sim.errors import PlannerError, did_you_mean

if TYPE_CHECKING:
    from calibration.read import ReadResult
    from sim.eventlog import EventLog
    from sim.saved import SavedComparison

app = typer.Typer(help="Lead-to-cash what-if planner: learn your sales process from its event "
                       "log, simulate it, compare scenarios.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., object])


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class KpiFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class SampleStyle(str, Enum):
    d365 = "d365"
    oracle = "oracle"
    xes = "xes"


def friendly(command: F) -> F:
    """Print PlannerErrors as messages with exit code 1, and stop cleanly on Ctrl-C."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except PlannerError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("stopped.")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


MapOption = Annotated[list[str] | None, typer.Option(
    "--map", help="Say which column plays a role, e.g. --map case_id='Deal ID' (repeatable).")]
SheetOption = Annotated[str | None, typer.Option(help="Excel sheet to read (default: first).")]
DateFormatOption = Annotated[str | None, typer.Option(
    help="Timestamp format in strftime codes, e.g. '%d/%m/%Y %H:%M', when detection guesses "
         "wrong.")]
MaxSizeOption = Annotated[float | None, typer.Option(
    "--max-size", help="Refuse files larger than this many MB (default 1024, or "
                       "$L2C_MAX_FILE_MB).")]


def read_with_options(log: Path, map: list[str] | None, sheet: str | None,
                      date_format: str | None, max_size: float | None,
                      **options: int) -> ReadResult:
    """Read a log with the reading options every command shares (--map, --sheet, ...)."""
    from calibration.mapping import parse_overrides
    from calibration.read import read_log

    return read_log(log, mapping=parse_overrides(map or []), sheet=sheet,
                    date_format=date_format, max_size_mb=max_size, **options)


@app.command()
@friendly
def inspect(
    log: Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")],
    format: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = (
        OutputFormat.table),
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
    min_count: Annotated[int, typer.Option(
        help="Warn about activities seen fewer times than this.")] = 5,
) -> None:
    """Read an event log, check it, and summarise what is in it."""
    from calibration.summary import summarise
    from ui.render import print_summary

    result = read_with_options(log, map, sheet, date_format, max_size,
                               min_activity_count=min_count)
    summary = summarise(result)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        print_summary(out, summary)
    if not result.report.ok:
        raise typer.Exit(1)


def parse_role_overrides(pairs: list[str]) -> dict[str, list[str]]:
    """Turn ``["quote_approved=Angebot freigegeben|Freigabe"]`` into role -> activity names."""
    from sim.kpi_roles import ROLES

    overrides: dict[str, list[str]] = {}
    for pair in pairs:
        role, sep, names = pair.partition("=")
        role = role.strip()
        activities = [name.strip() for name in names.split("|") if name.strip()]
        if not sep or not role or not activities:
            raise PlannerError(f"--role '{pair}': write it as role=activity, e.g. "
                               "quote_approved='Angebot freigegeben' (several activities "
                               "separated by '|').")
        if role not in ROLES:
            raise PlannerError(f"--role '{pair}': unknown KPI role '{role}'."
                               f"{did_you_mean(role, ROLES)} Roles: {', '.join(ROLES)}.")
        given = overrides.setdefault(role, [])
        given.extend(name for name in activities if name not in given)
    return overrides


def _warn_unknown_activities(overrides: dict[str, list[str]], activities: list[str]) -> None:
    """A --role activity that is not in the log is most likely a typo: say so."""
    from sim.kpi_roles import name_key

    known = {name_key(a) for a in activities}
    for role, names in overrides.items():
        for name in names:
            if name_key(name) not in known:
                err.print(f"[yellow]WARNING [/] --role {role}: no activity '{name}' in this log."
                          f"{did_you_mean(name, activities)}", highlight=False)


@app.command()
@friendly
def kpis(
    log: Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")],
    by: Annotated[str | None, typer.Option(
        "--by", metavar="ATTRIBUTE",
        help="Measure each group of cases on its own: a case attribute such as lead_source or "
             "region, or deal_size (amount tertiles).")] = None,
    format: Annotated[KpiFormat, typer.Option("--format", help="table, json or csv")] = (
        KpiFormat.table),
    role: Annotated[list[str] | None, typer.Option(
        "--role", metavar="ROLE=ACTIVITY",
        help="Say which of your activities plays a KPI role, e.g. --role "
             "quote_approved='Angebot freigegeben' (repeatable; several activities separated "
             "by '|').")] = None,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """Measure the lead-to-cash KPIs of an event log: cycle times, win rate, payment days,
    waiting and processing times, utilisation, funnel."""
    import pandas as pd

    from sim.eventlog import ACTIVITY
    from sim.kpi_roles import ActivityRoles
    from sim.kpis import compute_by_replication, kpis_frame, kpis_to_records
    from sim.kpis.groups import group_labels
    from ui.render import print_findings, print_kpis

    overrides = parse_role_overrides(role or [])
    roles = ActivityRoles.default().with_overrides(overrides)
    result = read_with_options(log, map, sheet, date_format, max_size)
    print_findings(err, [f.to_dict() for f in result.report.findings
                         if f.level != "error" or result.log is not None])
    event_log = result.require_log()
    _warn_unknown_activities(overrides, [str(a) for a in event_log.events[ACTIVITY].unique()])
    results = compute_by_replication(event_log, roles, by=by)
    if format is KpiFormat.json:
        sys.stdout.write(json.dumps(kpis_to_records(results), ensure_ascii=False, indent=2,
                                    default=str) + "\n")
    elif format is KpiFormat.csv:
        sys.stdout.write(kpis_frame(results).to_csv(index=False))
    else:
        sizes = (pd.Series(group_labels(event_log.cases, by)).value_counts().to_dict()
                 if by is not None else None)
        title = f"KPIs of {log.name}" + (f" by {by}" if by else "")
        print_kpis(out, results, title, by=by, group_sizes=sizes)


@app.command()
@friendly
def calibrate(
    log: Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the process "
                                                              "model (JSON).")],
    attributes: Annotated[str | None, typer.Option(
        help="Case attributes that may change routing and delays, comma separated (default: "
             "every attribute with 2-10 values).")] = None,
    min_samples: Annotated[int, typer.Option(
        help="Fewer observations than this are described by their own values, not a "
             "fitted distribution.")] = 20,
    criterion: Annotated[str, typer.Option(help="aic or bic, to choose distributions.")] = "aic",
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """Learn a simulation-ready process model from an event log and save it as JSON."""
    from calibration.fit.calibrate import CalibrationOptions
    from calibration.fit.calibrate import calibrate as fit_model
    from ui.render import print_findings
    from ui.render_model import print_model_summary

    if criterion not in ("aic", "bic"):
        raise PlannerError(f"--criterion '{criterion}': use aic or bic."
                           f"{did_you_mean(criterion, ('aic', 'bic'))}")
    result = read_with_options(log, map, sheet, date_format, max_size)
    print_findings(err, [f.to_dict() for f in result.report.findings
                         if f.level != "error" or result.log is not None])
    event_log = result.require_log()
    chosen = (tuple(a.strip() for a in attributes.split(",") if a.strip())
              if attributes is not None else None)
    options = CalibrationOptions(min_samples=min_samples, criterion=criterion,
                                 attributes=chosen)
    fitted = fit_model(event_log, result.path, options)
    print_model_summary(out, fitted.model, fitted.notes)
    written = fitted.model.save(output)
    out.print(f"Process model written to {written}")


@app.command(name="import-bps")
@friendly
def import_bps(
    bpmn: Annotated[Path, typer.Argument(help="BPMN 2.0 process model (Prosimos, Simod).")],
    params: Annotated[Path, typer.Argument(help="Prosimos simulation parameters (JSON).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the process "
                                                              "model (JSON).")],
) -> None:
    """Import a Prosimos simulation model (as Simod discovers it) as a process model."""
    from calibration.bps import import_bps as read_bps
    from ui.render_model import print_model_summary

    if output.resolve() in (bpmn.resolve(), params.resolve()):
        raise PlannerError(f"{output}: is one of the input files; write the model elsewhere.")
    if not output.parent.is_dir():
        raise PlannerError(f"{output}: the folder '{output.parent}' does not exist.")
    imported = read_bps(bpmn, params)
    print_model_summary(out, imported.model, imported.notes)
    written = imported.model.save(output)
    out.print(f"Process model written to {written}")


@app.command()
@friendly
def template(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx or FILE.csv")],
) -> None:
    """Write the data template: every column, its meaning, and example rows."""
    from calibration.template import write_template

    written = write_template(output)
    out.print(f"Template written to {written}")


@app.command()
@friendly
def sample(
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="Where to write the bundled sample log.")],
    style: Annotated[SampleStyle, typer.Option(
        help="d365 (Dynamics 365 columns), oracle (Oracle CX Sales columns) or xes.")] = (
        SampleStyle.d365),
) -> None:
    """Write the bundled lead-to-cash sample log (about 3,000 opportunities)."""
    from calibration.sample import write_sample

    written = write_sample(output, style.value)
    out.print(f"Sample log ({style.value} style) written to {written}")


@app.command()
@friendly
def demo(
    reps: Annotated[int, typer.Option("--reps", help="Replications per scenario.")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """The main job on the bundled sample: read it, learn the process, run every scenario of
    the library against the baseline and show the comparison."""
    from calibration.fit.calibrate import calibrate as fit_model
    from calibration.read import read_log
    from calibration.sample import sample_path
    from calibration.summary import summarise
    from scenarios import library
    from scenarios.comparison import Baseline, run_comparison, to_saved
    from sim.model import ProcessModel
    from ui.render import print_summary
    from ui.render_compare import print_differences
    from ui.render_fidelity import print_fidelity
    from ui.render_model import print_model_summary

    result = read_log(sample_path("d365"))
    print_summary(out, summarise(result))
    log = result.require_log()
    fitted = fit_model(log, result.path)
    print_model_summary(out, fitted.model, fitted.notes)
    baseline = Baseline(ProcessModel.from_json(fitted.model.to_json()), log)
    with _study_progress() as advance:
        comparison = run_comparison(baseline, library(), reps, seed, progress=advance)
    saved = to_saved(comparison, "demo")
    print_differences(out, saved.results, headline_only=True)
    if comparison.fidelity is not None:
        print_fidelity(out, [r.to_dict() for r in comparison.fidelity])
    _print_holdout(log, seed, -1)


@app.command()
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
) -> None:
    """Simulate a process model and write the event log it would produce."""
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from calibration.writers import SUPPORTED_SUFFIXES, file_suffix
    from sim.engine import iter_replications
    from sim.engine import simulate as run_once
    from sim.model import ProcessModel
    from ui.render import print_simulation

    suffix = file_suffix(output)
    if stream:
        _simulate_streaming(model, output, seed, reps, cases=cases, days=days, start=start,
                            warmup_days=warmup)
        return
    if suffix not in SUPPORTED_SUFFIXES:
        raise PlannerError(f"{output}: cannot write a simulated log as '{suffix or 'no suffix'}'"
                           f"; use one of {', '.join(SUPPORTED_SUFFIXES)}.")
    if not output.parent.is_dir():
        raise PlannerError(f"{output}: the folder '{output.parent}' does not exist.")
    if cases is None and days is None:
        raise PlannerError("Say how long to simulate: --cases N (new cases) or --days D.")
    if reps < 1:
        raise PlannerError(f"--reps must be at least 1 (got {reps}).")
    process_model = ProcessModel.load(model)
    options: dict[str, object] = {"cases": cases, "days": days, "start": start,
                                  "warmup_days": warmup}
    results = []
    began = time.perf_counter()
    stopped = False
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        try:
            if reps == 1:
                task = bar.add_task("simulating", total=1.0)
                results.append(run_once(process_model, seed=seed, **options,  # type: ignore[arg-type]
                                        progress=lambda share: bar.update(task, completed=share)))
            else:
                task = bar.add_task(f"{reps} replications", total=reps)
                for result in iter_replications(process_model, reps, seed=seed, n_jobs=jobs,
                                                dask_address=dask, **options):
                    results.append(result)
                    bar.advance(task)
        except KeyboardInterrupt:
            stopped = True
    seconds = time.perf_counter() - began
    if stopped and not results:
        err.print("stopped before any replication finished; nothing written.")
        raise typer.Exit(130)
    written = _write_simulation(results, output, per_replication, several=reps > 1)
    print_simulation(out, [r.log.meta for r in results], seconds, written)
    if stopped:
        err.print(f"stopped: wrote the {len(results)} of {reps} replications that had finished.")
        raise typer.Exit(130)


def _simulate_streaming(model: Path, folder: Path, seed: int, reps: int,
                        **options: object) -> None:
    """One replication written to Parquet while it runs (memory stays flat)."""
    import time

    from sim.engine import simulate as run_once
    from sim.model import ProcessModel
    from ui.render import print_simulation

    if reps != 1:
        raise PlannerError("--stream writes one replication; run several with --seed "
                           "values, or leave out --stream.")
    if options["cases"] is None and options["days"] is None:
        raise PlannerError("Say how long to simulate: --cases N (new cases) or --days D.")
    began = time.perf_counter()
    with err.status("simulating (events are written as cases finish)"):
        result = run_once(ProcessModel.load(model), seed=seed, sink=folder, **options)  # type: ignore[arg-type]
    print_simulation(out, [result.log.meta], time.perf_counter() - began, [folder])


def _write_simulation(results: list, output: Path, per_replication: bool, *,
                      several: bool) -> list[Path]:
    """One file, one file with a replication column, or one file per replication."""
    from calibration.writers import file_suffix, write_log
    from sim.engine.output import combined_log

    if not several and not per_replication:
        return [write_log(results[0].log, output)]
    if not per_replication:
        return [write_log(combined_log([r.log for r in results]), output)]
    suffix = file_suffix(output)
    stem = output.name[: len(output.name) - len(suffix)]
    return [write_log(r.log, output.with_name(f"{stem}_rep{r.log.meta['replication'] + 1}"
                                              f"{suffix}")) for r in results]


class CompareFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"


@app.command()
@friendly
def compare(
    model: Annotated[Path, typer.Argument(
        help="Process model (model.json from 'l2c calibrate') or an event log, calibrated "
             "on the fly.")],
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).")],
    reps: Annotated[int, typer.Option("--reps", help="Replications per scenario.")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same numbers).")] = 1,
    cases: Annotated[int | None, typer.Option(help="Simulate this many new cases.")] = None,
    days: Annotated[float | None, typer.Option(
        help="Simulate this many days (default: the history's period).")] = None,
    warmup: Annotated[float, typer.Option(help="Warm-up days (with --cases or --days).")] = 0,
    format: Annotated[CompareFormat, typer.Option(
        "--format", help="table, csv, json or html")] = CompareFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write csv/json/html to this file instead of the screen.")
    ] = None,
    save: Annotated[str | None, typer.Option(
        help="Save the comparison under this name (see 'l2c saved').")] = None,
    db: Annotated[Path | None, typer.Option(help="Saved-comparisons database file.")] = None,
    all_kpis: Annotated[bool, typer.Option(
        "--all", help="Show every KPI, not only the headline ones.")] = False,
    jobs: Annotated[int, typer.Option(help="Worker processes (-1: all cores).")] = -1,
    holdout: Annotated[bool, typer.Option(
        help="Given an event log, also run the holdout test (learn from the earlier 70% of "
             "cases, predict the rest) and show its headline.")] = True,
) -> None:
    """Compare scenarios with the baseline: per KPI the difference and its 95% interval."""
    from scenarios.comparison import load_baseline, run_comparison, to_saved

    if cases is not None and days is not None:
        raise PlannerError("Give --cases or --days, not both.")
    run: dict[str, object] = {}
    if cases is not None or days is not None:
        run = {"cases": cases, "days": days, "warmup_days": warmup}
    baseline = load_baseline(model, read=_read_quietly)
    with _study_progress() as advance:
        result = run_comparison(baseline, scenarios, reps, seed, run, jobs, advance)
    if result.study.stopped:
        err.print("[yellow]Stopped:[/] showing the scenarios that finished.")
    for note in result.notes:
        err.print(f"[cyan]NOTE[/] {note}", highlight=False)
    saved = to_saved(result, save or model.stem)
    if save:
        from sim.saved import SavedStore

        SavedStore(db).save(saved)
        err.print(f"Saved as '{save}'.")
    _show_comparison(saved, format, output, all_kpis)
    if holdout and baseline.history is not None and format is CompareFormat.table:
        _print_holdout(baseline.history, seed, jobs)


HOLDOUT_REPS = 3


def _print_holdout(log: EventLog, seed: int, jobs: int) -> None:
    """The headline of the holdout test: how well the model predicts the later cases."""
    from calibration.evaluate import evaluate_log

    with err.status("holdout test: learning from the earlier cases, predicting the rest"):
        report = evaluate_log(log, reps=HOLDOUT_REPS, seed=seed, n_jobs=jobs)
    for line in report.headline_text():
        out.print(line, highlight=False, markup=False)


def _read_quietly(path: Path) -> object:
    """Read a log for calibration, printing its findings on stderr."""
    from ui.render import print_findings

    result = read_with_options(path, None, None, None, None)
    print_findings(err, [f.to_dict() for f in result.report.findings
                         if f.level != "error" or result.log is not None])
    return result.require_log()


@contextlib.contextmanager
def _study_progress() -> Iterator[Callable[[int, int], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total} runs"), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("runs", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _show_comparison(saved: SavedComparison, format: CompareFormat, output: Path | None,
                     all_kpis: bool) -> None:
    from ui.render_compare import print_differences
    from ui.render_fidelity import print_fidelity

    rows = saved.results
    if format is CompareFormat.table:
        print_differences(out, rows, headline_only=not all_kpis)
        if saved.fidelity:
            print_fidelity(out, saved.fidelity)
        return
    if format is CompareFormat.json:
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif format is CompareFormat.csv:
        from ui.export import export_comparison

        text = bytes(export_comparison(saved, "csv")).decode("utf-8")  # type: ignore[arg-type]
    else:
        from ui.report import html_report

        text = html_report(saved, saved.fidelity or None)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Written to {output}")


# --- saved comparisons (``l2c saved ...``) ----------------------------------------------------

saved_app = typer.Typer(help="List, show, export, rename and delete saved comparisons.",
                        no_args_is_help=True)
app.add_typer(saved_app, name="saved")
DbOption = Annotated[Path | None, typer.Option(
    "--db", help="Saved-comparisons database (default: $L2C_SAVED_DB or "
                 "~/.l2c/saved.sqlite).")]


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
    table = Table(title=f"Saved comparisons ({len(summaries)})", title_justify="left")
    for column in ("name", "created", "model", "scenarios", "reps", "seed"):
        table.add_column(column, justify="right" if column in ("reps", "seed") else "left",
                         no_wrap=column in ("created", "reps", "seed"),
                         ratio=2 if column in ("name", "scenarios") else None)
    for s in summaries:
        table.add_row(escape(s.name), s.created[:16].replace("T", " "), escape(s.model_name),
                      escape(", ".join(s.scenarios)), str(s.replications), str(s.seed))
    out.print(table)


@saved_app.command("show")
@friendly
def saved_show(
    name: Annotated[str, typer.Argument(help="Name of the saved comparison.")],
    all_kpis: Annotated[bool, typer.Option(
        "--all", help="Show every KPI, not only the headline ones.")] = False,
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
    out.print(f"created {when(comparison.created)} · model {escape(comparison.model_name)} "
              f"({escape(comparison.model_fingerprint[:23])}…) · seed {comparison.seed}, "
              f"{comparison.replications} replications, {run_text(dict(comparison.run))}",
              highlight=False)
    print_differences(out, comparison.results, baseline_name=baseline_name(comparison),
                      headline_only=not all_kpis)


@saved_app.command("export")
@friendly
def saved_export(
    name: Annotated[str, typer.Argument(help="Name of the saved comparison.")],
    format: Annotated[ExportFormat, typer.Option(
        "--format", help="csv (KPI table), xlsx (workbook) or html (report to mail)")] = (
        ExportFormat.html),
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="File to write (default: the comparison's name in the "
                               "current folder).")] = None,
    db: DbOption = None,
) -> None:
    """Write a saved comparison as CSV, Excel or a self-contained HTML report."""
    from sim.saved import SavedStore
    from ui.export import default_path, export_comparison

    comparison = SavedStore(db).load(name)
    target = output if output is not None else default_path(comparison, format.value)
    written = export_comparison(comparison, format.value, target)
    out.print(f"Written to {written}", highlight=False, markup=False)


@saved_app.command("delete")
@friendly
def saved_delete(
    name: Annotated[str, typer.Argument(help="Name of the saved comparison.")],
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


class TargetStat(str, Enum):
    median = "median"
    p90 = "p90"
    mean = "mean"


@app.command()
@friendly
def target(
    model: Annotated[Path, typer.Argument(
        help="Process model (model.json from 'l2c calibrate') or an event log, calibrated "
             "on the fly.")],
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
    reps: Annotated[int, typer.Option("--reps", help="Replications per setting.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same numbers).")] = 1,
    cases: Annotated[int | None, typer.Option(help="Simulate this many new cases.")] = None,
    days: Annotated[float | None, typer.Option(
        help="Simulate this many days (default: the history's period).")] = None,
    warmup: Annotated[float, typer.Option(help="Warm-up days (with --cases or --days).")] = 0,
    format: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = (
        OutputFormat.table),
    jobs: Annotated[int, typer.Option(help="Worker processes (-1: all cores).")] = -1,
) -> None:
    """What must change, and by how much, to move a KPI by a target (e.g. sales cycle -25%)."""
    from calibration.fidelity import history_run
    from scenarios.comparison import load_baseline
    from scenarios.target import find_target, generate_levers, parse_change
    from ui.render_target import print_levers, print_target

    if cases is not None and days is not None:
        raise PlannerError("Give --cases or --days, not both.")
    if reps < 1:
        raise PlannerError(f"--reps must be at least 1 (got {reps}).")
    if not list_levers and (kpi is None or change is None):
        raise PlannerError("Say what to reach: --kpi KPI --change -25% (or --list-levers to "
                           "see the levers).")
    target_change = parse_change(change) if change is not None else 0.0
    process_model = load_baseline(model, read=_read_quietly).model
    if list_levers:
        print_levers(out, generate_levers(process_model))
        return
    run: dict[str, object] = (
        {"cases": cases, "days": days, "warmup_days": warmup}
        if cases is not None or days is not None else history_run(process_model))
    with _target_progress() as progress:
        report = find_target(process_model, str(kpi), target_change, stat=stat.value,
                             levers=lever, replications=reps, seed=seed, n_jobs=jobs,
                             run=run, progress=progress)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2,
                                    default=str) + "\n")
    else:
        print_target(out, report)


@contextlib.contextmanager
def _target_progress() -> Iterator[Callable[[int, int, str], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("baseline", total=None)

        def advance(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what or "simulating")

        yield advance


@app.command(name="ui")
@friendly
def ui_app(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    host: Annotated[str, typer.Option(
        help="Address to listen on. 127.0.0.1 keeps the app on this computer; 0.0.0.0 shares "
             "it with your network.")] = "127.0.0.1",
    max_upload_mb: Annotated[int, typer.Option(
        "--max-upload-mb", help="Largest file the app accepts, in MB.")] = 200,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Start with the bundled sample log loaded.")] = False,
    open_browser: Annotated[bool, typer.Option(
        "--open/--no-open", help="Open the app in your web browser once it is up.")] = True,
) -> None:
    """Open the planner's web app: upload a log, see the model, build scenarios, compare
    them, set targets and keep the comparisons you save."""
    from ui.app.launch import serve

    raise typer.Exit(serve(host, port, max_upload_mb, sample=sample, open_browser=open_browser,
                           say=out.print))


class EvaluateFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


@app.command()
@friendly
def evaluate(
    log: Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")],
    split: Annotated[float | None, typer.Option(
        help="Share of the cases (by start) to learn from; the rest is the test period "
             "(default 0.7).")] = None,
    split_date: Annotated[str | None, typer.Option(
        "--split-date", help="Learn from cases begun before this date, e.g. 2024-09-01.")
    ] = None,
    reps: Annotated[int, typer.Option("--reps", help="Replications (at least 2).")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same numbers).")] = 1,
    format: Annotated[EvaluateFormat, typer.Option(
        "--format", help="table, json or html")] = EvaluateFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write json/html to this file instead of the screen.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes (-1: all cores).")] = -1,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """How far to trust a model: learn it from the earlier part of the log, simulate the
    later part, and compare KPIs and log distances (with their noise floor)."""
    from calibration.evaluate import evaluate_log
    from calibration.evaluate.render import html_report, print_report

    event_log = _read_quietly_with(log, map, sheet, date_format, max_size)
    report = evaluate_log(
        event_log, split, split_date, reps=reps, seed=seed, n_jobs=jobs,
        progress=lambda step: err.print(f"[dim]{step} ...[/]", highlight=False))
    if format is EvaluateFormat.table:
        print_report(out, report)
        return
    text = (json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
            if format is EvaluateFormat.json else html_report(report))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Written to {output}")


def _read_quietly_with(log: Path, map: list[str] | None, sheet: str | None,
                       date_format: str | None, max_size: float | None) -> object:
    """Read a log with the shared options, printing its findings on stderr."""
    from ui.render import print_findings

    result = read_with_options(log, map, sheet, date_format, max_size)
    print_findings(err, [f.to_dict() for f in result.report.findings
                         if f.level != "error" or result.log is not None])
    return result.require_log()


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
