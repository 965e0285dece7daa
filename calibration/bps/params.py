"""The sections of a Prosimos parameters file, checked and put into plain structures.

Every problem names the file and the key path (``task_resource_distribution[2].resources[0]
.resource_id``), the bad value and what would be right. Sections that change the simulation
in ways our model cannot express (batching, priorities, branch conditions, multitasking,
messages between processes, fuzzy calendars) are refused when they are not empty, naming the
elements that use them; case, event and global attributes are only data and are ignored
with a note.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import SupportsFloat

from sim.errors import PlannerError, did_you_mean

REQUIRED = ("resource_profiles", "resource_calendars", "task_resource_distribution",
            "arrival_time_distribution")
OPTIONAL = ("arrival_time_calendar", "gateway_branching_probabilities", "event_distribution",
            "gateway_execution_limit", "model_type", "granule_size")
REFUSED = {
    "batch_processing": "batching makes cases wait for each other and changes task durations",
    "prioritisation_rules": "priority rules reorder the queues by case attributes",
    "branch_rules": "branch conditions choose gateway branches from case attributes",
    "multitask": "multitasking lets a person work on several tasks at once",
    "messages": "messages make cases wait for events of other processes",
}
IGNORED = {
    "case_attributes": "case attributes",
    "event_attributes": "event attributes",
    "global_attributes": "global attributes",
}


@dataclass(frozen=True)
class Resource:
    """One resource entry: ``amount`` identical people sharing one calendar."""

    id: str
    name: str
    amount: int
    calendar: str


@dataclass(frozen=True)
class Profile:
    """A resource profile (pool) of the file: its name and the resource ids it lists."""

    id: str
    name: str
    resources: tuple[str, ...]


@dataclass
class Params:
    """The parameters, keyed by BPMN element id; distributions stay JSON dicts here."""

    source: str
    profiles: list[Profile]
    resources: dict[str, Resource]
    calendars: dict[str, list]  # calendar id -> its raw time_periods
    tasks: dict[str, list[tuple[str, dict, str]]]  # task id -> (resource id, dist, key path)
    gateways: dict[str, list[tuple[str, float | None]]]  # gateway id -> (flow id, p or None)
    events: dict[str, tuple[dict, str]]  # event id -> (distribution, key path)
    arrival: dict
    arrival_calendar: list | None


class _Reader:
    """Typed access to JSON values with messages that carry the file and key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> PlannerError:
        return PlannerError(f"{self.source}: {where} {problem}")

    def items(self, value: object, where: str) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list (got {type(value).__name__}).")
        return value

    def obj(self, value: object, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object with keys (got {type(value).__name__}).")
        return value

    def entries(self, value: object, where: str) -> Iterator[tuple[str, dict]]:
        """(key path, object) for each object of the list at ``where``."""
        for i, item in enumerate(self.items(value, where)):
            yield f"{where}[{i}]", self.obj(item, f"{where}[{i}]")

    def text(self, data: dict, key: str, where: str) -> str:
        if key not in data:
            raise self.fail(f"{where}.{key}", "is missing.")
        value = data[key]
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
            raise self.fail(f"{where}.{key}", f"must be a non-empty text (got {value!r}).")
        return str(value)

    def number(self, value: object, where: str) -> float:
        """A finite number; numeric strings (``"0.7"``) count, as Prosimos reads them."""
        try:
            if not isinstance(value, str | SupportsFloat):
                raise TypeError
            number = float(value)
        except (TypeError, ValueError):
            raise self.fail(where, f"must be a number (got {value!r}).") from None
        if isinstance(value, bool) or not math.isfinite(number):
            raise self.fail(where, f"must be a finite number (got {value!r}).")
        return number


def parse_params(data: dict, source: str, notes: list[str]) -> Params:
    """Check the sections and return the parameters the import uses."""
    read = _Reader(source)
    _check_sections(data, read, notes)
    resources, profiles = _resources(data["resource_profiles"], read, notes)
    calendars = {}
    for where, entry in read.entries(data["resource_calendars"], "resource_calendars"):
        calendars[read.text(entry, "id", where)] = read.items(entry.get("time_periods"),
                                                              f"{where}.time_periods")
    for resource in resources.values():
        if resource.calendar not in calendars:
            raise read.fail(f"resource '{resource.name}' (id {resource.id})",
                            f"uses calendar '{resource.calendar}', which is not in "
                            f"resource_calendars.{did_you_mean(resource.calendar, calendars)}")
    arrival_calendar = data.get("arrival_time_calendar")
    if arrival_calendar is not None:
        arrival_calendar = read.items(arrival_calendar, "arrival_time_calendar")
    return Params(
        source=source, profiles=profiles, resources=resources, calendars=calendars,
        tasks=_tasks(data["task_resource_distribution"], resources, read),
        gateways=_gateways(data.get("gateway_branching_probabilities", []), read),
        events=_events(data.get("event_distribution", []), read),
        arrival=read.obj(data["arrival_time_distribution"], "arrival_time_distribution"),
        arrival_calendar=arrival_calendar)


def _check_sections(data: dict, read: _Reader, notes: list[str]) -> None:
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise PlannerError(f"{read.source}: the section(s) {', '.join(missing)} are missing; a "
                           "Prosimos parameters file needs " + ", ".join(REQUIRED) + ".")
    if str(data.get("model_type", "CRISP")).upper() == "FUZZY":
        calendars = _mentions(data.get("resource_calendars"), ("id",))
        raise PlannerError(f"{read.source}: model_type FUZZY (probabilistic calendars: "
                           f"{', '.join(calendars) or 'none listed'}) is not supported; export "
                           "the model with crisp calendars.")
    for key, why in REFUSED.items():
        if data.get(key):
            users = _section_users(data, key)
            raise PlannerError(
                f"{read.source}: section '{key}' is not supported: {why}, which this planner "
                f"does not model (used by {', '.join(users) or 'no element named'}). Remove "
                "the section (or empty it) to import the model without it.")
    for key, what in IGNORED.items():
        if data.get(key):
            notes.append(f"The {what} in '{key}' were ignored: they only matter to branch and "
                         "priority rules, which this import does not support.")
    unknown = [k for k in data if k not in (*REQUIRED, *OPTIONAL, *REFUSED, *IGNORED)]
    if unknown:
        notes.append(f"Sections not used by this import were ignored: {', '.join(unknown)}.")


def _mentions(value: object, keys: tuple[str, ...]) -> list[str]:
    """Every text under one of ``keys`` anywhere in ``value``, first mention first."""
    found: dict[str, None] = {}
    stack = [value]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            found.update((str(v), None) for k, v in item.items()
                         if k in keys and isinstance(v, str | int))
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return list(found)


def _section_users(data: dict, key: str) -> list[str]:
    """The elements a refused section applies to, for the message."""
    if key == "branch_rules":
        gateways = [str(g.get("gateway_id")) for g in data.get("gateway_branching_probabilities")
                    or [] if isinstance(g, dict) and _mentions(g, ("condition_id",))]
        if gateways:
            return [f"gateway {g}" for g in gateways]
    elements = [f"{k.removesuffix('_id')} {v}" for k in ("task_id", "event_id", "resource_id")
                for v in _mentions(data[key], (k,))]
    return elements or [f"attribute {a}" for a in _mentions(data[key], ("attribute",))]


def _resources(section: object, read: _Reader, notes: list[str]
               ) -> tuple[dict[str, Resource], list[Profile]]:
    resources: dict[str, Resource] = {}
    profiles: list[Profile] = []
    for where, entry in read.entries(section, "resource_profiles"):
        listed = []
        for at, item in read.entries(entry.get("resource_list"), f"{where}.resource_list"):
            amount = read.number(item.get("amount", 1), f"{at}.amount")
            if amount < 0 or amount != int(amount):
                raise read.fail(f"{at}.amount", f"must be a whole number >= 0 (got "
                                                f"{item.get('amount')!r}).")
            resource = Resource(id=read.text(item, "id", at),
                                name=" ".join(str(item.get("name") or item["id"]).split()),
                                amount=int(amount), calendar=read.text(item, "calendar", at))
            known = resources.get(resource.id)
            if known is not None and known != resource:
                notes.append(f"Resource '{resource.id}' is defined twice with different "
                             "settings; the last definition is used, as in Prosimos.")
            resources[resource.id] = resource
            listed.append(resource.id)
        profile_id = read.text(entry, "id", where)
        profiles.append(Profile(profile_id, str(entry.get("name") or profile_id), tuple(listed)))
    return resources, profiles


def _tasks(section: object, resources: dict[str, Resource], read: _Reader
           ) -> dict[str, list[tuple[str, dict, str]]]:
    tasks: dict[str, list[tuple[str, dict, str]]] = {}
    for where, entry in read.entries(section, "task_resource_distribution"):
        task_id = read.text(entry, "task_id", where)
        mine = tasks.setdefault(task_id, [])
        for at, item in read.entries(entry.get("resources"), f"{where}.resources"):
            resource_id = read.text(item, "resource_id", at)
            if resource_id not in resources:
                raise read.fail(f"{at}.resource_id", f"'{resource_id}' is not a resource of "
                                f"resource_profiles.{did_you_mean(resource_id, resources)}")
            mine[:] = [m for m in mine if m[0] != resource_id]  # a later entry replaces one
            mine.append((resource_id, item, at))
    return tasks


def _gateways(section: object, read: _Reader) -> dict[str, list[tuple[str, float | None]]]:
    """Branch probabilities per gateway; a value left out is None (Prosimos shares the rest)."""
    if isinstance(section, dict):  # {gateway: {flow: p}}, as early Prosimos files write it
        section = [{"gateway_id": g, "probabilities": [{"path_id": f, "value": p}
                                                       for f, p in read.obj(v, g).items()]}
                   for g, v in section.items()]
    gateways: dict[str, list[tuple[str, float | None]]] = {}
    for where, entry in read.entries(section, "gateway_branching_probabilities"):
        gateway = read.text(entry, "gateway_id", where)
        options = []
        for at, item in read.entries(entry.get("probabilities"), f"{where}.probabilities"):
            if "condition_id" in item:
                raise read.fail(at, f"gives gateway '{gateway}' a branch condition "
                                    f"('{item['condition_id']}'); branch conditions are not "
                                    "supported, only branching probabilities.")
            value = item.get("value")
            options.append((read.text(item, "path_id", at),
                            None if value is None else read.number(value, f"{at}.value")))
        gateways[gateway] = options
    return gateways


def _events(section: object, read: _Reader) -> dict[str, tuple[dict, str]]:
    events = {}
    for where, entry in read.entries(section, "event_distribution"):
        events[read.text(entry, "event_id", where)] = (entry, where)
    return events
