"""Comparing scenario files against a baseline: the work behind ``l2c compare`` and the app.

The baseline is a process model file, or an event log calibrated on the fly (then the
history is at hand and the simulated baseline is checked against it). Scenario files are
loaded, checked against the model and applied; the baseline and every scenario are run
with the same seeds, and the result can be saved as a comparison that re-runs to the same
numbers. Given costs (a costs file, or a scenario's own ``costs:``), each scenario also gets
its business case (``sim.business_case``), priced from the same replications.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import yaml

from calibration.fidelity import FidelityRow, compare_with_history, history_run
from calibration.read import read_log
from scenarios import LIBRARY
from scenarios.apply import apply_scenario
from scenarios.costs_file import parse_costs_text
from scenarios.load import load_scenario, parse_scenario
from scenarios.schema import Scenario
from sim import run_length, workers
from sim.bounds import check_model, load_model
from sim.business_case import BusinessCase, study_business_case
from sim.compare import Difference, compare
from sim.costs import Costs, check_change_names, check_prices, data_currency
from sim.errors import PlannerError, did_you_mean
from sim.eventlog import EventLog
from sim.kpi_roles import Detection
from sim.materiality import DEFAULT, Thresholds
from sim.model import ProcessModel
from sim.over_time import HISTORY_OVER_TIME, history_series
from sim.precision import Replications
from sim.run_length import RunLength
from sim.saved import SavedComparison, SavedScenario
from sim.study import BASELINE, Progress, Study, run_study

MODEL_SUFFIX = ".json"
T = TypeVar("T")
DURATION_KEYS = {"shift", "cap"}


@dataclass
class Baseline:
    model: ProcessModel
    history: EventLog | None = None  # the log it was calibrated from, when at hand
    notes: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    baseline: Baseline
    scenarios: list[Scenario]
    study: Study
    fidelity: list[FidelityRow] | None
    notes: list[str] = field(default_factory=list)
    costs: Costs | None = None  # the costs file's, when one was given
    business_case: BusinessCase | None = None  # given costs (a file or a scenario's own)


def load_baseline(path: Path, read: Callable[[Path], EventLog] | None = None,
                  roles: Callable[[EventLog], Detection] | None = None) -> Baseline:
    """A model file as it is, or an event log calibrated now (``read`` reads it, ``roles``
    finds which activities play which lead-to-cash role: detected by default); the history
    and the model carry those roles."""
    if path.suffix.lower() == MODEL_SUFFIX:
        return Baseline(load_model(path))
    # Calibration (and scipy.stats with it) is imported only when a log is to be learned: a
    # comparison on a model file answers without it.
    from calibration.roles import calibrate_with_roles, detect_roles

    log = read(path) if read is not None else read_log(path).require_log()
    found = roles(log) if roles is not None else detect_roles(log)
    log = replace(log, roles=found.roles)
    fitted = calibrate_with_roles(log, path, found=found)
    # Run what a saved comparison stores (the model as written to JSON), so a re-run from
    # the saved file gives the very same numbers.
    return Baseline(ProcessModel.from_json(fitted.model.to_json()), log, fitted.notes)


def prepare_scenarios(model: ProcessModel, paths: list[Path]
                      ) -> tuple[list[Scenario], list[tuple[str, ProcessModel]], list[str]]:
    """Load and apply every scenario file; names must be unique. A library scenario that
    does not apply to this model (a purchasing log has no invoice to automate) is left out
    with a note saying what is missing; one of the user's own that does not apply stops."""
    scenarios: list[Scenario] = []
    changed: list[tuple[str, ProcessModel]] = []
    notes: list[str] = []
    left_out: list[str] = []
    for path in paths:
        scenario = load_scenario(path)
        if scenario.name in [s.name for s in scenarios] or scenario.name == BASELINE:
            raise PlannerError(f"{path}: another scenario is already called "
                               f"'{scenario.name}'; give each scenario its own name.")
        try:
            model_changed, scenario_notes = apply_scenario(model, scenario)
        except PlannerError as error:
            if path.resolve().parent != LIBRARY.resolve():
                raise
            left_out.append(f"{scenario.name} is left out: {error}")
            continue
        scenarios.append(scenario)
        changed.append((scenario.name, model_changed))
        notes += [f"{scenario.name}: {note}" for note in scenario_notes]
    if left_out and not scenarios:
        raise PlannerError("No scenario applies to this model. " + " ".join(left_out))
    return scenarios, changed, left_out + notes


