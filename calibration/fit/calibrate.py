"""Calibration: from a canonical event log to a process model, with notes on what it found.

Each part of the model has its own fitter; this module runs them in order (pools first,
since activities need to know who works when), collects what a process owner should know
about the fit (which factors change routing and delays, overlapping activities, censored
cases) and stamps the model with the provenance of its log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from calibration.fit.activities import ActivityFitter
from calibration.fit.arrivals import ArrivalFitter
from calibration.fit.attributes import NOT_DRAWN, fit_attributes, with_deal_size
from calibration.fit.batches import detect_batches, find_batches
from calibration.fit.local_clock import find_summer_shift, on_local_clock
from calibration.fit.outcomes import fit_outcomes
from calibration.fit.parallel import ParallelWork, find_parallel
from calibration.fit.pools import PoolFitter
from calibration.fit.prepared import PreparedLog, prepare, wall_clock
from calibration.fit.regime import RegimeChange, begun_since, find_regime
from calibration.fit.routing import MAX_LEVELS, RoutingFitter
from calibration.fit_durations import DurationFitter
from calibration.sources import fingerprint
from sim.duration_text import duration_text
from sim.errors import PlannerError, did_you_mean
from sim.eventlog import START, EventLog
from sim.model import AROUND, HISTORY, NEXT, PREVIOUS, VISIT, ProcessModel, Provenance

OWNER = "owner"
OVERLAP_REPORT = 3
AUTO, ALL = "auto", "all"  # learn from the current regime / from the whole log
MIN_SINCE_CASES = 20
LEARNING_PART_NOTES = ("regime", "regime_later", "since")  # which cases the model learned from
TUNING_NOTES = ("tuned", "not_tuned")  # how its structure was chosen


@dataclass(frozen=True)
class CalibrationOptions:
    """How to fit; ``attributes`` None means every categorical case attribute that fits;
    ``since`` which cases to learn from: ``auto`` (the current regime, if the process
    changed), ``all``, or a date (the cases begun on or after it).

    The structure: ``routing_memory`` how much of a case's state may condition where it
    goes next (``RoutingFitter``), ``delays_by_state`` whether a delay may depend on it,
    ``arrival_trend`` whether a significant volume trend is followed, ``queue_removal``
    whether the time a task queued for a busy person is taken out of its delay (the
    simulation queues by itself; without it the whole wait is delay), ``current_waits``
    whether a wait that drifted is learned at its latest level. ``tune`` chooses these
    (and ``since`` when it is ``auto``) by a validation split of the log instead."""

    min_samples: int = 20
    criterion: str = "aic"
    attributes: tuple[str, ...] | None = None
    since: str = AUTO
    routing_memory: int = 2
    delays_by_state: bool = True
    arrival_trend: bool = True
    queue_removal: bool = True
    current_waits: bool = True
    tune: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"min_samples": self.min_samples, "criterion": self.criterion,
                "attributes": list(self.attributes) if self.attributes is not None else "auto",
                "since": self.since, "routing_memory": self.routing_memory,
                "delays_by_state": self.delays_by_state, "arrival_trend": self.arrival_trend,
                "queue_removal": self.queue_removal, "current_waits": self.current_waits,
                "tune": self.tune}


NOTE_TEXT: dict[str, str] = {
    "censored": "{open} cases were still open at the end of the log and {begun} had begun "
                "before it: their unseen ends and beginnings are treated as unknown "
                "(censored), not as ends or starts.",
    "trend": "New cases grow {growth} a month (trend test p = {p}).",
    "finished_only": "The log seems to hold finished cases only: fewer cases begin in its last "
                     "{days} days than before, in just the way that cases too long to have "
                     "finished by its end would be missing. New cases are counted until "
                     "{until}, each weighted by the chance that a case begun then was kept.",
    "routing_by_visit": "What follows '{activity}' depends on how often the case has done it "
                        "before.",
    "routing_by_attribute": "What follows '{activity}' depends on {attribute}.",
    "routing_by_previous": "What follows '{activity}' depends on the activity the case did "
                           "just before it.",
    "routing_by_history": "What follows '{activity}' depends on the two activities the case "
                          "did before it (the one just before, where a path is rare).",
    "delay_by_attribute": "The delay before '{activity}' depends on {attribute}.",
    "delay_by_previous": "The delay before '{activity}' depends on the activity the case did "
                         "just before it.",
    "delay_by_visit": "The delay before '{activity}' depends on how often the case has been "
                      "there before.",
    "delay_by_next": "The delay before '{activity}' depends on what the case does after it: "
                     "the simulation decides that first.",
    "delay_by_around": "The delay before '{activity}' depends on the activity the case did "
                       "just before it and on what it does after it: the simulation decides "
                       "that first.",
    "dates_only": "Timestamps carry dates only (no time of day): working hours cannot be "
                  "learned, so every delay runs in calendar days and no activity queues for a "
                  "person.",
    "parallel_block": "'{lead}' and '{companion}' run at the same time: modelled as a "
                      "parallel block.",
    "overlaps": "{count} activities started before the previous one in their case had ended "
                "(overlapping work), most often: {examples}. Their delay counts as zero.",
    "batch_release": "'{activity}' runs in batches: released about every {every} days "
                     "({dates} release dates seen), for cases waiting at least {age} days.",
    "regime": "The process changed around {since}: {changes}. The model learns from the "
              "{kept} cases begun since then (of {total}); it can learn from the whole log "
              "instead (--since all).",
    "regime_later": "It changed again around {since} ({changes}), too recently to learn from "
                    "alone.",
    "summer_time": "The log's clock does not change for summer time, but its people's "
                   "working day does: it reads an hour earlier in summer. The model works on "
                   "their local clock ({rule} summer time) and gives simulated times back on "
                   "the log's clock.",
    "wait_drift": "The wait before '{activity}' drifted over the log (median {whole} over "
                  "all of it, {recent} since {since}): the model learns its current level, "
                  "from the cases since then.",
    "tuned": "Its structure was chosen on the log itself: learned from the {learned} cases "
             "begun before {date} and checked on the {validation} begun since, {tried} "
             "structures tried; kept: {choice} (log distances {score} times those of the "
             "first tried).",
    "not_tuned": "Too few cases to choose the structure on a validation split (at least "
                 "{cases} later cases are needed): the default structure is used.",
    "since": "The model learns from the {kept} cases begun since {since} (of {total}), as "
             "asked.",
    # What the holdout test (calibration.evaluate) knows of the test period that no model
    # learned before it could: part of the error is that, not the model.
    "changed_after_split": "The process changed after the split date, around {since} "
                           "({changes}): a model learned before the split cannot know it, so "
                           "part of the error above is that change, not the model.",
    "volume_rose": "New cases per week rose after the split date: {before} in the last "
                   "{weeks} weeks before it, {after} in the compared window ({move}). A model "
                   "learned before the split carries on at the rate it saw last, so part of "
                   "any error in volume, in the absolute timing of events and in queues is "
                   "that move, not the model.",
    "volume_fell": "New cases per week fell after the split date: {before} in the last "
                   "{weeks} weeks before it, {after} in the compared window ({move}). A model "
                   "learned before the split carries on at the rate it saw last, so part of "
                   "any error in volume, in the absolute timing of events and in queues is "
                   "that move, not the model.",
    "closed_export": "The log holds finished cases only: of the {recent} cases begun in its "
                     "last {days} days, {open} still open, where a snapshot of the process "
                     "would show about {expected}. The simulated cases still running at the "
                     "end of the log are left out of the comparison, as the export left out "
                     "the real ones.",
}

DELAY_FACTOR_NOTES = {PREVIOUS: "delay_by_previous", VISIT: "delay_by_visit",
                      NEXT: "delay_by_next", AROUND: "delay_by_around"}  # else an attribute


@dataclass(frozen=True)
class Note:
    """Something calibration found, as a key and values, so interfaces can word it in the
    user's language; ``text`` is the English wording."""

    key: str
    values: dict[str, object]

    @property
    def text(self) -> str:
        return NOTE_TEXT[self.key].format(**self.values)


