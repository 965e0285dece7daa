"""Which scenario files apply to a model, and for the others what is missing.

A library scenario names lead-to-cash steps ("Invoice Generated"); on a model whose log has
no such step (a purchasing process, or a role not mapped) it cannot do what it says, and
the planner offers only the scenarios that apply, saying for the others why not.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.apply import apply_scenario
from scenarios.load import load_scenario
from sim.errors import PlannerError
from sim.model import ProcessModel


def why_not(model: ProcessModel, path: Path) -> str | None:
    """What keeps a scenario file from applying to this model; None when it applies."""
    try:
        apply_scenario(model, load_scenario(path))
    except PlannerError as error:
        return str(error)
    return None
