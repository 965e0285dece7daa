"""A change the log went through, written as the scenario a user who knew it would write.

The model learned before the change is set against one learned from the cases begun after
it, part by part, and every difference past a practical size becomes a change in the
scenario language: a delay or a work time scaled (by the ratio of the medians), the chance
of going from one activity to another scaled (the transition that moved most, per
activity; a step new since the change read as what follows it, since a scenario cannot
add one), an activity no longer done skipped, a pool resized, the volume of new cases
scaled. The backtest then asks whether that scenario, applied to the before-model, predicts
the after-period: the knock-on effects through queues and routing are the simulation's to
get right, not the description's.
"""

from __future__ import annotations

import math

import pandas as pd
import yaml

from scenarios.load import parse_scenario
from scenarios.schema import Scenario
from sim.bounds import MAX_SCALE, MAX_VOLUME_SCALE
from sim.calendar import WEEK
from sim.distributions import Distribution
from sim.engine.arrivals import WeekRates
from sim.errors import PlannerError
from sim.model import END, Arrivals, ProcessModel

MIN_TIME_RATIO = 1.25  # a median wait or work time this much longer or shorter
MIN_SECONDS = 60.0  # ... of at least a minute on one side
MIN_SHARE_SHIFT = 0.05  # a transition's chance moved by this much (absolute) ...
MIN_SHARE_RATIO = 1.25  # ... and by this factor
ONLY_WAY = 0.999  # a next step this certain has nothing to trade its chance with
LOOK_THROUGH_STEPS = 50  # new activities passed through (a loop among them: 0.9^50 left)
MIN_VOLUME_RATIO = 1.15  # new cases a week
MIN_POOL_CHANGE = 0.2  # a pool this much larger or smaller (and by one person at least)
DIGITS = 3
DESCRIPTION = "What changed in the cases begun since the change, measured on their own data."


def derive_scenario(before: ProcessModel, after: ProcessModel, since: pd.Timestamp
                    ) -> Scenario:
    """The changes from ``before`` to ``after`` as a scenario (YAML text kept with it)."""
    changes = [*_time_changes(before, after), *_skips(before, after),
               *_transitions(before, after), *_pools(before, after), *_volume(before, after)]
    if not changes:
        raise PlannerError(f"The cases begun since {since:%Y-%m-%d} run like those before: no "
                           "wait, work time, transition, pool or volume moved enough to write "
                           "a scenario. Give the change you have in mind with --scenario.")
    text = yaml.safe_dump({
        "name": f"Derived from the log since {since:%Y-%m-%d}",
        "description": DESCRIPTION,
        "changes": changes}, sort_keys=False, allow_unicode=True)
    return parse_scenario(text, "derived scenario")


def _time_changes(before: ProcessModel, after: ProcessModel) -> list[dict[str, object]]:
    changes: list[dict[str, object]] = []
    for name, old in before.activities.items():
        new = after.activities.get(name)
        if new is None:
            continue
        for kind, was, now in (("delay", old.delay, new.delay),
                               ("duration", old.processing, new.processing)):
            ratio = _median_ratio(was, now)
            if ratio is not None:
                changes.append({kind: {"activity": name, "scale": ratio}})
    return changes


def _median_ratio(was: Distribution | None, now: Distribution | None) -> float | None:
    if was is None or now is None:
        return None
    old, new = float(was.quantile(0.5)), float(now.quantile(0.5))
    if max(old, new) < MIN_SECONDS or old <= 0:
        return None
    ratio = new / old
    return _rounded(min(ratio, MAX_SCALE)) if _material(ratio, MIN_TIME_RATIO) else None


def _skips(before: ProcessModel, after: ProcessModel) -> list[dict[str, object]]:
    parallel = {n for lead, rest in before.routing.parallel.items() for n in (lead, *rest)}
    return [{"skip": name} for name in before.activities
            if name not in after.activities and name not in parallel]


