"""Self-tuning: choose the model's structure by a temporal validation split of the log.

A structural option (how much of a case's history routes it, whether delays depend on the
case's state, whether a volume trend is followed, whether to learn from the current regime
only) is a modelling bet that the data can settle better than a default. The way Simod tunes
its discovery (Camargo et al., "Automated discovery of business process simulation models
from event logs", 2020: hyper-parameters chosen by optimising a similarity to the log), the
candidates are learned from the earlier cases of the log, simulated over the later ones and
scored by the published log distances; the structure closest to the later cases wins, and the
model is then learned from the whole log with it. The search is coordinate-wise (one option
at a time, keeping what helped), and a candidate that fits the same model as the current best
is not simulated again. The fits every structure shares (pools, work and waiting times) are
made once per learning part (``learn``) and each structure is assembled from them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from calibration.evaluate import distances as dist
from calibration.evaluate.resolution import dates_only
from calibration.evaluate.run import EvaluateOptions, simulate_window
from calibration.evaluate.split import Holdout, begun_between, case_starts, split_log
from calibration.evaluate.window import comparison_window
from calibration.fit.calibrate import (
    AUTO,
    Calibration,
    CalibrationOptions,
    Learned,
    Note,
    assemble,
    calibrate,
    learn,
)
from calibration.fit.regime import begun_since
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.model import ProcessModel, Tuning, TuningTrial

VALIDATION_SHARE = 0.8  # of the cases (by start) the candidates learn from
MIN_VALIDATION_CASES = 30  # fewer later cases cannot tell structures apart: no tuning
SIMULATED_CASES = 1_000  # replications enough to simulate this many validation cases ...
REPLICATIONS = (2, 5)  # ... at least 2, at most 5: a small log's choice rests on more runs
MAX_CASES = 2_000  # per side, for the distances (thinned beyond, the same share each side)
MARGIN = 0.05  # an option is changed only if it brings the distances 5% closer (geometric mean)
MAX_CASES_TUNED = 10_000  # a larger log is tuned on its latest cases: the structure, not the
# figures, is chosen, and the time stays that of a few calibrations of this size
MEASURES = ("n_gram_distribution", "absolute_event_distribution",
            "relative_event_distribution", "circadian_event_distribution",
            "cycle_time_distribution", "control_flow_log_distance")  # whole traces too
CFLD_CASES = 200  # per side for the control-flow distance (its cost grows with the square)
FLOOR = 1e-6  # added to every distance before ratios, so a zero distance compares

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Option:
    """A structural option and the values tried besides the user's."""

    name: str
    values: tuple[object, ...]

    def applies(self, options: CalibrationOptions) -> bool:
        return self.name != "since" or options.since == AUTO


OPTIONS = (
    Option("since", ("all",)),
    Option("routing_memory", (1, 0)),
    Option("delays_by_state", (False,)),
    Option("arrival_trend", (False,)),
    Option("queue_removal", (False,)),
    Option("current_waits", (False,)),
)
LEARNED_BY = ("since", "queue_removal", "current_waits")  # what the shared fits depend on


def calibrate_tuned(log: EventLog, source: str | Path | None = None,
                    options: CalibrationOptions | None = None, *, seed: int = 1,
                    n_jobs: int = -1, progress: Progress | None = None) -> Calibration:
    """``calibrate`` with the structure chosen by ``tune`` (when ``options.tune``), recorded
    in the model's provenance and in a note."""
    options = options or CalibrationOptions()
    if not options.tune:
        return calibrate(log, source, options)
    tuning = tune(log, options, seed=seed, n_jobs=n_jobs, progress=progress)
    if tuning is None:
        fitted = calibrate(log, source, replace(options, tune=False))
        return replace(fitted, findings=[*fitted.findings, Note("not_tuned", {
            "cases": MIN_VALIDATION_CASES})])
    chosen = _with(options, tuning.chosen)
    fitted = calibrate(log, source, chosen)
    provenance = fitted.model.provenance.model_copy(update={"tuning": tuning})
    return replace(fitted, model=fitted.model.model_copy(update={"provenance": provenance}),
                   findings=[*fitted.findings, tuning_note(tuning)])


