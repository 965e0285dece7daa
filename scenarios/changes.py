"""Each kind of change is one function: ProcessModel in, changed copy out.

The baseline is never mutated (the model is frozen): every function builds a new model
with ``model_copy(update=...)`` and touches nothing but what the change names. Names are
checked against the model with a "did you mean"; what a change could not do is said in a
note rather than silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from scenarios.schema import (
    Automate,
    MixChange,
    PaymentChange,
    PoolChange,
    ReworkCut,
    TimeChange,
    TransitionChange,
    VolumeChange,
    WinChange,
)
from sim.calendar import DAY_NAMES, WeekCalendar
from sim.distributions import Distribution, Fixed, adjusted
from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import ROLES, ActivityRoles
from sim.model import END, Activity, Branch, ProcessModel

Notes = list[str]
FIX_SUFFIX = " (manual fix)"
AUTOMATION = "Automation"


def activity_named(model: ProcessModel, name: str, where: str) -> Activity:
    if name not in model.activities:
        role = name if name in ROLES else ActivityRoles.builtin().role_of(name)
        if role is not None:  # a lead-to-cash step no activity of this model plays
            raise PlannerError(f"{where}: no activity plays the role {role} ('{name}') in "
                               "this model, so the change cannot apply. If one of your "
                               "activities is that step, map the role to it and learn the "
                               "model again (--role on the command line, 'Lead-to-cash "
                               "roles' on the Data page).")
        raise PlannerError(f"{where}: no activity '{name}' in the model."
                           f"{did_you_mean(name, model.activities)}")
    return model.activities[name]


def _with_activity(model: ProcessModel, name: str, activity: Activity) -> ProcessModel:
    return model.model_copy(update={"activities": {**model.activities, name: activity}})


def _with_branches(model: ProcessModel, branches: dict[str, Branch],
                   start: dict[str, float] | None = None) -> ProcessModel:
    routing = model.routing.model_copy(update={
        "branches": branches, **({"start": start} if start is not None else {})})
    return model.model_copy(update={"routing": routing})


def _changed_time(dist: Distribution, change: TimeChange) -> Distribution:
    if change.distribution is not None:
        dist = change.distribution
    if change.scale is not None:
        dist = dist.scaled(change.scale)
    if change.shift is not None or change.cap is not None:
        dist = adjusted(dist, shift=change.shift or 0.0, cap=change.cap)
    return dist


def change_duration(model: ProcessModel, change: TimeChange, where: str, notes: Notes
                    ) -> ProcessModel:
    """The work time of a staffed activity."""
    activity = activity_named(model, change.activity, where)
    if activity.processing is None:
        raise PlannerError(f"{where}: '{change.activity}' is a {activity.kind} step with no "
                           "work time; change its waiting time with 'delay' instead.")
    processing = _changed_time(activity.processing, change)
    return _with_activity(model, change.activity,
                          activity.model_copy(update={"processing": processing}))


def change_delay(model: ProcessModel, change: TimeChange, where: str, notes: Notes
                 ) -> ProcessModel:
    """The waiting time before an activity (every segment's, where it depends on one).

    For an activity released in runs, scaling the wait scales the runs (half the wait: runs
    twice as often, for cases half as old); any other change means it no longer waits for
    runs but for the changed delay."""
    activity = activity_named(model, change.activity, where)
    update: dict[str, object] = {"delay": _changed_time(activity.delay, change)}
    if activity.delay_by is not None:
        values = {k: _changed_time(v, change) for k, v in activity.delay_by.values.items()}
        update["delay_by"] = activity.delay_by.model_copy(update={"values": values})
    batch = activity.batch
    if batch is not None:
        only_scaled = change.shift is None and change.cap is None and change.distribution is None
        if only_scaled and change.scale:
            update["batch"] = batch.model_copy(update={
                "every_days": batch.every_days * change.scale,
                "min_age_days": batch.min_age_days * change.scale})
        else:
            update["batch"] = None
            notes.append(f"{where}: '{change.activity}' is no longer released in runs "
                         f"(every {batch.every_days:.0f} days); it waits for the changed "
                         "delay instead.")
    return _with_activity(model, change.activity, activity.model_copy(update=update))


def automate(model: ProcessModel, change: Automate, where: str, notes: Notes) -> ProcessModel:
    """Instant and done by a system; with an error rate, some cases need a manual fix."""
    activity = activity_named(model, change.activity, where)
    automated = activity.model_copy(update={
        "kind": "system", "pool": None, "processing": None, "delay": Fixed(value=0.0),
        "delay_clock": "calendar", "delay_by": None, "batch": None, "resource": AUTOMATION})
    model = _with_activity(model, change.activity, automated)
    if change.error_rate == 0:
        return model
    fix_name = change.activity + FIX_SUFFIX
    fix = activity.model_copy(update={"delay": Fixed(value=0.0), "delay_by": None,
                                      "batch": None, "count": 0})
    branch = model.routing.branches.get(change.activity, Branch(pooled={END: 1.0}))
    to_fix = branch.model_copy(update={
        "pooled": _set_share(branch.pooled, fix_name, change.error_rate, where),
        "table": {k: _set_share(v, fix_name, change.error_rate, where)
                  for k, v in branch.table.items()}})
    model = _with_activity(model, fix_name, fix)
    return _with_branches(model, {**model.routing.branches, change.activity: to_fix,
                                  fix_name: branch})


def change_pool(model: ProcessModel, change: PoolChange, where: str, notes: Notes
                ) -> ProcessModel:
    if change.name not in model.pools:
        raise PlannerError(f"{where}: no pool '{change.name}' in the model."
                           f"{did_you_mean(change.name, model.pools)} Pools: "
                           f"{', '.join(model.pools) or 'none'}.")
    pool = model.pools[change.name]
    size = change.size if change.size is not None else pool.size + (change.add or 0)
    if size < 1:
        raise PlannerError(f"{where}: pool '{change.name}' would have {size} people; a pool "
                           "needs at least one.")
    update: dict[str, object] = {"size": size}
    if change.calendar is not None:
        update["calendar"] = parse_calendar(change.calendar, where)
    pools = {**model.pools, change.name: pool.model_copy(update=update)}
    return model.model_copy(update={"pools": pools})


CALENDAR = re.compile(r"^\s*(\w{3})(?:\s*-\s*(\w{3}))?\s+(\d{1,2}):00\s*-\s*(\d{1,2}):00\s*$")


def parse_calendar(text: str, where: str) -> WeekCalendar:
    """'Mon-Fri 08:00-18:00', several parts separated by commas."""
    hours: list[list[int]] = [[] for _ in range(7)]
    for part in text.split(","):
        match = CALENDAR.match(part)
        if not match:
            raise PlannerError(f"{where}.calendar: '{part.strip()}' is not like "
                               "'Mon-Fri 08:00-18:00' (whole hours).")
        first, last, begin, end = match.groups()
        days = [d.title() for d in (first, last or first)]
        for day in days:
            if day not in DAY_NAMES:
                raise PlannerError(f"{where}.calendar: unknown day '{day}'."
                                   f"{did_you_mean(day, DAY_NAMES)}")
        for d in range(DAY_NAMES.index(days[0]), DAY_NAMES.index(days[1]) + 1):
            hours[d].extend(range(int(begin), int(end)))
    return WeekCalendar(hours=tuple(tuple(sorted(set(h))) for h in hours))


def _set_share(shares: dict[str, float], target: str, new: float, where: str
               ) -> dict[str, float]:
    """``target`` gets share ``new``; the other options keep their proportions."""
    rest = sum(v for k, v in shares.items() if k != target)  # not 1 - old: a model read
    # back from JSON sums to 1 within rounding, which a large factor would blow up
    if rest <= 0 and new < 1:
        raise PlannerError(f"{where}: '{target}' is the only way on, so its chance cannot "
                           "drop: there is nothing to take its place.")
    factor = (1.0 - new) / rest if rest > 0 else 0.0
    changed = {k: v * factor for k, v in shares.items() if k != target}
    changed[target] = new
    return {k: v for k, v in changed.items() if v > 0}


def _branch_of(model: ProcessModel, name: str, where: str) -> Branch:
    activity_named(model, name, where)
    if name not in model.routing.branches:
        raise PlannerError(f"{where}: nothing follows '{name}' in the model.")
    return model.routing.branches[name]


def _retarget(model: ProcessModel, source: str, target: str, where: str,
              share: Callable[[float], float]) -> ProcessModel:
    branch = _branch_of(model, source, where)
    if target != END:
        activity_named(model, target, where)
    every = [branch.pooled, *branch.table.values()]
    if not any(target in shares for shares in every):
        options = sorted({t for shares in every for t in shares})
        raise PlannerError(f"{where}: '{source}' never goes on to '{target}'."
                           f"{did_you_mean(target, options)} It goes on to: "
                           f"{', '.join(options)}.")

    def changed(shares: dict[str, float]) -> dict[str, float]:
        return _set_share(shares, target, min(share(shares.get(target, 0.0)), 1.0), where)

    new = branch.model_copy(update={"pooled": changed(branch.pooled),
                                    "table": {k: changed(v) for k, v in branch.table.items()}})
    return _with_branches(model, {**model.routing.branches, source: new})


def change_transition(model: ProcessModel, change: TransitionChange, where: str,
                      notes: Notes) -> ProcessModel:
    if change.probability is not None:
        probability = change.probability
        return _retarget(model, change.source, change.target, where, lambda _: probability)
    scale = change.scale or 0.0
    return _retarget(model, change.source, change.target, where, lambda p: p * scale)


def cut_rework(model: ProcessModel, change: ReworkCut, where: str, notes: Notes
               ) -> ProcessModel:
    keep = 1.0 - change.cut
    return _retarget(model, change.source, change.target, where, lambda p: p * keep)


def skip(model: ProcessModel, name: str, where: str, notes: Notes) -> ProcessModel:
    """Cases go straight on to what would have followed the skipped activity."""
    activity_named(model, name, where)
    if name in model.routing.parallel or any(name in c for c in model.routing.parallel.values()):
        raise PlannerError(f"{where}: '{name}' runs in parallel with another activity; "
                           "skipping it is not supported.")
    after = dict(model.routing.branches.get(name, Branch(pooled={END: 1.0})).pooled)
    loop = after.pop(name, 0.0)
    after = {k: v / (1.0 - loop) for k, v in after.items()} if loop < 1 else {END: 1.0}

    def bypass(shares: dict[str, float]) -> dict[str, float]:
        through = shares.get(name, 0.0)
        result = {k: v for k, v in shares.items() if k != name}
        for target, p in after.items():
            result[target] = result.get(target, 0.0) + through * p
        return result

    branches = {source: branch.model_copy(update={
        "pooled": bypass(branch.pooled), "table": {k: bypass(v) for k, v in branch.table.items()}})
        for source, branch in model.routing.branches.items() if source != name}
    return _with_branches(model, branches, start=bypass(model.routing.start))


def change_volume(model: ProcessModel, change: VolumeChange, where: str, notes: Notes
                  ) -> ProcessModel:
    rates = tuple(tuple(r * change.scale for r in day) for day in model.arrivals.hourly_rate)
    update: dict = {"hourly_rate": rates}
    if model.arrivals.process == "renewal":  # the gaps set the rate: shorter gaps, more cases
        assert model.arrivals.interarrival is not None  # checked by Arrivals
        update["interarrival"] = model.arrivals.interarrival.scaled(1.0 / change.scale)
    arrivals = model.arrivals.model_copy(update=update)
    return model.model_copy(update={"arrivals": arrivals})


def _column(model: ProcessModel, attribute: str, where: str) -> int:
    columns = model.attributes.columns
    if attribute not in columns:
        raise PlannerError(f"{where}: no case attribute '{attribute}' in the model."
                           f"{did_you_mean(attribute, columns)} Attributes: "
                           f"{', '.join(columns) or 'none'}.")
    return columns.index(attribute)


def _values(model: ProcessModel, index: int, attribute: str, wanted: Iterable[str],
            where: str) -> list[str]:
    """The attribute's values in the model, after checking that every wanted one is there."""
    known = sorted({str(row[index]) for row in model.attributes.rows})
    for value in wanted:
        if value not in known:
            raise PlannerError(f"{where}: '{attribute}' has no value '{value}'."
                               f"{did_you_mean(value, known)} Values: {', '.join(known)}.")
    return known


def change_mix(model: ProcessModel, change: MixChange, where: str, notes: Notes
               ) -> ProcessModel:
    """New shares for some values of an attribute; the other values share what is left."""
    index = _column(model, change.attribute, where)
    rows = model.attributes.rows
    values = np.array([str(row[index]) for row in rows], dtype=object)
    weights = np.asarray(model.attributes.weights or [1.0] * len(rows), dtype=float)
    known = _values(model, index, change.attribute, change.shares, where)
    current = {v: weights[values == v].sum() / weights.sum() for v in known}
    others = 1.0 - sum(change.shares.values())
    others_now = sum(p for v, p in current.items() if v not in change.shares)
    new_weights = weights.copy()
    for value in known:
        mask = values == value
        target = (change.shares[value] if value in change.shares
                  else current[value] * others / others_now if others_now > 0 else 0.0)
        new_weights[mask] = weights[mask] / weights[mask].sum() * target
    attributes = model.attributes.model_copy(update={"weights": tuple(new_weights.tolist())})
    return model.model_copy(update={"attributes": attributes})


def payment_activity(model: ProcessModel) -> str | None:
    """The model's payment activity (Payment Received or what the log calls it), if any."""
    present = ActivityRoles.default().resolve(model.activities).get("payment_received")
    return sorted(present)[0] if present else None


def change_payment(model: ProcessModel, change: PaymentChange, where: str, notes: Notes
                   ) -> ProcessModel:
    name = payment_activity(model)
    if name is None:
        raise PlannerError(f"{where}: the model has no payment activity (such as 'Payment "
                           "Received') whose timing could change.")
    if change.days is not None:
        shift = TimeChange(activity=name, shift=f"{change.days}d")
        return change_delay(model, shift, where, notes)
    activity = model.activities[name]
    by = activity.delay_by
    if by is None:
        raise PlannerError(f"{where}: payment days in this model do not depend on payment "
                           "terms, so new terms would change nothing; use 'days' instead.")
    if change.terms not in by.values:
        raise PlannerError(f"{where}: unknown terms '{change.terms}'."
                           f"{did_you_mean(str(change.terms), by.values)} Terms: "
                           f"{', '.join(by.values)}.")
    index = _column(model, by.attribute, where)
    rows = tuple(tuple(change.terms if i == index else v for i, v in enumerate(row))
                 for row in model.attributes.rows)
    attributes = model.attributes.model_copy(update={"rows": rows})
    return model.model_copy(update={"attributes": attributes})


def change_win(model: ProcessModel, change: WinChange, where: str, notes: Notes
               ) -> ProcessModel:
    """Every loss transition scaled, for cases of one segment (or all)."""
    lost = set(model.outcomes.lost)
    if not lost:
        raise PlannerError(f"{where}: the model does not know which activity means a lost "
                           "deal, so win chances cannot change.")
    attribute, value = next(iter((change.segment or {}).items()), (None, None))
    if attribute is not None:
        _values(model, _column(model, attribute, where), attribute, [str(value)], where)

    def fewer_losses(shares: dict[str, float]) -> dict[str, float]:
        for target in lost & set(shares):
            shares = _set_share(shares, target, min(shares[target] * change.loss_scale, 1.0),
                                where)
        return shares

    branches = dict(model.routing.branches)
    for source, branch in model.routing.branches.items():
        if not lost & {t for s in [branch.pooled, *branch.table.values()] for t in s}:
            continue
        if attribute is None:
            branches[source] = branch.model_copy(update={
                "pooled": fewer_losses(branch.pooled),
                "table": {k: fewer_losses(v) for k, v in branch.table.items()}})
        elif branch.conditioned_on in (None, attribute):
            table = dict(branch.table)
            table[str(value)] = fewer_losses(table.get(str(value), branch.pooled))
            branches[source] = branch.model_copy(update={"conditioned_on": attribute,
                                                         "table": table})
        else:
            notes.append(f"Losses after '{source}' depend on {branch.conditioned_on}, not on "
                         f"{attribute}: they were left unchanged for the segment.")
    return _with_branches(model, branches)