@dataclass
class Calibration:
    model: ProcessModel
    findings: list[Note] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [note.text for note in self.findings]


def calibrate(log: EventLog, source: str | Path | None = None,
              options: CalibrationOptions | None = None) -> Calibration:
    options = options or CalibrationOptions()
    return assemble(learn(log, options), source, options)


@dataclass(frozen=True)
class Learned:
    """What several structures of a model share: the cases learned from, on their local
    clock, and the fits that depend on no structural option but ``since``,
    ``queue_removal`` and ``current_waits`` (pools, work times, delays with their splits by
    state), so several structures are assembled from one."""

    prepared: PreparedLog
    notes: list[Note]
    summer_time: str | None
    factors: tuple[str, ...]
    pools: PoolFitter
    activities: ActivityFitter
    parallel: ParallelWork


def learn(log: EventLog, options: CalibrationOptions) -> Learned:
    if log.n_events == 0:
        raise PlannerError("The event log has no events to learn from.")
    shift = find_summer_shift(log)
    rule = shift.rule if shift is not None else None
    local = on_local_clock(replace(log, cases=with_deal_size(log.cases)), rule)
    prepared, learning_notes = _learning_part(local, options.since)
    if rule is not None:
        learning_notes.insert(0, Note("summer_time", {"rule": rule}))
    factors = options.attributes if options.attributes is not None else _factors(prepared.log)
    _check_factors(factors, prepared.log)
    durations = DurationFitter(min_samples=options.min_samples, criterion=options.criterion)
    pools = PoolFitter().fit(prepared)
    activities = ActivityFitter(durations, split_attributes=factors,
                                queue_removal=options.queue_removal,
                                current_waits=options.current_waits).fit(prepared, pools)
    return Learned(prepared, learning_notes, rule, factors, pools, activities,
                   find_parallel(prepared))