def tune(log: EventLog, options: CalibrationOptions, *, seed: int = 1, n_jobs: int = -1,
         progress: Progress | None = None) -> Tuning | None:
    """The structure that best reproduces the later cases of ``log`` from its earlier ones;
    None when the log is too small to tell."""
    try:
        holdout = split_log(latest_cases(log, MAX_CASES_TUNED), VALIDATION_SHARE)
    except PlannerError:
        return None
    if holdout.test_cases < MIN_VALIDATION_CASES:
        return None
    judge = _Judge(holdout, seed, n_jobs)
    if judge.real.empty:
        return None
    current = replace(options, tune=False)
    learned = {_learned_key(current): learn(holdout.train, current)}
    model = assemble(learned[_learned_key(current)], None, current).model
    best_runs = judge.distances(current, model, progress)
    first = mean_distances(best_runs)
    best = TuningTrial(options=_named(current), distances=first, score=1.0)
    trials = [best]
    for option in (o for o in OPTIONS if o.applies(options)):
        for value in option.values:
            candidate = _with(current, {option.name: value})
            if option.name == "since" and not _changed(learned[_learned_key(current)]):
                continue  # no process change: every case is learned from either way
            if _learned_key(candidate) not in learned:
                learned[_learned_key(candidate)] = learn(holdout.train, candidate)
            tried = assemble(learned[_learned_key(candidate)], None, candidate).model
            if _same_structure(tried, model):
                continue
            runs = judge.distances(candidate, tried, progress)
            found = mean_distances(runs)
            trial = TuningTrial(options=_named(candidate), distances=found,
                                score=score(found, first))
            trials.append(trial)
            if trial.score < best.score * (1 - MARGIN) and closer_in_every_run(runs, best_runs):
                best, current, model, best_runs = trial, candidate, tried, runs
    chosen = {o.name: getattr(current, o.name) for o in OPTIONS if o.applies(options)}
    return Tuning(split_date=holdout.split_date.isoformat(),
                  learned_cases=holdout.train_cases, validation_cases=holdout.test_cases,
                  replications=judge.reps, chosen=chosen, score=best.score,
                  trials=tuple(trials))


class _Judge:
    """Simulates a candidate over the validation window and measures its distances to the
    real cases begun there."""

    def __init__(self, holdout: Holdout, seed: int, n_jobs: int) -> None:
        self.window = comparison_window(holdout)
        real = begun_between(holdout.test, self.window.start, self.window.finish_by)
        self.daily = dates_only(real) if real.n_cases else False
        frame = dist.distance_frame(real)
        self.share = dist.thinning_share(frame, MAX_CASES)
        self.real = dist.sample_cases(frame, share=self.share, seed=seed)
        self.seed, self.n_jobs = seed, n_jobs
        self.reps = int(np.clip(math.ceil(SIMULATED_CASES / max(real.n_cases, 1)),
                                *REPLICATIONS))

    def distances(self, options: CalibrationOptions, model: ProcessModel,
                  progress: Progress | None) -> list[dict[str, float]]:
        """The distances of each replication (none when no simulated case begins in the
        window: as far from the log as can be). Replication ``k`` of every candidate runs
        on the same seed, so two candidates compare run by run."""
        if progress is not None:
            progress("validating the structure " + ", ".join(
                f"{k} = {v}" for k, v in _named(options).items()))
        opts = EvaluateOptions(reps=self.reps, seed=self.seed, n_jobs=self.n_jobs)
        try:
            simulated, _, _ = simulate_window(model, self.window, opts, self.daily,
                                              kpis=False)
        except PlannerError:
            return []
        return [dist.log_distances(self.real, dist.sample_cases(
                    dist.distance_frame(log), share=self.share, seed=self.seed + number),
                    seed=self.seed, cfld_cap=CFLD_CASES, keys=MEASURES)
                for number, log in enumerate(simulated)]


def mean_distances(runs: list[dict[str, float]]) -> dict[str, float]:
    """The mean of each distance over the replications (empty without any)."""
    if not runs:
        return {}
    return {key: float(np.nanmean([r[key] for r in runs])) for key in runs[0]}


def closer_in_every_run(runs: list[dict[str, float]], best: list[dict[str, float]]) -> bool:
    """Whether a candidate is closer than the best so far in each replication, run by run
    (the same seeds): a sign test, so a structure is changed only on evidence that holds up
    in every run, not on an average one lucky run makes (with five runs, chance alone
    passes it one time in 32)."""
    return bool(runs) and len(runs) == len(best) and all(
        score(run, other) < 1.0 for run, other in zip(runs, best, strict=True))


