"""Apply a scenario to a baseline model: its changes in order, each a small function.

A scenario may name an activity by its lead-to-cash role ("invoice_generated") or by the
built-in name of that role ("Invoice Generated", as the library does): on a model whose
log names that step otherwise ("Rechnung erstellt"), the activity that plays the role is
meant, so one library applies to every mapped log.
"""

from __future__ import annotations

from collections.abc import Callable

from scenarios import changes as c
from scenarios.schema import Scenario, Settings
from sim.bounds import check_model
from sim.kpi_roles import ROLES, ActivityRoles
from sim.model import ProcessModel

Apply = Callable[[ProcessModel, Settings, str, list[str]], ProcessModel]
APPLY: dict[str, Apply] = {
    "duration": c.change_duration, "delay": c.change_delay, "automate": c.automate,
    "pool": c.change_pool, "transition": c.change_transition, "rework": c.cut_rework,
    "volume": c.change_volume, "mix": c.change_mix, "payment": c.change_payment,
    "win": c.change_win,
}


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
    """The changed model (the baseline is untouched) and notes on what could not be done."""
    scenario = on_model_names(model, scenario)
    notes: list[str] = []
    for number, change in enumerate(scenario.changes):
        where = f"{scenario.source or scenario.name}: changes[{number}].{change.kind}"
        if change.kind == "skip":
            model = c.skip(model, str(change.activity), where, notes)
        else:
            model = APPLY[change.kind](model, change.settings, where, notes)  # type: ignore[arg-type]
    renamed = model.model_copy(update={"name": f"{model.name} — {scenario.name}"})
    changed = ProcessModel.model_validate(renamed.model_dump())
    return check_model(changed, f"{scenario.source or scenario.name}: the changed model",
                       "Correct the scenario's changes."), notes