def check_costs(costs: Costs | None, baseline: ProcessModel, scenarios: list[Scenario],
                models: list[tuple[str, ProcessModel]], source: str = "costs") -> None:
    """Every price names a pool, person or activity of the study's models, and every fixed
    cost a scenario of it: checked before any simulation."""
    if costs is not None:
        check_prices(costs, [baseline, *(m for _, m in models)], source)
        check_change_names(costs, [s.name for s in scenarios], source)
    for scenario, (_, model) in zip(scenarios, models, strict=True):
        if scenario.costs is not None:
            check_prices(scenario.costs, [baseline, model],
                         f"{scenario.source or scenario.name}: costs")


def business_case_of(study: Study, scenarios: list[Scenario], costs: Costs | None,
                     currency: str | None) -> BusinessCase | None:
    """The study priced by the costs file and the scenarios' own costs; None without any."""
    own = {s.name: s.costs for s in scenarios}
    if costs is None and not any(own.values()):
        return None
    return study_business_case(study, costs or Costs(), own,
                               (costs.currency if costs else None) or currency)


def run_comparison(baseline: Baseline, scenario_paths: list[Path],
                   replications: int | Replications | None = None, seed: int = 1,
                   run: RunLength | None = None, n_jobs: int = -1,
                   progress: Progress | None = None, thresholds: Thresholds = DEFAULT,
                   costs: Costs | None = None, costs_source: str = "costs",
                   detail: bool = False, parts: bool = False) -> Comparison:
    """Baseline and scenarios with common random numbers. Without ``run`` the history's
    period is replayed, and the baseline is checked against the history when it is known.
    ``replications``: a fixed count, or (None) until every headline KPI is decided.
    ``costs`` (read from ``costs_source``) prices the business case; its currency, else the
    history's currency column, names the money. ``detail``: also the weeks and the process
    maps the pages, the html report, csv and ``--over-time`` show (the table needs none);
    ``parts``: also the map of each part of the cases, for the map filter of the Compare and
    Saved pages."""
    workers.pool(n_jobs)  # the workers start while the scenarios are read and checked
    scenarios, models, notes = prepare_scenarios(baseline.model, scenario_paths)
    check_costs(costs, baseline.model, scenarios, models, costs_source)
    settings = run if run else history_run(baseline.model)
    study = run_study(baseline.model, models, replications or Replications(), seed, n_jobs,
                      progress, thresholds, detail=detail, parts=parts, run=settings)
    fidelity = None
    if baseline.history is not None and not run and BASELINE in study.per_rep:
        fidelity = compare_with_history(baseline.history, study.per_rep[BASELINE])
        if detail:
            study.charts[BASELINE][HISTORY_OVER_TIME] = history_series(baseline.history,
                                                                       baseline.model)
    elif baseline.history is None:
        notes.append("The history is not at hand (a model file was given), so the "
                     "simulated baseline is not checked against it; give the event log "
                     "instead to see how far to trust it.")
    currency = data_currency(baseline.history.cases) if baseline.history is not None else None
    return Comparison(baseline, scenarios, study, fidelity, baseline.notes + notes, costs,
                      business_case_of(study, scenarios, costs, currency))


def reference_name(reference: str, scenarios: list[Scenario]) -> str:
    """The scenario meant by ``reference`` (its name, or the file it was read from), with
    at least one other to compare with it: checked before any simulation."""
    by_source = {str(Path(s.source).resolve()): s.name for s in scenarios if s.source}
    names = [s.name for s in scenarios]
    name = by_source.get(str(Path(reference).resolve()), reference)
    if name not in names:
        raise PlannerError(f"--against: no scenario '{reference}' in this comparison."
                           f"{did_you_mean(reference, names)} Give the name or the file of "
                           f"one of: {', '.join(names)}.")
    if len(names) < 2:
        raise PlannerError(f"--against '{name}': give at least one other scenario to compare "
                           "with it.")
    return name


