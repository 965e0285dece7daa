"""Reading scenario files: safe YAML, a clear message for every mistake, ``extends`` resolved.

Nothing in a scenario file is run as code (``yaml.safe_load`` only). Every error names the
file and the key path (``changes[2].pool.size``) and, for a misspelt change type, the one
that was probably meant. A scenario that ``extends`` others (one file name or a list) gets
their changes first, in order, and their costs under its own (``sim.costs.inherit``).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from scenarios.schema import CHANGE_TYPES, Change, Scenario, Skip
from sim.costs import ScenarioCosts, inherit, parse_costs
from sim.errors import PlannerError, did_you_mean

TOP_KEYS = ("name", "description", "extends", "changes", "costs")
SHORTHAND = ("automate", "skip")  # "automate: Invoice Sent" names the activity directly
MAX_EXTENDS = 10
RANGE_ERRORS = {"less_than", "less_than_equal", "greater_than", "greater_than_equal",
                "finite_number"}


def load_scenario(path: str | Path) -> Scenario:
    """Read one scenario file (and whatever it extends)."""
    return _load(Path(path), [])


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    """A scenario from YAML text (``extends`` is resolved next to ``source``)."""
    return _parse(text, source, [])


def _load(path: Path, chain: list[Path]) -> Scenario:
    if not path.is_file():
        raise PlannerError(f"No scenario file at {path}.")
    if path.resolve() in chain:
        raise PlannerError(f"{path}: 'extends' goes round in a circle: "
                           f"{' -> '.join(p.name for p in [*chain, path])}.")
    if len(chain) > MAX_EXTENDS:
        raise PlannerError(f"{path}: more than {MAX_EXTENDS} levels of 'extends'.")
    return _parse(path.read_text(encoding="utf-8"), str(path), [*chain, path.resolve()])


def safe_yaml(text: str, source: str) -> object:
    """YAML text as plain data (nothing in it runs as code), or a message with the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise PlannerError(f"{source}: not valid YAML{where}: "
                           f"{getattr(error, 'problem', error)}.") from None


def _parse(text: str, source: str, chain: list[Path]) -> Scenario:
    data = safe_yaml(text, source)
    if not isinstance(data, dict):
        raise PlannerError(f"{source}: a scenario is a mapping with {', '.join(TOP_KEYS)}.")
    for key in data:
        if key not in TOP_KEYS:
            raise PlannerError(f"{source}: unknown key '{key}'.{did_you_mean(str(key), TOP_KEYS)}"
                               f" A scenario has {', '.join(TOP_KEYS)}.")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise PlannerError(f"{source}: 'name' is missing: give the scenario a name.")
    changes = data.get("changes") or []
    if not isinstance(changes, list):
        raise PlannerError(f"{source}: 'changes' must be a list (one '- ' per change).")
    parsed = tuple(_change(item, f"{source}: changes[{i}]") for i, item in enumerate(changes))
    inherited: tuple[Change, ...] = ()
    priced: list[ScenarioCosts] = []
    extends = data.get("extends") or []
    for base in [extends] if isinstance(extends, str) else extends:
        loaded = _load(Path(source).parent / str(base), chain)
        inherited += loaded.changes
        priced += [loaded.costs] if loaded.costs is not None else []
    own = (parse_costs(data["costs"], f"{source}: costs", ScenarioCosts)
           if data.get("costs") is not None else None)
    costs = inherit(priced, own)
    return Scenario(name=data["name"].strip(), description=str(data.get("description") or ""),
                    extends=data.get("extends"), changes=inherited + parsed,
                    costs=costs, source=source, text=text)


def _change(item: object, where: str) -> Change:
    if not isinstance(item, dict) or len(item) != 1:
        raise PlannerError(f"{where}: each change is one 'type: settings' pair, e.g. "
                           "'- pool: {name: Approvers, add: 1}'.")
    kind, settings = next(iter(item.items()))
    kind = str(kind)
    if kind not in CHANGE_TYPES:
        raise PlannerError(f"{where}: unknown change '{kind}'.{did_you_mean(kind, CHANGE_TYPES)}"
                           f" Changes: {', '.join(CHANGE_TYPES)}.")
    if kind == "skip" and isinstance(settings, str):
        return Change(kind=kind, activity=settings)
    if kind in SHORTHAND and isinstance(settings, str):
        settings = {"activity": settings}
    if not isinstance(settings, dict):
        raise PlannerError(f"{where}.{kind}: expected settings such as "
                           f"'{{activity: ..., scale: 0.5}}', got {settings!r}.")
    try:
        validated = CHANGE_TYPES[kind].model_validate(settings)
        return Change(kind=kind, settings=validated,
                      activity=validated.activity if isinstance(validated, Skip) else None)
    except ValidationError as error:
        problem = error.errors()[0]
        path = ".".join(str(p) for p in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        got = f" (got {problem['input']!r})" if problem["type"] in RANGE_ERRORS else ""
        raise PlannerError(f"{where}.{kind}{'.' + path if path else ''}: {message}{got}."
                           ) from None