def assemble(learned: Learned, source: str | Path | None,
             options: CalibrationOptions) -> Calibration:
    """The model of ``learned`` with the structure ``options`` asks for."""
    prepared, pools = learned.prepared, learned.pools
    fitted = learned.activities.activities_
    if not options.delays_by_state:  # one delay per activity: the pooled fit alone
        fitted = {name: a.model_copy(update={"delay_by": None}) for name, a in fitted.items()}
    activities = find_batches(prepared, fitted)  # runs on dates
    routing = RoutingFitter(learned.factors, options.routing_memory).fit(prepared,
                                                                          learned.parallel)
    arrivals = ArrivalFitter(options.arrival_trend).fit(prepared)
    extra = {OWNER: pools.owner_} if pools.owner_ is not None else {}
    speeds = learned.activities.speeds_
    model = ProcessModel(
        name=f"process model of {prepared.log.name}",
        provenance=_provenance(prepared, source, options),
        timezone=prepared.log.timezone,
        summer_time=learned.summer_time,
        arrivals=arrivals.arrivals_,
        attributes=fit_attributes(prepared, extra),
        activities=activities,
        routing=routing.routing_,
        pools={name: pool.model_copy(update={"speed": speeds.get(name, {})})
               for name, pool in pools.pools_.items()},
        outcomes=fit_outcomes(prepared),
        owner_attribute=OWNER if extra else None,
    )
    drifts = [Note("wait_drift", {"activity": name, "whole": duration_text(d.whole_median),
                                   "recent": duration_text(d.recent_median),
                                   "since": f"{prepared.to_time(d.since):%Y-%m-%d}"})
              for name, d in learned.activities.drifted_.items()]
    return Calibration(model, learned.notes + drifts + _notes(prepared, model, arrivals,
                                                              learned.parallel))



def _learning_part(log: EventLog, since: str) -> tuple[PreparedLog, list[Note]]:
    """The cases to learn from, prepared: a process that changed is planned on as it runs
    now."""
    if since == ALL:
        return prepare(log), []
    if since == AUTO:
        whole = prepare(log)
        regime = current_regime(whole)
        if regime is None:
            return whole, []
        kept = begun_since(log, regime.since)
        notes = [Note("regime", {"since": f"{regime.since:%Y-%m}",
                                 "changes": describe_changes(regime),
                                 "kept": f"{kept.n_cases:,}", "total": f"{log.n_cases:,}"})]
        if regime.later is not None:
            notes.append(Note("regime_later", {"since": f"{regime.later.since:%Y-%m}",
                                               "changes": describe_changes(regime.later)}))
        return prepare(kept), notes
    try:
        date = pd.Timestamp(since)
    except (ValueError, TypeError):
        raise PlannerError(f"--since '{since}': give a date such as 2024-07-01, or auto "
                           "(learn from the current regime) or all (the whole log).") from None
    kept = begun_since(log, date)
    if kept.n_cases < MIN_SINCE_CASES:
        raise PlannerError(f"--since {since}: only {kept.n_cases} cases begin on or after it, "
                           f"too few to learn from; choose an earlier date (the log covers "
                           f"{_span(log)}).")
    return prepare(kept), [Note("since", {"since": f"{date:%Y-%m-%d}",
                                          "kept": f"{kept.n_cases:,}",
                                          "total": f"{log.n_cases:,}"})]


def current_regime(prepared: PreparedLog) -> RegimeChange | None:
    """When the process last changed (``find_regime``), not counting activities released in
    runs: how many of them a case reached in its first days depends on the run dates."""
    return find_regime(prepared, ignore=detect_batches(prepared))


