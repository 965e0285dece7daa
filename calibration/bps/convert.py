"""``import_bps``: a Prosimos model (BPMN + JSON) as a ``ProcessModel``, with notes.

Every task becomes a staffed activity of its pool, with the work time of its resources and
no delay of its own: in Prosimos a task is ready the moment the previous one ends, and all
waiting is queueing for a person, which our engine does too. Intermediate catch events
(timers, messages) become instant system events after their delay on the wall clock. End
events named like an outcome ("Deal won", "Opportunity lost") become instant system events
that close the case as won or lost; other end events just end it.

Outcome words: won, win, success(ful) for won; lost, lose, loss, rejected, cancel(l)ed for
lost (a name with both is left alone).

The model has no case attributes (one empty row is drawn for every case), no trend, and
provenance that points at both files: no log was seen, so cases and events are 0 and the
period is the reference date, a Monday.

Arrivals are a renewal process, as in Prosimos: the gaps are drawn from the model's
arrival distribution and placed on the arrival calendar the way Prosimos places them (see
``sim.engine.arrivals``). The notes state where the gaps, or any other duration, come from a
fitted distribution because ours has no exact equivalent, and that parameters written in
Prosimos 1 order are read that way, where Prosimos 2 would read the same numbers differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from calibration.bps.arrivals import hourly_rates
from calibration.bps.bpmn import ProcessGraph, parse_graph
from calibration.bps.calendars import Periods
from calibration.bps.durations import DRAWS, SEED, Spec, convert, convert_mixture, parse_spec
from calibration.bps.files import read_bpmn, read_params
from calibration.bps.params import Params, parse_params
from calibration.bps.pools import Pools, build_pools
from calibration.bps.routing import RoutingBuilder, branch_probabilities
from calibration.sources import fingerprint
from sim.distributions import Fixed
from sim.errors import PlannerError
from sim.model import (
    Activity,
    Arrivals,
    CaseAttributes,
    Outcomes,
    ProcessModel,
    Provenance,
    Routing,
)

REFERENCE = "2024-01-01"  # a Monday: where simulations of an imported model start by default
WON = re.compile(r"\b(won|win|wins|successful|success)\b", re.IGNORECASE)
LOST = re.compile(r"\b(lost|lose|loss|rejected|cancell?ed)\b", re.IGNORECASE)


@dataclass
class BpsImport:
    """The imported model and what a process owner should know about the import."""

    model: ProcessModel
    notes: list[str] = field(default_factory=list)


def import_bps(bpmn: str | Path, params: str | Path) -> BpsImport:
    """Read a Prosimos model (BPMN diagram and JSON parameters) into a ``ProcessModel``."""
    bpmn, params = Path(bpmn), Path(params)
    notes = [f"Imported from a Prosimos model, not learned from a log: no cases or events were "
             f"seen, and simulations start on {REFERENCE} (a Monday) unless given a start."]
    graph = parse_graph(read_bpmn(bpmn), bpmn.name)
    if graph.ignored:
        listed = [f"{tag} '{i}'" for i, tag in graph.ignored.items()]
        more = f" and {len(listed) - 5} more" if len(listed) > 5 else ""
        notes.append(f"Elements this import does not use were skipped: "
                     f"{', '.join(listed[:5])}{more}.")
    settings = parse_params(read_params(params), params.name, notes)
    names, won, lost = _activity_names(graph, notes)
    tasks = [n.id for n in graph.of_kind("task")]
    _check_tasks(graph, settings, tasks, notes)
    pools = build_pools(tasks, settings, names, notes)
    legacy: list[tuple[str, Spec]] = []  # (where, spec) read in Prosimos 1 order
    activities = _activities(graph, settings, names, pools, notes, legacy)
    probabilities = branch_probabilities(graph, settings.gateways, params.name, notes)
    routing = RoutingBuilder(graph, probabilities, names, bpmn.name).build(notes)
    model = ProcessModel(
        name=f"{bpmn.stem} (Prosimos import)",
        provenance=_provenance(bpmn, params),
        arrivals=_arrivals(graph, settings, routing, names, notes, legacy),
        attributes=CaseAttributes(columns=(), rows=((),)),
        activities=activities, routing=routing, pools=pools.pools,
        outcomes=Outcomes(won=won, lost=lost))
    if legacy:
        users: dict[str, list[str]] = {}
        for who, spec in legacy:
            users.setdefault(spec.text, []).append(who)
        read = "; ".join(f"{text} for {', '.join(who)}" for text, who in users.items())
        notes.append("These parameters are in Prosimos 1 order (scipy.stats: shapes, loc, "
                     f"scale, then min and max) and were read that way: {read}. Prosimos 2 "
                     "reads each list by position in its own order (expon as "
                     "mean, min, max; lognorm and gamma as mean, variance, min, max; uniform "
                     "as min, max), so it simulates other times from the same file, or stops.")
    return BpsImport(model, notes)


def _activity_names(graph: ProcessGraph, notes: list[str]
                    ) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    """Node id -> activity name for tasks, events and outcome end events (won, lost)."""
    names: dict[str, str] = {}
    won: list[str] = []
    lost: list[str] = []
    for node in graph.nodes.values():
        outcome = None
        if node.kind == "end" and node.name != node.id:
            is_won, is_lost = bool(WON.search(node.name)), bool(LOST.search(node.name))
            if is_won != is_lost:
                outcome = "won" if is_won else "lost"
        if node.kind not in ("task", "event") and outcome is None:
            continue
        name = node.name
        if name in names.values():
            name = f"{node.name} ({node.id})"
            notes.append(f"Two elements are called '{node.name}'; {node.describe()} is named "
                         f"'{name}' here.")
        names[node.id] = name
        if outcome is not None:
            (won if outcome == "won" else lost).append(name)
    if won or lost:
        closing = [f"{word}: {', '.join(ends)}" for word, ends in (("won", won), ("lost", lost))
                   if ends]
        notes.append(f"End events named like an outcome close cases ({'; '.join(closing)}).")
    return names, tuple(won), tuple(lost)


def _check_tasks(graph: ProcessGraph, params: Params, tasks: list[str],
                 notes: list[str]) -> None:
    unknown = [t for t in params.tasks if t not in tasks]
    if unknown:
        notes.append(f"task_resource_distribution entries for ids that are not tasks of the "
                     f"diagram were ignored: {', '.join(unknown)}.")
    for task in tasks:
        if not params.tasks.get(task):
            raise PlannerError(
                f"{params.source}: task_resource_distribution has no resources for "
                f"{graph.nodes[task].describe()}; every task needs at least one resource "
                "with a duration distribution.")
    for node in graph.of_kind("event"):
        if node.id not in params.events:
            raise PlannerError(
                f"{params.source}: event_distribution has no entry for {node.describe()}; "
                "give it a duration (a fix of 0 for an instant event).")


def _activities(graph: ProcessGraph, params: Params, names: dict[str, str], pools: Pools,
                notes: list[str], legacy: list[tuple[str, Spec]]) -> dict[str, Activity]:
    activities: dict[str, Activity] = {}
    fitted: list[str] = []
    for node_id, name in names.items():
        node = graph.nodes[node_id]
        if node.kind == "task":
            parts: list[tuple[Spec, int]] = [
                (parse_spec(dist, f"{params.source}: {where}"), params.resources[r].amount)
                for r, dist, where in params.tasks[node_id]]
            legacy += [(f"'{name}'", spec) for spec, _ in parts if spec.legacy]
            converted = convert_mixture(parts)
            activities[name] = Activity(kind="staffed", pool=pools.task_pool[node_id],
                                        processing=converted.distribution,
                                        delay=Fixed(value=0.0), delay_clock="working")
        elif node.kind == "event":
            dist, where = params.events[node_id]
            spec = parse_spec(dist, f"{params.source}: {where}")
            legacy += [(f"'{name}'", spec)] if spec.legacy else []
            converted = convert(spec)
            activities[name] = Activity(kind="system", delay=converted.distribution,
                                        delay_clock="calendar")
        else:
            activities[name] = Activity(kind="system", delay=Fixed(value=0.0))
            continue
        if converted.fitted is not None:
            fitted.append(f"'{name}' ({converted.fitted})")
    if fitted:
        notes.append("These durations were replaced by a distribution fitted to draws from "
                     "the Prosimos one(s), as this planner has no exact equivalent: "
                     + "; ".join(fitted) + ".")
    return activities


def _arrivals(graph: ProcessGraph, params: Params, routing: Routing, names: dict[str, str],
              notes: list[str], legacy: list[tuple[str, Spec]]) -> Arrivals:
    spec = parse_spec(params.arrival, f"{params.source}: arrival_time_distribution")
    mean_gap = spec.mean()
    if mean_gap <= 0:
        raise PlannerError(f"{params.source}: arrival_time_distribution has mean "
                           f"{mean_gap:g} s; the time between arrivals must be positive.")
    legacy += [("arrivals", spec)] if spec.legacy else []
    gap = convert(spec)
    if gap.fitted is not None:
        draws = spec.sample(np.random.default_rng(SEED), DRAWS)
        ours = gap.distribution.sample(np.random.default_rng(SEED), DRAWS)
        notes.append(f"Prosimos draws the time between arrivals from {spec.text} (mean "
                     f"{mean_gap:,.0f} s, coefficient of variation "
                     f"{draws.std() / draws.mean():.2f}), which has no exact equivalent here; "
                     "the gaps are drawn from a distribution fitted to draws from it "
                     f"({gap.distribution.describe()}; mean {gap.distribution.mean():,.0f} s, "
                     f"coefficient of variation {ours.std() / ours.mean():.2f}).")
    where = f"{params.source}: arrival_time_calendar"
    if params.arrival_calendar is not None:
        periods = Periods.parse(params.arrival_calendar, where)
    else:
        periods = _starters_calendar(params, routing, names)
        notes.append("No arrival_time_calendar: cases arrive when the resources of the first "
                     "tasks work, as in Prosimos.")
    open_hours = periods.to_calendar(where, notes).grid()
    return Arrivals(hourly_rate=hourly_rates(np.asarray(open_hours), mean_gap),
                    trend_per_month=0.0, reference=REFERENCE, interarrival=gap.distribution,
                    process="renewal")


def _starters_calendar(params: Params, routing: Routing, names: dict[str, str]) -> Periods:
    """The union of the calendars of everyone who can do a first task (else always open)."""
    by_name = {name: node_id for node_id, name in names.items()}
    first = [t for s in routing.start for t in (s, *routing.parallel.get(s, ()))]
    union = None
    for target in first:
        for resource, _, _ in params.tasks.get(by_name.get(target, ""), []):
            calendar = params.resources[resource].calendar
            periods = Periods.parse(params.calendars[calendar],
                                    f"{params.source}: calendar '{calendar}'")
            union = periods if union is None else union.union(periods)
    always = [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00", "endTime": "23:59:59"}]
    return union if union is not None else Periods.parse(always, "always")


def _provenance(bpmn: Path, params: Path) -> Provenance:
    return Provenance(
        source=bpmn.name, fingerprint=fingerprint(bpmn, params),
        period_start=REFERENCE, period_end=REFERENCE, cases=0, events=0, open_cases=0,
        options={"importer": "prosimos", "parameters": params.name},
        library=f"l2c-planner {metadata.version('l2c-planner')}")
