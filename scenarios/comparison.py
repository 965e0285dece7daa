"""Comparing scenario files against a baseline: the work behind ``l2c compare`` and the app.

The baseline is a process model file, or an event log calibrated on the fly (then the
history is at hand and the simulated baseline is checked against it). Scenario files are
loaded, checked against the model and applied; the baseline and every scenario are run
with the same seeds, and the result can be saved as a comparison that re-runs to the same
numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from calibration.fidelity import FidelityRow, compare_with_history, history_run
from calibration.read import read_log
from calibration.roles import calibrate_with_roles, detect_roles
from scenarios.apply import apply_scenario
from scenarios.load import load_scenario, parse_scenario
from scenarios.schema import Scenario
from sim.bounds import check_model, load_model
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpi_roles import Detection
from sim.materiality import DEFAULT, Thresholds
from sim.model import ProcessModel
from sim.precision import Replications
from sim.saved import SavedComparison
from sim.study import BASELINE, Progress, Study, run_study

MODEL_SUFFIX = ".json"
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


def load_baseline(path: Path, read: Callable[[Path], EventLog] | None = None,
                  roles: Callable[[EventLog], Detection] | None = None) -> Baseline:
    """A model file as it is, or an event log calibrated now (``read`` reads it, ``roles``
    finds which activities play which lead-to-cash role: detected by default); the history
    and the model carry those roles."""
    if path.suffix.lower() == MODEL_SUFFIX:
        return Baseline(load_model(path))
    log = read(path) if read is not None else read_log(path).require_log()
    found = roles(log) if roles is not None else detect_roles(log)
    log = replace(log, roles=found.roles)
    fitted = calibrate_with_roles(log, path, found=found)
    # Run what a saved comparison stores (the model as written to JSON), so a re-run from
    # the saved file gives the very same numbers.
    return Baseline(ProcessModel.from_json(fitted.model.to_json()), log, fitted.notes)


def prepare_scenarios(model: ProcessModel, paths: list[Path]
                      ) -> tuple[list[Scenario], list[tuple[str, ProcessModel]], list[str]]:
    """Load and apply every scenario file; names must be unique."""
    scenarios, changed, notes = [], [], []
    for path in paths:
        scenario = load_scenario(path)
        if scenario.name in [s.name for s in scenarios] or scenario.name == BASELINE:
            raise PlannerError(f"{path}: another scenario is already called "
                               f"'{scenario.name}'; give each scenario its own name.")
        model_changed, scenario_notes = apply_scenario(model, scenario)
        scenarios.append(scenario)
        changed.append((scenario.name, model_changed))
        notes += [f"{scenario.name}: {note}" for note in scenario_notes]
    return scenarios, changed, notes


def run_comparison(baseline: Baseline, scenario_paths: list[Path],
                   replications: int | Replications | None = None, seed: int = 1,
                   run: dict[str, object] | None = None, n_jobs: int = -1,
                   progress: Progress | None = None, thresholds: Thresholds = DEFAULT
                   ) -> Comparison:
    """Baseline and scenarios with common random numbers. Without ``run`` the history's
    period is replayed, and the baseline is checked against the history when it is known.
    ``replications``: a fixed count, or (None) until every headline KPI is decided."""
    scenarios, models, notes = prepare_scenarios(baseline.model, scenario_paths)
    settings = run if run else history_run(baseline.model)
    study = run_study(baseline.model, models, replications or Replications(), seed, n_jobs,
                      progress, thresholds, **settings)
    fidelity = None
    if baseline.history is not None and not run and BASELINE in study.per_rep:
        fidelity = compare_with_history(baseline.history, study.per_rep[BASELINE])
    elif baseline.history is None:
        notes.append("The history is not at hand (a model file was given), so the "
                     "simulated baseline is not checked against it; give the event log "
                     "instead to see how far to trust it.")
    return Comparison(baseline, scenarios, study, fidelity, baseline.notes + notes)


def to_saved(comparison: Comparison, name: str) -> SavedComparison:
    """Everything needed to show the comparison again and to re-run it."""
    model = comparison.baseline.model
    study = comparison.study
    return SavedComparison(
        name=name, model_name=model.name, model_fingerprint=model.provenance.fingerprint,
        model_json=model.to_json(),
        scenarios=[{"name": s.name, "source": s.source, "text": s.text,
                    "resolved": resolved_yaml(s)} for s in comparison.scenarios],
        seed=study.seed, replications=study.replications,
        run={k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in study.run.items()},
        results=[d.to_dict() for d in study.differences], charts=study.charts,
        fidelity=[r.to_dict() for r in comparison.fidelity or []])


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario with everything it extends written out: re-runnable on its own."""
    changes = []
    for change in scenario.changes:
        if change.kind == "skip":
            changes.append({"skip": change.activity})
        else:
            settings = change.settings.model_dump(mode="json", by_alias=True,  # type: ignore[union-attr]
                                                  exclude_none=True)
            for key in DURATION_KEYS & settings.keys():  # durations are written with a unit
                settings[key] = f"{settings[key]}s"
            changes.append({change.kind: settings})
    return yaml.safe_dump({"name": scenario.name, "description": scenario.description,
                           "changes": changes}, allow_unicode=True, sort_keys=False)


def rerun(saved: SavedComparison, n_jobs: int = -1, progress: Progress | None = None
          ) -> Study:
    """Run a saved comparison again from what was saved: the same numbers come out."""
    source = f"saved comparison '{saved.name}'"
    model = check_model(ProcessModel.from_json(saved.model_json, source), source)
    models = []
    for entry in saved.scenarios:
        scenario = parse_scenario(entry["resolved"], entry.get("source") or entry["name"])
        models.append((scenario.name, apply_scenario(model, scenario)[0]))
    return run_study(model, models, saved.replications, saved.seed, n_jobs, progress,
                     **saved.run)
