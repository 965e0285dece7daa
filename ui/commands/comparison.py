"""Commands that compare scenarios with a baseline: ``compare`` and ``demo``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError
from sim.precision import MAXIMUM, Replications, parse_replications
from ui.commands.common import (
    AllKpisOption,
    CasesOption,
    DaysOption,
    ForceOption,
    JobsOption,
    LangOption,
    Language,
    ModelOrLogArgument,
    SeedOption,
    WarmupOption,
    check_overwrite,
    check_reps,
    err,
    friendly,
    out,
    read_log_printing_findings,
    requested_run,
    write_text,
)
from ui.commands.own_kpis import KpisOption, with_own_kpis
from ui.commands.roles import RoleOption, RolesFileOption, log_roles

if TYPE_CHECKING:
    from sim.compare import Difference
    from sim.eventlog import EventLog
    from sim.saved import SavedComparison

RepsOption = Annotated[str, typer.Option(
    "--reps", metavar="auto|N",
    help="Replications per scenario: auto runs batches until every headline KPI's difference "
         "is decided at its practical threshold (its 95% interval narrower than the "
         "threshold, or clearly inside or beyond it), up to --max-reps; a number runs "
         "exactly that many.")]
MaxRepsOption = Annotated[int, typer.Option(
    "--max-reps", help="With --reps auto: the most replications per scenario.")]
ThresholdOption = Annotated[list[str] | None, typer.Option(
    "--threshold", metavar="KPI=VALUE",
    help="A KPI's practical threshold: a difference gets a verdict (better, worse) only when "
         "it is significant and larger than this. VALUE in days for durations, percentage "
         "points for rates, the KPI's unit otherwise, or 5% of the baseline; a KPI id "
         "(sales_cycle, waiting_time:Quote Approved) or a block (waiting_time). Repeatable. "
         "Defaults: the smaller of half a day and 1% for durations (of a quarter day and 5% "
         "for invoice_lag), 1 pp for rates, 1% otherwise.")]


class CompareFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"


@friendly
def demo(
    reps: RepsOption = "auto",
    max_reps: MaxRepsOption = MAXIMUM,
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
    plan = replications_plan(reps, max_reps)
    baseline = Baseline(ProcessModel.from_json(fitted.model.to_json()), log)
    with _study_progress() as advance:
        comparison = run_comparison(baseline, library(), plan, seed, progress=advance)
    saved = to_saved(comparison, "demo")
    print_differences(out, saved.results, headline_only=True)
    _print_precision(saved.results)
    if comparison.fidelity is not None:
        print_fidelity(out, comparison.fidelity)
    _print_holdout(log, seed, -1)


@friendly
def compare(
    model: ModelOrLogArgument,
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).")],
    reps: RepsOption = "auto",
    max_reps: MaxRepsOption = MAXIMUM,
    seed: SeedOption = 1,
    cases: CasesOption = None,
    days: DaysOption = None,
    warmup: WarmupOption = 0,
    format: Annotated[CompareFormat, typer.Option(
        "--format", help="table, csv, json or html")] = CompareFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write csv/json/html to this file instead of the screen.")
    ] = None,
    force: ForceOption = False,
    lang: LangOption = Language.en,
    save: Annotated[str | None, typer.Option(
        help="Save the comparison under this name (see 'l2c saved').")] = None,
    db: Annotated[Path | None, typer.Option(help="Saved-comparisons database file.")] = None,
    all_kpis: AllKpisOption = False,
    jobs: JobsOption = -1,
    threshold: ThresholdOption = None,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    kpis_file: KpisOption = None,
    holdout: Annotated[bool, typer.Option(
        help="Given an event log, also run the holdout test (learn from the earlier 70% of "
             "cases, predict the rest) and show its headline.")] = True,
    costs: Annotated[Path | None, typer.Option(
        "--costs", help="A costs file (YAML): the currency, the cost of a working hour per "
                        "pool or person, the cost of each occurrence of an activity and each "
                        "scenario's fixed cost. Adds the business case of every scenario.")
    ] = None,
    against: Annotated[str | None, typer.Option(
        "--against", metavar="SCENARIO",
        help="Compare every other scenario with this one (its name or its file) instead of "
             "with the baseline: paired replication by replication, as with the baseline. "
             "Table and json formats; the business case stays against the baseline.")
    ] = None,
    over_time: Annotated[bool, typer.Option(
        "--over-time", help="Also show work in progress, and each pool's queue and busy "
                            "share, week by week with 95% intervals (and the history's, "
                            "given an event log): the table shows each one's busiest week, "
                            "json every week under 'over_time'.")] = False,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="ATTRIBUTE",
        help="Also measure each headline KPI per value of this case attribute (lead_source, "
             "region, deal_size ...), each scenario against the baseline with paired 95% "
             "intervals, as 'l2c kpis --by' groups a log: the table shows the KPIs moved "
             "most, json all of them under 'segments', the html report a chart and a table; "
             "kept with --save.")] = None,
) -> None:
    """Compare scenarios with the baseline: per KPI the difference and its 95% interval."""
    from scenarios.comparison import load_baseline, run_comparison, to_saved
    from scenarios.costs_file import read_costs
    from sim.materiality import Thresholds, judge, parse_rule, with_rules
    from sim.study import BASELINE
    from ui.chart_bands import enrich

    rules = dict(parse_rule(text) for text in threshold or [])  # a typo stops before the run
    reference = _reference(against, scenarios, save, format)
    prices = read_costs(costs)[0] if costs is not None else None
    check_overwrite(output, force=force)
    run = requested_run(cases, days, warmup) or {}
    plan = replications_plan(reps, max_reps)
    baseline = load_baseline(
        model, read=lambda path: with_own_kpis(read_log_printing_findings(path), kpis_file),
        roles=lambda log: log_roles(log, role, roles_file))
    if by is not None:
        from scenarios.by_segment import checked_attribute, comparison_segments

        checked_attribute(baseline.model, by)  # a typo stops before the run
    with _study_progress() as advance:
        result = enrich(run_comparison(baseline, scenarios, plan, seed, run, jobs, advance,
                                       Thresholds(kpis=rules), prices, str(costs),
                                       detail=_charted(format, over_time, save),
                                       parts=bool(save)))  # the Saved page's map filter
    if result.study.stopped:
        err.print("[yellow]Stopped:[/] showing the scenarios that finished.")
    for note in result.notes:
        err.print(f"[cyan]NOTE[/] {note}", highlight=False)
    saved = to_saved(result, save or model.stem)
    if by is not None and result.study.names[1:]:
        with _study_progress() as advance:
            saved.segments = comparison_segments(result, by, jobs, advance)
    if reference is not None:  # the same rows, each scenario against the reference
        from dataclasses import replace

        from scenarios.comparison import against as against_reference

        saved.results = [replace(row, against=reference) for row in
                         against_reference(result.study, reference, Thresholds(kpis=rules))]
    if rules:
        thresholds = with_rules(rules, (row.kpi for row in saved.results))
        saved.results = [judge(row, thresholds) for row in saved.results]
    if save:
        from sim.saved import SavedStore

        SavedStore(db).save(saved)
        err.print(f"Saved as '{save}'.")
    _show_comparison(saved, format, output, all_kpis, lang.value, reference or BASELINE,
                     over_time)
    if holdout and baseline.history is not None and format is CompareFormat.table:
        _print_holdout(baseline.history, seed, jobs)


def _charted(format: CompareFormat, over_time: bool, save: str | None) -> bool:
    """Whether the output shows weeks or maps (csv, html, ``--over-time``, the Saved page):
    the table and json alone need neither, so their replications measure neither."""
    return over_time or bool(save) or format in (CompareFormat.csv, CompareFormat.html)


def _reference(against: str | None, scenarios: list[Path], save: str | None,
               format: CompareFormat) -> str | None:
    """The scenario ``--against`` names, checked before any work (None: the baseline)."""
    if against is None:
        return None
    if save or format in (CompareFormat.csv, CompareFormat.html):
        raise PlannerError("--against shows scenario against scenario as a table or json; "
                           "leave out --save and --format csv/html, or --against.")
    from scenarios.comparison import reference_name
    from scenarios.load import load_scenario

    return reference_name(against, [load_scenario(path) for path in scenarios])


def replications_plan(reps: str, max_reps: int) -> Replications:
    """``--reps auto|N`` and ``--max-reps`` as a plan, checked before any work."""
    check_reps(max_reps)
    plan = parse_replications(reps, max_reps)
    if plan.fixed is not None:
        check_reps(plan.fixed)
    return plan


def _print_precision(rows: list[Difference]) -> None:
    from ui.precision_text import precision_summary

    text = precision_summary(rows)
    if text:
        out.print(text, highlight=False, markup=False)


@contextlib.contextmanager
def _study_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr counting the simulation runs of a comparison."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total} runs"), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("runs", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _show_comparison(saved: SavedComparison, format: CompareFormat, output: Path | None,
                     all_kpis: bool, language: str, baseline_name: str,
                     over_time: bool = False) -> None:
    from sim.study import BASELINE
    from ui.render_compare import print_differences
    from ui.render_fidelity import print_fidelity

    rows = saved.results
    if format is CompareFormat.table:
        print_differences(out, rows, baseline_name, headline_only=not all_kpis)
        _print_precision(rows)
        case = saved.business_case
        if case is not None:
            from ui.render_business_case import print_business_case

            print_business_case(out, case)
        if saved.fidelity:
            print_fidelity(out, saved.fidelity)
        if over_time:
            from ui.render_over_time import print_over_time

            print_over_time(out, saved.charts, BASELINE)
        if saved.segments is not None:
            from ui.render_segments import print_segments

            print_segments(out, saved.segments)
        return
    if format is CompareFormat.json:
        # Without costs, --over-time or --by the rows alone, as ever; else an object with them.
        extra: dict[str, object] = {}
        if saved.business_case is not None:
            extra["business_case"] = saved.business_case.to_dict()
        if over_time:
            from ui.render_over_time import members_series

            extra["over_time"] = members_series(saved.charts, BASELINE)
        if saved.segments is not None:
            extra["segments"] = saved.segments.to_dict()
        records = [row.to_dict() for row in rows]
        shape: object = {"differences": records, **extra} if extra else records
        text = json.dumps(shape, ensure_ascii=False, indent=2) + "\n"
    elif format is CompareFormat.csv:
        from ui.export import comparison_bytes

        text = comparison_bytes(saved, "csv", language).decode("utf-8")
    else:
        from ui.report import html_report

        text = html_report(saved, saved.fidelity or None, language)
    write_text(text, output)


def _print_holdout(log: EventLog, seed: int, jobs: int) -> None:
    """The headline of the holdout test: how well the model predicts the later cases."""
    from calibration.evaluate import HEADLINE_REPS, evaluate_log
    from sim.kpi_roles import ActivityRoles, in_effect

    try:
        with err.status("holdout test: learning from the earlier cases, predicting the rest"
                        ), in_effect(log.roles or ActivityRoles.default()):
            report = evaluate_log(log, reps=HEADLINE_REPS, seed=seed, n_jobs=jobs)
    except PlannerError as error:  # the comparison stands; only the extra check is missing
        err.print(f"NOTE     Holdout test not run: {error}", highlight=False, markup=False)
        return
    for line in report.headline_text():
        out.print(line, highlight=False, markup=False)
