"""The scenario builder's form, as data: what the controls say, to and from scenario YAML.

The Scenarios page turns sliders and toggles into a ``ScenarioForm``; this module writes it
as the same YAML a person would write by hand (only what differs from the baseline), and
reads an existing scenario back into the form. Changes the form has no control for (a
capped duration, a new segment mix, ...) are kept as written, so opening and saving a
scenario never loses a change. The YAML is then checked by ``scenarios`` like any file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from scenarios.schema import Scenario
from scenarios.segment import NOT_FOR_A_SEGMENT
from sim.model import ProcessModel

DURATION_KEYS = ("shift", "cap")
SAME = 1e-9


@dataclass
class ScenarioForm:
    name: str = ""
    description: str = ""
    work: dict[str, float] = field(default_factory=dict)  # activity -> factor on work time
    delay: dict[str, float] = field(default_factory=dict)  # activity -> factor on the wait
    automate: dict[str, float] = field(default_factory=dict)  # activity -> error rate
    pools: dict[str, int] = field(default_factory=dict)  # pool -> new size
    routing: dict[tuple[str, str], float] = field(default_factory=dict)  # (from, to) -> p
    volume: float = 1.0  # factor on new cases
    payment_days: float = 0.0  # customers pay this many days later (negative: sooner)
    segment: dict[str, str] = field(default_factory=dict)  # the controls' changes are for
    # the cases with this attribute value (empty: every case)
    other: list[dict[str, object]] = field(default_factory=list)  # kept as written


def _settings(change: Any) -> dict[str, object]:
    settings = change.settings.model_dump(mode="json", by_alias=True,
                                          exclude_none=True)
    for key in DURATION_KEYS:
        if key in settings:
            settings[key] = f"{settings[key]}s"
    return settings


def form_from_scenario(scenario: Scenario, model: ProcessModel | None = None) -> ScenarioForm:
    """The form showing ``scenario`` (with what it extends already merged in). The first
    change's segment is the form's; a change made for another segment is kept as written."""
    form = ScenarioForm(name=scenario.name, description=scenario.description.strip())
    shared = scenario.changes[0].segment if scenario.changes else None
    form.segment = dict(shared or {})
    for change in scenario.changes:
        if change.kind == "skip" and change.settings is None:
            form.other.append({"skip": change.activity})
            continue
        if change.segment != shared or change.kind == "skip":
            form.other.append({change.kind: _settings(change)})
            continue
        s: Any = change.settings
        simple_time = (change.kind in ("duration", "delay") and s.scale is not None
                       and s.shift is None and s.cap is None and s.distribution is None)
        if simple_time:
            target = form.work if change.kind == "duration" else form.delay
            target[s.activity] = target.get(s.activity, 1.0) * s.scale
        elif change.kind == "automate":
            form.automate[s.activity] = s.error_rate
        elif change.kind == "pool" and s.calendar is None and (
                s.size is not None or (s.add is not None and model is not None
                                       and s.name in model.pools)):
            base = form.pools.get(s.name) or (model.pools[s.name].size if model else 0)
            form.pools[s.name] = s.size if s.size is not None else base + s.add
        elif change.kind == "transition" and s.probability is not None:
            form.routing[(s.source, s.target)] = s.probability
        elif change.kind == "volume":
            form.volume *= s.scale
        elif change.kind == "payment" and s.days is not None:
            form.payment_days += s.days
        else:
            form.other.append({change.kind: _settings(change)})
    return form


def scenario_data(form: ScenarioForm, model: ProcessModel | None = None) -> dict[str, object]:
    """The scenario as YAML-ready data: only what differs from the baseline ``model``."""
    made: list[dict[str, dict[str, object]]] = []  # one change each: its kind, its settings
    for activity, factor in form.work.items():
        if abs(factor - 1.0) > SAME and activity not in form.automate:
            made.append({"duration": {"activity": activity, "scale": round(factor, 4)}})
    for activity, factor in form.delay.items():
        if abs(factor - 1.0) > SAME and activity not in form.automate:
            made.append({"delay": {"activity": activity, "scale": round(factor, 4)}})
    for activity, error_rate in form.automate.items():
        settings: dict[str, object] = {"activity": activity}
        if error_rate > 0:
            settings["error_rate"] = round(error_rate, 4)
        made.append({"automate": settings})
    for pool, size in form.pools.items():
        if model is None or pool not in model.pools or model.pools[pool].size != size:
            made.append({"pool": {"name": pool, "size": int(size)}})
    for (source, target), probability in form.routing.items():
        branch = model.routing.branches.get(source) if model is not None else None
        if branch is not None and abs(branch.pooled.get(target, 0.0) - probability) < 0.0006:
            continue
        made.append({"transition": {"from": source, "to": target,
                                       "probability": round(probability, 4)}})
    if abs(form.volume - 1.0) > SAME:
        made.append({"volume": {"scale": round(form.volume, 4)}})
    if abs(form.payment_days) > SAME:
        made.append({"payment": {"days": round(form.payment_days, 2)}})
    if form.segment:
        made = [{kind: settings if kind in NOT_FOR_A_SEGMENT  # people serve every case
                 else {**settings, "segment": dict(form.segment)}
                 for kind, settings in change.items()} for change in made]
    changes: list[Mapping[str, object]] = [*made, *form.other]
    data: dict[str, object] = {"name": form.name.strip() or "Unnamed scenario"}
    if form.description.strip():
        data["description"] = form.description.strip()
    data["changes"] = changes
    return data


def scenario_yaml(form: ScenarioForm, model: ProcessModel | None = None) -> str:
    return yaml.safe_dump(scenario_data(form, model), allow_unicode=True, sort_keys=False,
                          default_flow_style=None, width=88)


def file_name(name: str) -> str:
    """A safe file name for a scenario: letters, digits (any script), '_' and '-'."""
    slug = re.sub(r"[^\w\-]+", "_", name.strip(), flags=re.UNICODE).strip("_").lower()
    return (slug or "scenario")[:80] + ".yaml"
