"""Apply a scenario to a baseline model: its changes in order, each a small function."""

from __future__ import annotations

from collections.abc import Callable

from scenarios import changes as c
from scenarios.schema import Scenario, Settings
from sim.bounds import check_model
from sim.model import ProcessModel

Apply = Callable[[ProcessModel, Settings, str, list[str]], ProcessModel]
APPLY: dict[str, Apply] = {
    "duration": c.change_duration, "delay": c.change_delay, "automate": c.automate,
    "pool": c.change_pool, "transition": c.change_transition, "rework": c.cut_rework,
    "volume": c.change_volume, "mix": c.change_mix, "payment": c.change_payment,
    "win": c.change_win,
}


def apply_scenario(model: ProcessModel, scenario: Scenario) -> tuple[ProcessModel, list[str]]:
    """The changed model (the baseline is untouched) and notes on what could not be done."""
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