def describe_changes(regime: RegimeChange) -> str:
    return "; ".join(f"{c.measure} {c.before:.3g} → {c.after:.3g}" for c in regime.evidence)


def _span(log: EventLog) -> str:
    starts = wall_clock(log.events[START])
    return f"{starts.min():%Y-%m-%d} to {starts.max():%Y-%m-%d}"


def _factors(log: EventLog) -> tuple[str, ...]:
    """Case attributes that may condition routing and delays: a few categories each."""
    chosen = []
    for column in log.cases.columns:
        if column in NOT_DRAWN or pd.api.types.is_numeric_dtype(log.cases[column]):
            continue
        if 2 <= log.cases[column].nunique(dropna=True) <= MAX_LEVELS:
            chosen.append(str(column))
    return tuple(chosen)


def _check_factors(factors: tuple[str, ...], log: EventLog) -> None:
    for factor in factors:
        if factor not in log.cases.columns:
            raise PlannerError(f"Case attribute '{factor}' is not in this log."
                               f"{did_you_mean(factor, log.cases.columns)} Case attributes: "
                               f"{', '.join(map(str, log.cases.columns))}.")


def _provenance(log: PreparedLog, source: str | Path | None,
                options: CalibrationOptions) -> Provenance:
    first, last = log.period
    return Provenance(
        source=Path(source).name if source else log.log.name,
        fingerprint=_fingerprint(source, log.log),
        period_start=first.isoformat(), period_end=last.isoformat(),
        cases=len(log.case_ids), events=log.n_events,
        open_cases=int(log.open_case.sum()), options=options.as_dict(),
        library=f"l2c-planner {metadata.version('l2c-planner')}")


def _fingerprint(source: str | Path | None, log: EventLog) -> str:
    if source and Path(source).is_file():
        return fingerprint(Path(source))
    digest = hashlib.sha256(pd.util.hash_pandas_object(log.events, index=False).to_numpy()
                            .tobytes())
    return "sha256:" + digest.hexdigest()


def _notes(log: PreparedLog, model: ProcessModel, arrivals: ArrivalFitter,
           parallel: ParallelWork) -> list[Note]:
    notes = []
    censored, still_open = int(log.left_censored.sum()), int(log.open_case.sum())
    if censored or still_open:
        notes.append(Note("censored", {"open": still_open, "begun": censored}))
    if arrivals.thinning_ is not None:
        until = arrivals.thinning_.count_until
        notes.append(Note("finished_only", {
            "days": f"{(arrivals.thinning_.log_end - until) / 86400:.0f}",
            "until": f"{log.to_time(until):%Y-%m-%d}"}))
    if arrivals.trend_:
        notes.append(Note("trend", {"growth": f"{np.expm1(arrivals.trend_):+.1%}",
                                    "p": f"{arrivals.trend_p_value_:.1g}"}))
    for name, branch in model.routing.branches.items():
        if branch.conditioned_on == VISIT:
            notes.append(Note("routing_by_visit", {"activity": name}))
        elif branch.conditioned_on == PREVIOUS:
            notes.append(Note("routing_by_previous", {"activity": name}))
        elif branch.conditioned_on == HISTORY:
            notes.append(Note("routing_by_history", {"activity": name}))
        elif branch.conditioned_on:
            notes.append(Note("routing_by_attribute",
                              {"activity": name, "attribute": branch.conditioned_on}))
    for name, activity in model.activities.items():
        for factor in activity.delay_by.factors if activity.delay_by else ():
            if factor in DELAY_FACTOR_NOTES:
                notes.append(Note(DELAY_FACTOR_NOTES[factor], {"activity": name}))
            else:
                notes.append(Note("delay_by_attribute", {"activity": name, "attribute": factor}))
        if activity.batch:
            notes.append(Note("batch_release", {
                "activity": name, "every": f"{activity.batch.every_days:.0f}",
                "dates": len(activity.batch.dates), "age": f"{activity.batch.min_age_days:.0f}"}))
    if log.dates_only:
        notes.append(Note("dates_only", {}))
    for lead, companions in model.routing.parallel.items():
        notes.append(Note("parallel_block", {"lead": lead, "companion": companions[0]}))
    if parallel.overlaps:
        top = parallel.pairs.head(OVERLAP_REPORT)
        examples = "; ".join(f"{r.before} / {r.after} ({r.overlaps} of {r.successions})"
                             for r in top.itertuples(index=False))
        notes.append(Note("overlaps", {"count": parallel.overlaps, "examples": examples}))
    return notes
