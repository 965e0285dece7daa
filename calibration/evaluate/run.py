"""``evaluate_log``: calibrate on the earlier part of a log, simulate the later part, compare.

Steps: split the log by case start (``split``), learn the model from the training part only
(``calibrate``), simulate the test period with a warm-up (``window``), keep on both sides the
cases begun in the compared window, then measure KPIs (``kpis``), log distances and their
noise floor (``distances``) and what makes up the cycle-time error (``findings``).
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from calibration.evaluate import distances as dist
from calibration.evaluate.findings import TOP, cycle_summary, find
from calibration.evaluate.kpis import compare_kpis
from calibration.evaluate.recent_past import recent_past
from calibration.evaluate.report import DistanceRow, EvaluationReport
from calibration.evaluate.resolution import dates_only, to_days
from calibration.evaluate.split import (
    Holdout,
    begun_between,
    case_ids,
    cases_of,
    split_log,
)
from calibration.evaluate.volume_shift import volume_shift
from calibration.evaluate.window import Window, comparison_window
from calibration.fit.calibrate import (
    AUTO,
    LEARNING_PART_NOTES,
    TUNING_NOTES,
    CalibrationOptions,
    Note,
    current_regime,
    describe_changes,
)
from calibration.fit.prepared import prepare
from sim.engine import iter_replications
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpis import KpiResult, compute_kpis
from sim.model import ProcessModel

Progress = Callable[[str], None]
HEADLINE_REPS = 3  # replications behind the headline shown next to a model or comparison
PAST_NOTE = ("Recent past: the same distances between the real compared cases and the real "
             "cases begun in as many whole weeks just before the split, moved onto the compared "
             "window: what planning on the process as it ran just before the split would give. "
             "Where the model is no farther than that, the rest of its miss is the process "
             "changing after the split.")


@dataclass(frozen=True)
class EvaluateOptions:
    reps: int = 5
    seed: int = 1
    n_jobs: int = -1
    warmup_days: float | None = None  # None: the training P90 case duration, 30-365 days
    noise_splits: int = 3
    max_cases: int = dist.MAX_CASES
    cfld_cap: int = dist.CFLD_CAP
    top: int = TOP

    def __post_init__(self) -> None:
        if isinstance(self.reps, bool) or not isinstance(self.reps, int) or self.reps < 2:
            raise PlannerError(f"--reps {self.reps!r}: the 95% interval needs at least 2 "
                               "replications.")


class MoreOptions(TypedDict, total=False):
    """The ``EvaluateOptions`` an evaluation takes by keyword besides reps, seed and jobs."""

    warmup_days: float | None
    noise_splits: int
    max_cases: int
    cfld_cap: int
    top: int


def evaluate_log(log: EventLog, split: float | None = None, split_date: object = None, *,
                 reps: int = 5, seed: int = 1, n_jobs: int = -1, since: str = AUTO,
                 tune: bool = False, progress: Progress | None = None,
                 **options: Unpack[MoreOptions]) -> EvaluationReport:
    """The holdout fidelity report of ``log``: calibrate on the cases begun before the split
    (default: the first 70% of the cases; ``since`` and ``tune`` as in
    ``CalibrationOptions``), simulate the rest of the log, compare.

    ``options`` are further ``EvaluateOptions`` (warmup_days, noise_splits, max_cases,
    cfld_cap, top).
    """
    opts = EvaluateOptions(reps=reps, seed=seed, n_jobs=n_jobs, **options)
    holdout = split_log(log, split, split_date)
    _say(progress, f"learning the model from {holdout.train_cases:,} cases begun before "
                   f"{holdout.split_date:%Y-%m-%d}")
    from calibration.roles import calibrate_with_roles  # it imports this package's tuning

    # the model keeps the log's roles and own KPIs, so simulated logs measure them alike
    calibration = calibrate_with_roles(holdout.train,
                                       options=CalibrationOptions(since=since, tune=tune),
                                       progress=progress)
    report = evaluate_holdout(holdout, calibration.model, opts, progress, whole=log)
    learned_from = [n.text for n in calibration.findings
                    if n.key in (*LEARNING_PART_NOTES, *TUNING_NOTES)]
    report.add_context(changed_after(log, holdout.split_date), first=True)
    report.notes = learned_from + report.notes
    return report


def evaluate_model(log: EventLog, model: ProcessModel, split: float | None = None,
                   split_date: object = None, *, reps: int = 5, seed: int = 1,
                   n_jobs: int = -1, progress: Progress | None = None,
                   **options: Unpack[MoreOptions]) -> EvaluationReport:
    """The same report for a model made elsewhere, against the test part of ``log``."""
    opts = EvaluateOptions(reps=reps, seed=seed, n_jobs=n_jobs, **options)
    holdout = split_log(log, split, split_date)
    report = evaluate_holdout(holdout, model, opts, progress, whole=log)
    report.add_context(changed_after(log, holdout.split_date), first=True)
    return report


def changed_after(log: EventLog, split_date: pd.Timestamp) -> list[Note]:
    """Whether the whole log shows the process changing after the split: no model learned
    before it could know, and the user should not blame the model for that part."""
    regime = current_regime(prepare(log))
    later = [r for r in (regime, regime.later if regime else None)
             if r is not None and r.since >= split_date]
    if not later:
        return []
    return [Note("changed_after_split", {"since": f"{later[0].since:%Y-%m}",
                                         "changes": describe_changes(later[0])})]


def evaluate_holdout(holdout: Holdout, model: ProcessModel, opts: EvaluateOptions,
                     progress: Progress | None = None, whole: EventLog | None = None
                     ) -> EvaluationReport:
    """The report of ``model`` on the test part of ``holdout``; with the ``whole`` log, the
    distances of the recent past repeated too (``recent_past``)."""
    began = time.perf_counter()
    window = comparison_window(holdout, opts.warmup_days)
    real = begun_between(holdout.test, window.start, window.finish_by)
    if real.n_cases == 0:
        raise PlannerError(f"No case of the log begins between {window.start} and "
                           f"{window.finish_by}, so there is nothing to compare; split "
                           "earlier.")
    _say(progress, f"simulating {window.days:.0f} days x {opts.reps} replications")
    daily = dates_only(real)
    simulated, per_rep, notes = simulate_window(model, window, opts, daily)
    context = [note for note in (window.closed.note() if window.closed else None,
                                 volume_shift(holdout, window)) if note is not None]
    if daily:
        notes.append("The log has dates only (no time of day): simulated timestamps are cut "
                     "to the day before comparing, and the circadian distance says nothing.")
    _say(progress, "comparing KPIs")
    kpis = compare_kpis(compute_kpis(real, horizon=window.end), per_rep)
    _say(progress, "computing log distances and their noise floor")
    past = (recent_past(whole, window.start, window.finish_by, window.end,
                        finished_only=window.closed is not None)
            if whole is not None else None)
    rows, distance_notes = _distances(real, simulated, opts, past)
    _say(progress, "finding what makes up the error")
    findings = find(real, simulated, top=opts.top)
    notes += distance_notes
    split = {
        "date": holdout.split_date.isoformat(), "train_share": round(holdout.train_share, 4),
        "train_cases": holdout.train_cases, "test_cases": holdout.test_cases,
        "log_start": holdout.log_start.isoformat(), "test_end": window.end.isoformat(),
        "finish_by": window.finish_by.isoformat(),
        "allowance_days": round(window.allowance_days, 3),
        "compared_real_cases": real.n_cases,
        "compared_simulated_cases": round(float(np.mean([s.n_cases for s in simulated])), 1),
        "model_period_end": model.provenance.period_end,
    }
    report = EvaluationReport(
        log=holdout.test.name, split=split, warmup_days=window.warmup_days,
        method=window.describe(), reps=opts.reps, seed=opts.seed, kpis=kpis,
        distances=rows, findings=findings, cycle_time=cycle_summary(real, simulated, past),
        notes=notes, versions=versions(), seconds=time.perf_counter() - began)
    report.add_context(context, first=True)
    return report


def simulate_window(model: ProcessModel, window: Window, opts: EvaluateOptions, daily: bool,
                    kpis: bool = True
                    ) -> tuple[list[EventLog], list[list[KpiResult]], list[str]]:
    """The replications, restricted to the cases begun in the window (and, when the log
    holds finished cases only, to those finished by its end; ``daily``: with timestamps cut
    to the day, like the history's), and their KPIs (none without ``kpis``: the structure
    tuning reads only the logs, and the KPIs took a tenth of its time)."""
    simulated, per_rep, notes = [], [], []
    for number, result in enumerate(iter_replications(
            model, opts.reps, seed=opts.seed, n_jobs=opts.n_jobs, days=window.days,
            start=window.start, warmup_days=window.warmup_days)):
        log = to_days(result.log) if daily else result.log
        log = begun_between(log, window.start, window.finish_by)
        if window.closed is not None:
            log = cases_of(log, case_ids(log).difference(result.open_cases))
        if log.n_events == 0:
            notes.append(f"Replication {number} has no case begun in the compared window.")
            continue
        simulated.append(log)
        if kpis:
            per_rep.append(compute_kpis(log, horizon=window.end))
    if not simulated:
        raise PlannerError("No simulated case begins in the compared window: the model "
                           "produces no arrivals in the test period.")
    return simulated, per_rep, notes


def _distances(real: EventLog, simulated: list[EventLog], opts: EvaluateOptions,
               past: EventLog | None = None) -> tuple[list[DistanceRow], list[str]]:
    notes = []
    real_frame = dist.distance_frame(real)
    share = dist.thinning_share(real_frame, opts.max_cases)
    if share < 1:
        notes.append(f"The log distances use a random {share:.0%} of the cases on each side "
                     f"(at most {opts.max_cases:,} real cases).")
        real_frame = dist.sample_cases(real_frame, share=share, seed=opts.seed)
    per_rep = [dist.log_distances(real_frame, dist.sample_cases(
                   dist.distance_frame(log), share=share, seed=opts.seed + number),
                   seed=opts.seed, cfld_cap=opts.cfld_cap)
               for number, log in enumerate(simulated)]
    floor = dist.noise_floor(real_frame, splits=opts.noise_splits, seed=opts.seed,
                             cfld_cap=opts.cfld_cap)
    repeated: dict[str, float] = {}
    if past is not None:
        repeated = dist.log_distances(real_frame, dist.sample_cases(
            dist.distance_frame(past), share=share, seed=opts.seed), seed=opts.seed,
            cfld_cap=opts.cfld_cap)
        notes.append(PAST_NOTE)
    notes.append("Noise floor: the same distances between two random halves of the real "
                 f"compared cases (mean of {opts.noise_splits} splits). Each half has half "
                 "the cases, so a model as good as the data allows lands near or below 1x.")
    rows = []
    for measure in dist.MEASURES:
        values = [r[measure.key] for r in per_rep]
        value = float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
        noise = floor[measure.key]
        ratio = value / noise if np.isfinite(value) and np.isfinite(noise) and noise > 0 else None
        rows.append(DistanceRow(measure.key, measure.label, measure.unit, value, noise, ratio,
                                tuple(float(v) for v in values),
                                repeated.get(measure.key)))
    return rows, notes


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("l2c-planner", "log-distance-measures", "pandas", "numpy", "scipy",
                    "simpy"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)