def against(study: Study, name: str, thresholds: Thresholds = DEFAULT) -> list[Difference]:
    """Every other scenario against the scenario ``name``, KPI by KPI: the members ran with
    the same seeds, so any two are paired replication by replication (over the
    replications both ran), as each is with the baseline."""
    reference = study.per_rep[name]
    return [d for other in study.names[1:] if other != name
            for d in compare(other, *_paired(reference, study.per_rep[other]), thresholds)]


def _paired(first: list[T], second: list[T]) -> tuple[list[T], list[T]]:
    """The replications two members both ran (each ran 0..R-1 for its own R)."""
    both = min(len(first), len(second))
    return first[:both], second[:both]


def to_saved(comparison: Comparison, name: str) -> SavedComparison:
    """Everything needed to show the comparison again and to re-run it."""
    model = comparison.baseline.model
    study = comparison.study
    return SavedComparison(
        name=name, model_name=model.name, model_fingerprint=model.provenance.fingerprint,
        model_json=model.to_json(),
        scenarios=[SavedScenario(s.name, s.source, s.text, resolved_yaml(s))
                   for s in comparison.scenarios],
        seed=study.seed, replications=study.replications,
        member_replications=dict(study.counts), run=run_length.as_json(study.run),
        results=list(study.differences), charts=study.charts,
        fidelity=list(comparison.fidelity or []),
        costs=costs_yaml(comparison.costs),
        business_case=comparison.business_case)


def costs_yaml(costs: Costs | None) -> str:
    """The costs file as saved: what it said, without the defaults."""
    if costs is None:
        return ""
    return yaml.safe_dump(costs.model_dump(mode="json", exclude_defaults=True),
                          allow_unicode=True, sort_keys=False)


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario with everything it extends written out: re-runnable on its own."""
    changes: list[dict[str, object]] = []
    for change in scenario.changes:
        if change.settings is None:  # a skip: it names its activity alone
            changes.append({"skip": change.activity})
        else:
            settings = change.settings.model_dump(mode="json", by_alias=True, exclude_none=True)
            for key in DURATION_KEYS & settings.keys():  # durations are written with a unit
                settings[key] = f"{settings[key]}s"
            changes.append({change.kind: settings})
    resolved: dict[str, object] = {"name": scenario.name, "description": scenario.description,
                                   "changes": changes}
    if scenario.costs is not None:
        resolved["costs"] = scenario.costs.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(resolved, allow_unicode=True, sort_keys=False)


def rerun(saved: SavedComparison, n_jobs: int = -1, progress: Progress | None = None,
          parts: bool = False) -> Study:
    """Run a saved comparison again from what was saved: the same numbers come out, with
    its weeks and maps (``parts``: and the map of each part of the cases)."""
    model, scenarios = _saved_inputs(saved)
    models = [(scenario.name, apply_scenario(model, scenario)[0]) for scenario in scenarios]
    return run_study(model, models, saved.replications, saved.seed, n_jobs, progress,
                     parts=parts, run=saved.run, counts=saved.member_replications or None)


def reprice(saved: SavedComparison, study: Study) -> BusinessCase | None:
    """The business case of a saved comparison's re-run ``study``, priced as it was saved."""
    _, scenarios = _saved_inputs(saved)
    source = f"saved comparison '{saved.name}'"
    costs = parse_costs_text(saved.costs, f"{source}: costs") if saved.costs else None
    currency = saved.business_case.currency if saved.business_case is not None else None
    return business_case_of(study, scenarios, costs, currency)


def _saved_inputs(saved: SavedComparison) -> tuple[ProcessModel, list[Scenario]]:
    source = f"saved comparison '{saved.name}'"
    model = check_model(ProcessModel.from_json(saved.model_json, source), source)
    return model, [parse_scenario(entry.resolved or "", entry.source or entry.name)
                   for entry in saved.scenarios]