def _transitions(before: ProcessModel, after: ProcessModel) -> list[dict[str, object]]:
    """Per activity done in both, the next step whose chance moved most, if it moved
    enough (the others follow: a scenario renormalises them)."""
    changes: list[dict[str, object]] = []
    for source, branch in before.routing.branches.items():
        if source not in after.routing.branches or source not in after.activities:
            continue
        later = _known_next(before, after, source)
        moved = []
        for target, share in branch.pooled.items():
            if not 0 < share < ONLY_WAY or (target in before.activities
                                            and target not in after.activities):
                continue  # a sure step has nothing to trade; a dropped activity is skipped
            now = later.get(target, 0.0)
            if abs(now - share) >= MIN_SHARE_SHIFT and (
                    now == 0 or _material(now / share, MIN_SHARE_RATIO)):
                moved.append((abs(now - share), target, now / share))
        if moved:
            _, target, ratio = max(moved)
            changes.append({"transition": {"from": source, "to": target,
                                           "scale": _rounded(min(ratio, MAX_SCALE))}})
    return changes


def _known_next(before: ProcessModel, after: ProcessModel, source: str) -> dict[str, float]:
    """The after-model's chances of each next step from ``source``, in the before-model's
    words: an activity new since the change passes its chance on to what follows it there.

    A scenario cannot add an activity, and a new step taking the place of an old one is
    not a change of route: when fines go on to a new 'Send for Credit Collection' instead
    of ending, and it ends them, they still end. Read as "fewer end", the freed chance
    went to the old next steps in proportion (a scenario renormalises them): on Road
    Traffic to 'Payment', whose predicted shift was 5.2 times the real one.
    """
    share = dict(after.routing.branches[source].pooled)
    for _ in range(LOOK_THROUGH_STEPS):
        new = [n for n in share if n != END and n not in before.activities]
        if not new:
            break
        for name in new:
            passed = share.pop(name)
            onward = after.routing.branches.get(name)
            for target, p in (onward.pooled if onward else {END: 1.0}).items():
                share[target] = share.get(target, 0.0) + passed * p
    for name in [n for n in share if n != END and n not in before.activities]:
        share[END] = share.get(END, 0.0) + share.pop(name)  # a loop of new steps: it ends
    return share


def _pools(before: ProcessModel, after: ProcessModel) -> list[dict[str, object]]:
    changes: list[dict[str, object]] = []
    for name, pool in before.pools.items():
        later = after.pools.get(name)
        if later is not None and abs(later.size - pool.size) >= max(
                1, MIN_POOL_CHANGE * pool.size):
            changes.append({"pool": {"name": name, "size": later.size}})
    return changes


def _volume(before: ProcessModel, after: ProcessModel) -> list[dict[str, object]]:
    """New cases a week by both models in the middle of the after-period: a growth the
    before-model already has is not a change."""
    first, last = (pd.Timestamp(after.provenance.period_start).tz_localize(None),
                   pd.Timestamp(after.provenance.period_end).tz_localize(None))
    middle = first + (last - first) / 2
    old, new = (_weekly_rate(m.arrivals, middle) for m in (before, after))
    if old <= 0 or new <= 0 or not _material(new / old, MIN_VOLUME_RATIO):
        return []
    return [{"volume": {"scale": _rounded(min(new / old, MAX_VOLUME_SCALE))}}]


def _weekly_rate(arrivals: Arrivals, at: pd.Timestamp) -> float:
    """Expected new cases in the week from ``at``, as the engine draws them."""
    if arrivals.process == "renewal" and arrivals.interarrival is not None:
        return WEEK / max(arrivals.interarrival.mean(), 1.0)
    return float(WeekRates(arrivals, at)(0).sum())


def _material(ratio: float, threshold: float) -> bool:
    return ratio > 0 and abs(math.log(ratio)) >= math.log(threshold)


def _rounded(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")
