"""Apply a scenario to a baseline model: its changes in order, each a small function.

A scenario may name an activity by its lead-to-cash role ("invoice_generated") or by the
built-in name of that role ("Invoice Generated", as the library does): on a model whose
log names that step otherwise ("Rechnung erstellt"), the activity that plays the role is
meant, so one library applies to every mapped log.
"""

from __future__ import annotations

import numpy as np

from scenarios import changes as c
from scenarios import segment
from scenarios.schema import (
    Automate,
    Change,
    MixChange,
    PaymentChange,
    PoolChange,
    ReworkCut,
    Scenario,
    TimeChange,
    TransitionChange,
    VolumeChange,
    WinChange,
)
from sim.bounds import check_model
from sim.kpi_roles import ROLES, ActivityRoles
from sim.model import ProcessModel

ACTIVITY_FIELDS = ("activity", "source", "target")  # the settings that name an activity


def played_by(model: ProcessModel, name: str) -> str | None:
    """The model's activity meant by a role or a role's built-in name that the model does
    not have itself; None when ``name`` is its own or no single activity plays the role."""
    if name in model.activities:
        return None
    role = name if name in ROLES else ActivityRoles.builtin().role_of(name)
    if role is None:
        return None
    roles = model.activity_roles()
    players = [a for a in model.activities if roles.role_of(a) == role]
    return players[0] if len(players) == 1 else None


def on_model_names(model: ProcessModel, scenario: Scenario) -> Scenario:
    """The scenario with every activity it names as the model names it (``played_by``)."""
    def own(name: str) -> str:
        return played_by(model, name) or name

    changes = []
    for change in scenario.changes:
        settings = change.settings
        if settings is not None:
            settings = settings.model_copy(update={
                field: own(value) for field in ACTIVITY_FIELDS
                if isinstance(value := getattr(settings, field, None), str)})
        changes.append(change.model_copy(update={
            "settings": settings, "activity": change.activity and own(change.activity)}))
    return scenario.model_copy(update={"changes": tuple(changes)})


def apply_scenario(model: ProcessModel, scenario: Scenario) -> tuple[ProcessModel, list[str]]:
    """The changed model (the baseline is untouched) and notes on what could not be done.

    Changes made for one segment (``segment:``) give the segment's rows a variant of the
    process (``scenarios.segment``): the model is changed once without them, and once per
    group of rows that gets some of them."""
    scenario = on_model_names(model, scenario)
    notes: list[str] = []
    touched: dict[int, np.ndarray] = {}
    base = _changed(model, scenario, frozenset(), notes, touched)
    if touched:
        groups = segment.row_groups(touched, len(base.attributes.rows))
        made = {group: _changed(model, scenario, group, notes, {}) for group in groups}
        segments = {n: scenario.changes[n].segment or {} for n in touched}
        base = segment.with_variants(base, made, groups, segments)
    renamed = base.model_copy(update={"name": f"{base.name} — {scenario.name}"})
    changed = ProcessModel.model_validate(renamed.model_dump())
    return check_model(changed, f"{scenario.source or scenario.name}: the changed model",
                       "Correct the scenario's changes."), notes


def _changed(model: ProcessModel, scenario: Scenario, made: frozenset[int], notes: list[str],
             touched: dict[int, np.ndarray]) -> ProcessModel:
    """The model with the scenario's changes in order: all those for every case, and of
    those for a segment's process the ones numbered in ``made`` (``touched`` gets each
    one's rows). A note is said once, whichever pass makes it."""
    said: list[str] = []
    for number, change in enumerate(scenario.changes):
        where = f"{scenario.source or scenario.name}: changes[{number}].{change.kind}"
        if change.segment is None or change.kind == "win":  # win reads its segment itself
            model = _applied(model, change, where, said)
        elif segment.made_by_rows(change):
            rows = segment.segment_rows(model, change, where)
            model = segment.for_rows(model, change, rows, where, said)
        else:
            touched[number] = segment.segment_rows(model, change, where)
            if number in made:
                model = _applied(model, change, where, said)
    notes += [note for note in said if note not in notes]
    return model


def _applied(model: ProcessModel, change: Change, where: str, notes: list[str]
             ) -> ProcessModel:
    """The model with one change made, picked by the type of the change's settings (a
    duration and a delay share theirs: the kind tells them apart)."""
    if change.kind == "skip":
        return c.skip(model, str(change.activity), where, notes)
    match change.settings:
        case TimeChange() as settings if change.kind == "delay":
            return c.change_delay(model, settings, where, notes)
        case TimeChange() as settings:
            return c.change_duration(model, settings, where, notes)
        case Automate() as settings:
            return c.automate(model, settings, where, notes)
        case PoolChange() as settings:
            return c.change_pool(model, settings, where, notes)
        case TransitionChange() as settings:
            return c.change_transition(model, settings, where, notes)
        case ReworkCut() as settings:
            return c.cut_rework(model, settings, where, notes)
        case VolumeChange() as settings:
            return c.change_volume(model, settings, where, notes)
        case MixChange() as settings:
            return c.change_mix(model, settings, where, notes)
        case PaymentChange() as settings:
            return c.change_payment(model, settings, where, notes)
        case WinChange() as settings:
            return c.change_win(model, settings, where, notes)
    raise TypeError(f"{where}: no change is made from {type(change.settings).__name__}")
