"""Range checks for the numbers a file or an option brings in, made where they enter.

A number that is valid for its type can still stop the machine: a model with 1e9 new
cases an hour asks the engine for terabytes, and NaN slips past every comparison. Each
limit here lies far beyond any real lead-to-cash process; a message names the limit, the
key path in the file and what to do.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from sim.errors import PlannerError
from sim.model import END, ProcessModel

MAX_HOURLY_ARRIVALS = 10_000.0  # new cases in one hour of the week
MAX_TREND_PER_MONTH = 0.5  # exp(0.5) = 1.65 times the volume a month later
MAX_POOL_SIZE = 100_000
MAX_MEAN_SECONDS = 100 * 365.25 * 86400.0  # mean duration of any activity or wait
MAX_SCALE = 1000.0  # factor of a scenario's duration, transition or loss change
MAX_VOLUME_SCALE = 100.0  # factor of a scenario's volume change
MAX_SHIFT_DAYS = 10 * 365.25  # a scenario's shift, cap or payment days
MAX_SHIFT_SECONDS = MAX_SHIFT_DAYS * 86400.0
MAX_CASES = 10_000_000  # --cases
MAX_DAYS = 100 * 365.25  # --days and --warmup
MAX_REPS = 1000  # --reps


def non_finite(data: object, path: str = "") -> Iterator[str]:
    """Key paths (``arrivals.hourly_rate[0][3]``) of every NaN or infinite number."""
    if isinstance(data, float) and not math.isfinite(data):
        yield path or "(top level)"
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from non_finite(value, f"{path}[{index}]")


def model_problems(model: ProcessModel) -> list[str]:
    """What in the model is out of range, one line per problem with its key path."""
    problems = [f"{path}: not a finite number"
                for path in non_finite(model.model_dump(exclude={"attributes"}))]
    arrivals = model.arrivals
    week = arrivals.week_profile()
    busiest = int(week.argmax())
    if week[busiest] > MAX_HOURLY_ARRIVALS:
        problems.append(f"arrivals.hourly_rate[{busiest // 24}][{busiest % 24}]: "
                        f"{week[busiest]:.3g} new cases in one hour, over the limit of "
                        f"{MAX_HOURLY_ARRIVALS:,.0f}")
    if arrivals.process == "renewal" and arrivals.interarrival is not None:
        gap = arrivals.interarrival.mean()
        if not gap >= 3600.0 / MAX_HOURLY_ARRIVALS:
            problems.append(f"arrivals.interarrival: a mean gap of {gap:.3g} seconds brings "
                            f"more than {MAX_HOURLY_ARRIVALS:,.0f} new cases an hour")
    if abs(arrivals.trend_per_month) > MAX_TREND_PER_MONTH:
        problems.append(f"arrivals.trend_per_month: {arrivals.trend_per_month:.3g} is over "
                        f"the limit of ±{MAX_TREND_PER_MONTH} (a growth factor per month of "
                        f"exp(trend))")
    for name, pool in model.pools.items():
        if pool.size > MAX_POOL_SIZE:
            problems.append(f"pools.{name}.size: {pool.size:,} is over the limit of "
                            f"{MAX_POOL_SIZE:,}")
    for name, activity in model.activities.items():
        for role, dist in (("processing", activity.processing), ("delay", activity.delay)):
            mean = dist.mean() if dist is not None else 0.0
            if not mean <= MAX_MEAN_SECONDS:
                problems.append(f"activities.{name}.{role}: a mean of {mean:.3g} seconds is "
                                f"over the limit of 100 years")
    problems += routing_problems(model)
    for number, variant in enumerate(model.variants):  # a segment's own process
        segment = ", ".join(f"{k} {v}" for k, v in variant.segment.items())
        problems += [f"variants[{number}] ({segment}): {problem}"
                     for problem in routing_problems(model.variant_model(variant))]
    return problems


def routing_problems(model: ProcessModel) -> list[str]:
    """Activities a case can reach but never leave for the end: a loop with probability 1
    would run every such case to the horizon. Every route with a chance above zero counts,
    in any row of a branch's table, so only loops no case can ever leave are reported."""
    routing = model.routing
    after: dict[str, set[str]] = {}
    for name in model.activities:
        branch = routing.branches.get(name)
        rows = [branch.pooled, *branch.table.values()] if branch is not None else [{END: 1.0}]
        after[name] = {target for row in rows for target, p in row.items() if p > 0}
    reached: set[str] = set()
    todo = [target for target, p in routing.start.items() if p > 0 and target != END]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo += [t for t in after.get(name, ()) if t != END]
    ends = {END}
    grew = True
    while grew:
        before = len(ends)
        ends |= {name for name, targets in after.items() if targets & ends}
        grew = len(ends) > before
    trapped = [name for name in model.activities if name in reached and name not in ends]
    if not trapped:
        return []
    names = ", ".join(f"'{n}'" for n in trapped[:5])
    return [f"routing.branches: a case that reaches {names} never ends, every path from "
            "there loops back (a loop with probability 1); give one of these activities a "
            "chance of going on or of ending"]


FIX_MODEL = "Correct them in the file, or calibrate the log again with 'l2c calibrate'."


def check_model(model: ProcessModel, source: str, fix: str = FIX_MODEL) -> ProcessModel:
    """The model itself, or a PlannerError listing its problems (the first ten)."""
    problems = model_problems(model)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems[:10])
        raise PlannerError(f"{source} cannot be simulated as it is:\n{lines}\n{fix}")
    return model


def load_model(path: str | Path, source: str | None = None) -> ProcessModel:
    """A model file read and range-checked."""
    return check_model(ProcessModel.load(path), source or str(path))


def check_reps(reps: int) -> None:
    """At least one replication, and not so many that the run never ends."""
    if not 1 <= reps <= MAX_REPS:
        raise PlannerError(f"--reps must be between 1 and {MAX_REPS} (got {reps}).")


def check_run(cases: int | None, days: float | None, warmup: float) -> None:
    """The run length asked for on the command line fits in the limits above."""
    if cases is not None and not 1 <= cases <= MAX_CASES:
        raise PlannerError(f"--cases must be between 1 and {MAX_CASES:,} (got {cases:,}).")
    for option, value in (("--days", days), ("--warmup", warmup)):
        if value is not None and not 0 <= value <= MAX_DAYS:
            raise PlannerError(f"{option} must be between 0 and {MAX_DAYS:,.0f} "
                               f"(100 years; got {value:g}).")
