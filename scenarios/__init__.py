"""Scenario files: what-if changes to a baseline process model, in business terms.

A scenario is a small YAML file (a name, a description, optionally the scenario it extends,
and a list of changes). ``load_scenario`` reads and checks one; ``apply_scenario`` returns
a changed copy of a model. The library of ready-made scenarios for the lead-to-cash
process ships in this folder; ``library()`` lists it.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.apply import apply_scenario
from scenarios.load import load_scenario, parse_scenario
from scenarios.schema import Scenario

LIBRARY = Path(__file__).parent


def library() -> list[Path]:
    """The scenario files shipped with the planner, in a stable order."""
    return sorted(LIBRARY.glob("*.yaml"))


__all__ = ["LIBRARY", "Scenario", "apply_scenario", "library", "load_scenario",
           "parse_scenario"]
