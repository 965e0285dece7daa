"""Where a backtest's error comes from, measured step by step.

A KPI the scenario misses is off by ``error``: the prediction with the scenario less the
real after-value. Two kinds of KPI add up over the steps of a case, so their error splits
exactly into the steps' shares (a midpoint split of each product, as in a
Bennet/Shapley decomposition, leaves no remainder):

* a duration (the case duration over finished cases, or a span such as the contract time
  over the cases that went through it) is shown as a median, which does not add up over
  steps; the mean of the cases about it (its central tenth, 100 cases at least) does,
  and moves with it. It is, per activity, how often such a case does it within the span
  times the time it adds to the span: its wait (from the end of everything before it) and
  its work (past everything before it); the times summed over a span's events are its
  length, parallel work counted once;
* an activity's occurrences per case are, per step before it, how often a case reaches
  that step times the chance it leads to the activity.

Each share is taken as much in the after-period (the prediction with the scenario against
the real cases begun after the change) as in the before-period (the unchanged model
simulated over as long a period before the change against the real cases begun then). The
before-period's error on the steps the model has is *model error before the change*: the
model missed it already, with no scenario in play. The rest of each step's share is named
by what it measures:

* ``own_step``: the steps the scenario changes (for a KPI of one activity: that activity,
  its own time or the chance of reaching it from the step before);
* ``routing``: how often a case reaches the other steps;
* ``queue``: the waits at the other steps (their queues for a pool and their delays);
* ``work``: the work time of the other steps;
* ``missing_step``: steps the model does not have (never seen in the cases it learned
  from): a scenario cannot add one, and their whole share of the after-period's error is
  theirs.

Other KPIs (medians of one activity's times, volumes, levels) are split into the model
error before the change and the rest: ``own_step`` for a KPI of one activity, ``rest``
for a KPI of the whole process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scenarios.schema import Scenario
from sim.kpis.catalogue import BY_KIND, HEADLINE
from sim.kpis.compute import MEASURES
from sim.kpis.durations import Bounds, case_bounds, span_bounds
from sim.kpis.observed import Observed
from sim.model import ProcessModel

START_STEP = "(start)"  # the step before a case's first activity
CAUSES = ("before", "own_step", "routing", "queue", "work", "missing_step", "rest")
DURATION = "case_duration"
SPANS = tuple(k for k in HEADLINE if k not in MEASURES and BY_KIND[k].span is not None)
DURATIONS = (DURATION, *SPANS)
MIDDLE_SHARE = 0.1  # the cases about a duration's median: their mean adds up over steps
MIDDLE_CASES = 100  # ... at least this many (a mean of 100 has a tenth of their spread)
FREQUENCY, WAIT, WORK = "frequency:", "waiting_time:", "processing_time:"
ROUNDING = 1e-9  # a part this small against the sum of all is a rounding leftover
Sums = dict[tuple[str, ...], float]  # (..., activity, quantity) -> total per case


@dataclass(frozen=True)
class Part:
    cause: str  # one of CAUSES
    activity: str | None  # the step it is measured on (None: the KPI as a whole)
    value: float  # in the KPI's unit; a row's parts add up to its error


@dataclass(frozen=True)
class Attribution:
    statistic: str  # split step by step: "middle" (the mean of the cases about the median
    # of a duration) or "mean" (occurrences per case); "value": the KPI's own figure
    error: float  # predicted with the scenario less real, of that statistic
    parts: list[Part] = field(default_factory=list)  # the largest first

    def by_cause(self) -> dict[str, float]:
        """Each cause's total, in the order of ``CAUSES`` (causes with no part left out)."""
        totals = {cause: 0.0 for cause in CAUSES}
        for part in self.parts:
            totals[part.cause] += part.value
        return {c: v for c, v in totals.items() if any(p.cause == c for p in self.parts)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attribution:
        return cls(str(data["statistic"]), float(data["error"]),
                   [Part(**part) for part in data.get("parts", [])])


@dataclass
class StepSums:
    """One log's per-step quantities as totals per case (so replications average)."""

    time: Sums = field(default_factory=dict)  # per case in a duration: (kpi, a, n|wait|work)
    into: Sums = field(default_factory=dict)  # per case: (a, "n"), (p, "to:" + a)

    @classmethod
    def mean(cls, many: Sequence[StepSums]) -> StepSums:
        def average(which: Iterable[Sums]) -> Sums:
            listed = list(which)
            keys = {k for sums in listed for k in sums}
            return {k: sum(s.get(k, 0.0) for s in listed) / len(listed) for k in keys}

        return cls(average(s.time for s in many), average(s.into for s in many))


def step_sums(obs: Observed) -> StepSums:
    """Per duration KPI and activity of ``obs``: occurrences, wait and work per case
    measured (the times adding up to each case's duration); per activity its occurrences
    and transitions per case."""
    sums = StepSums()
    for kpi, bounds in _durations(obs):
        sums.time.update(_span_sums(obs, kpi, bounds))
    names = obs.activities
    same = np.r_[False, obs.case[1:] == obs.case[:-1]]
    n_cases = max(obs.n_cases, 1)
    counts = np.bincount(obs.activity, minlength=len(names))
    sums.into.update({(str(names[i]), "n"): float(c) / n_cases for i, c in enumerate(counts)
                      if c})
    sums.into[(START_STEP, "n")] = float((~same).sum()) / n_cases
    before = np.where(same, np.r_[-1, obs.activity[:-1]], -1)
    pairs = pd.Series(1.0, index=pd.MultiIndex.from_arrays([before, obs.activity])
                      ).groupby(level=[0, 1]).sum()
    for (p, a), count in pairs.items():
        step = START_STEP if p < 0 else str(names[p])
        sums.into[(step, "to:" + str(names[a]))] = float(count) / n_cases
    return sums


def _durations(obs: Observed) -> list[tuple[str, Bounds]]:
    """The duration KPIs ``obs`` can measure, with their bounds per case."""
    found: list[tuple[str, Bounds]] = [(DURATION, case_bounds(obs))]
    for kind in SPANS:
        bounds = span_bounds(obs, BY_KIND[kind])
        if not isinstance(bounds, str):
            found.append((kind, bounds))
    return found


def middle(n: int) -> tuple[float, float]:
    """The quantiles between which the spans about the median lie, of ``n`` spans: the
    central tenth, or ``MIDDLE_CASES`` where a tenth is fewer. (A wider band strays from the
    median where the spans have two modes: Road Traffic's fines, paid within days or
    collected years on, have a central fifth from 100 to 446 days about a median of 150.)"""
    share = min(1.0, max(MIDDLE_SHARE, MIDDLE_CASES / max(n, 1)))
    return 0.5 - share / 2, 0.5 + share / 2


def _span_sums(obs: Observed, kpi: str, bounds: Bounds) -> Sums:
    """Each activity's occurrences, waits and work within the spans about the median
    (``middle``), per such span: from the span's start, each event (begun by its end, cut
    there) adds what it takes the span past the latest end before it, as a wait until it
    starts and work after that."""
    since, until, observed = bounds
    if not observed.any():
        return {}
    length = until - since
    low, high = np.quantile(length[observed], middle(int(observed.sum())))
    observed = observed & (length >= low) & (length <= high)
    n = int(observed.sum())
    case = obs.case
    inside = observed[case] & (obs.start >= since[case]) & (obs.start <= until[case])
    case = case[inside]
    start, end = obs.start[inside], np.minimum(obs.end[inside], until[case])
    prior = pd.Series(end).groupby(case).cummax().groupby(case).shift().to_numpy()
    reached = np.where(np.isnan(prior), since[case], prior)
    wait = np.clip(start - reached, 0.0, None)
    work = np.clip(np.maximum(end, reached) - np.maximum(start, reached), 0.0, None)
    activity, names = obs.activity[inside], obs.activities
    out: Sums = {}
    for quantity, values in (("n", np.ones(len(case))), ("wait", wait), ("work", work)):
        totals = np.bincount(activity, values, minlength=len(names))
        out.update({(kpi, str(names[i]), quantity): float(v) / n
                    for i, v in enumerate(totals) if v})
    return out


def _split(n1: float, t1: Mapping[str, float], n0: float, t0: Mapping[str, float]
           ) -> dict[str, float]:
    """``n1·T1 - n0·T0`` (T the sum of times per occurrence ``t``), split into the part of
    how often (key "often") and of each time, at the midpoint: exact, symmetric."""
    if n1 <= 0 and n0 <= 0:
        return {}
    per1 = {k: v / n1 for k, v in t1.items()} if n1 > 0 else {k: v / n0 for k, v in t0.items()}
    per0 = {k: v / n0 for k, v in t0.items()} if n0 > 0 else per1
    total = (sum(per1.values()) + sum(per0.values())) / 2
    out = {"often": (n1 - n0) * total}
    for k in per1.keys() | per0.keys():
        out[k] = (n1 + n0) / 2 * (per1.get(k, 0.0) - per0.get(k, 0.0))
    return out


def duration_terms(kpi: str, predicted: StepSums, real: StepSums
                   ) -> dict[tuple[str, str], float]:
    """A duration's mean error, per activity and quantity ("often", "wait", "work")."""
    out: dict[tuple[str, str], float] = {}
    for a in {k[1] for k in predicted.time.keys() | real.time.keys() if k[0] == kpi}:
        def times(s: StepSums, a: str = a) -> dict[str, float]:
            return {q: s.time.get((kpi, a, q), 0.0) for q in ("wait", "work")}

        for q, v in _split(predicted.time.get((kpi, a, "n"), 0.0), times(predicted),
                           real.time.get((kpi, a, "n"), 0.0), times(real)).items():
            out[(a, q)] = v
    return out


def frequency_terms(activity: str, predicted: StepSums, real: StepSums
                    ) -> dict[tuple[str, str], float]:
    """An activity's occurrences per case, their error per step before it: how often that
    step is reached ("often") and the chance it leads here ("chance")."""
    out: dict[tuple[str, str], float] = {}
    into = "to:" + activity
    for p in {p for p, k in predicted.into.keys() | real.into.keys() if k == into}:
        for k, v in _split(predicted.into.get((p, "n"), 0.0),
                           {"chance": predicted.into.get((p, into), 0.0)},
                           real.into.get((p, "n"), 0.0),
                           {"chance": real.into.get((p, into), 0.0)}).items():
            out[(p, k)] = v
    return out


def scenario_steps(scenario: Scenario, model: ProcessModel) -> set[str]:
    """The activities a scenario changes: by name, or through the pool that does them."""
    named: set[str] = set()
    pools: set[str] = set()
    for change in scenario.changes:
        settings = change.settings
        if change.activity:
            named.add(change.activity)
        for attribute in ("activity", "source", "target"):
            value = getattr(settings, attribute, None)
            if isinstance(value, str):
                named.add(value)
        if change.kind == "pool" and settings is not None:
            pools.add(str(getattr(settings, "name", "")))
    return named | {a for a, act in model.activities.items() if act.pool in pools}


@dataclass(frozen=True)
class Sides:
    """What the attribution compares, as measured in the backtest."""

    after_predicted: StepSums
    after_real: StepSums
    before_predicted: StepSums
    before_real: StepSums
    before_error: Mapping[str, float]  # per KPI: the unchanged model less the real, before
    known: frozenset[str]  # the model's activities
    own: frozenset[str]  # the scenario's


def attribute(kpi: str, error: float, sides: Sides) -> Attribution:
    """Where ``error`` (predicted with the scenario less real, the KPI's own figure) comes
    from; durations (about their median) and occurrences per case split step by step."""
    if kpi in DURATIONS or kpi.startswith(FREQUENCY):
        return _stepwise(kpi, sides)
    before = float(sides.before_error.get(kpi, 0.0))
    whole = "own_step" if kpi.startswith((WAIT, WORK)) else "rest"
    activity = kpi.split(":", 1)[1] if whole == "own_step" else None
    if activity is not None and activity not in sides.known:
        whole = "missing_step"
    parts = [Part("before", None, before), Part(whole, activity, error - before)]
    return Attribution("value", error, _largest_first(parts))


def _stepwise(kpi: str, sides: Sides) -> Attribution:
    if not kpi.startswith(FREQUENCY):
        after = duration_terms(kpi, sides.after_predicted, sides.after_real)
        before = duration_terms(kpi, sides.before_predicted, sides.before_real)
        own = sides.own
    else:
        activity = kpi[len(FREQUENCY):]
        after = frequency_terms(activity, sides.after_predicted, sides.after_real)
        before = frequency_terms(activity, sides.before_predicted, sides.before_real)
        own = frozenset({activity})
    parts = [Part("before", None, 0.0)]
    for key in after.keys() | before.keys():
        step, quantity = key
        cause = _cause(step, quantity, own, sides.known)
        earlier = 0.0 if cause == "missing_step" else before.get(key, 0.0)
        parts += [Part("before", None, earlier),
                  Part(cause, step, after.get(key, 0.0) - earlier)]
    merged = _merged(parts)
    return Attribution("middle" if kpi in DURATIONS else "mean", sum(after.values()),
                       _largest_first(merged))


def _cause(step: str, quantity: str, own: frozenset[str], known: frozenset[str]) -> str:
    if step != START_STEP and step not in known:
        return "missing_step"
    if quantity == "chance" or step in own:
        return "own_step"
    return {"often": "routing", "wait": "queue", "work": "work"}[quantity]


def _merged(parts: list[Part]) -> list[Part]:
    """One part per cause and step."""
    totals: dict[tuple[str, str | None], float] = {}
    for part in parts:
        key = (part.cause, part.activity)
        totals[key] = totals.get(key, 0.0) + part.value
    return [Part(cause, step, value) for (cause, step), value in totals.items()]


def _largest_first(parts: list[Part]) -> list[Part]:
    """The parts the largest first, without those rounding left (a step timed alike on
    both sides: differences of sums that cancel to the last bits)."""
    noise = ROUNDING * sum(abs(p.value) for p in parts)
    return sorted((p for p in parts if abs(p.value) > noise), key=lambda p: -abs(p.value))