def _learned_key(options: CalibrationOptions) -> tuple[object, ...]:
    return tuple(getattr(options, name) for name in LEARNED_BY)


def _with(options: CalibrationOptions, values: Mapping[str, object]) -> CalibrationOptions:
    """``options`` with fields set by name: the options tuned are named at run time, each
    with values of its own field's type (``OPTIONS``)."""
    changes: dict[str, Any] = dict(values)
    return replace(options, **changes)


def _named(options: CalibrationOptions) -> dict[str, object]:
    return {o.name: getattr(options, o.name) for o in OPTIONS}


def score(distances: dict[str, float], reference: dict[str, float]) -> float:
    """Geometric mean over the measures of ``distances / reference`` (1: as close)."""
    ratios = [(distances[k] + FLOOR) / (reference[k] + FLOOR) for k in MEASURES
              if k in distances and k in reference
              and np.isfinite(distances[k]) and np.isfinite(reference[k])]
    return float(np.exp(np.mean(np.log(ratios)))) if ratios else math.inf


def latest_cases(log: EventLog, count: int) -> EventLog:
    """The ``count`` cases begun last (all of a smaller log)."""
    starts = case_starts(log).sort_values()
    return log if len(starts) <= count else begun_since(log, starts.iloc[-count])


def _changed(learned: Learned) -> bool:
    """Whether the process changed, so the model learned from the current regime only."""
    return any(note.key == "regime" for note in learned.notes)


def _same_structure(a: ProcessModel, b: ProcessModel) -> bool:
    return a.model_dump(exclude={"provenance"}) == b.model_dump(exclude={"provenance"})


CHOICE_WORDS: dict[tuple[str, object], tuple[str, str]] = {  # (English, Japanese)
    ("since", AUTO): ("learning from the process as it runs now", "現在の運用から学習"),
    ("since", "all"): ("learning from the whole log", "ログ全体から学習"),
    ("routing_memory", 2): ("branches that may follow the last two steps",
                            "分岐は直前 2 ステップまで考慮"),
    ("routing_memory", 1): ("branches that may follow one factor", "分岐は 1 つの要因まで考慮"),
    ("routing_memory", 0): ("one set of branch chances per activity",
                            "分岐確率はアクティビティごとに 1 つ"),
    ("delays_by_state", True): ("waits that may depend on the case's state",
                                "待ち時間は案件の状態で変わりうる"),
    ("delays_by_state", False): ("one wait per activity", "待ち時間はアクティビティごとに 1 つ"),
    ("arrival_trend", True): ("a significant volume trend followed", "有意な件数の傾向に従う"),
    ("arrival_trend", False): ("the volume kept at its level", "件数は傾向なしの水準"),
    ("queue_removal", True): ("waits without the queueing the simulation adds",
                              "待ち時間から担当者の空き待ちを除く"),
    ("queue_removal", False): ("the whole wait as delay, queueing included",
                               "担当者の空き待ちも含めて待ち時間とする"),
    ("current_waits", True): ("a drifted wait at its latest level", "変化した待ち時間は最新の水準"),
    ("current_waits", False): ("every wait learned from the whole log",
                               "待ち時間はすべてログ全体から学習"),
}


class TrialLine(NamedTuple):
    """A structure tried, as the pages show it: what it changed from the first tried (in
    words), its score, and whether it is the one kept."""

    changes: list[str]
    score: float
    kept: bool


def trial_lines(tuning: Tuning, japanese: bool = False) -> list[TrialLine]:
    first = tuning.trials[0].options
    return [TrialLine([CHOICE_WORDS[(name, value)][japanese]
                       for name, value in trial.options.items() if value != first.get(name)],
                      trial.score,
                      all(tuning.chosen.get(name, value) == value
                          for name, value in trial.options.items()))
            for trial in tuning.trials]


def tuning_note(tuning: Tuning) -> Note:
    words = [CHOICE_WORDS[(name, value)] for name, value in tuning.chosen.items()]
    return Note("tuned", {
        "choice": "; ".join(en for en, _ in words), "choice_ja": "、".join(ja for _, ja in words),
        "learned": f"{tuning.learned_cases:,}",
        "date": f"{pd.Timestamp(tuning.split_date):%Y-%m-%d}",
        "validation": f"{tuning.validation_cases:,}", "tried": len(tuning.trials),
        "score": f"{tuning.score:.2f}"})
