"""Reading a costs file: the prices a comparison's business case is worked out with.

A costs file sits next to the scenarios (``l2c compare ... --costs costs.yaml``): the
currency, the cost of a working hour per pool or person, the cost of each occurrence of an
activity, and the fixed cost of each scenario's change by the scenario's name. It is read
with safe YAML only; a wrong key or price names its key path (``sim.costs``).
"""

from __future__ import annotations

from pathlib import Path

from scenarios.load import safe_yaml
from sim.costs import Costs, parse_costs
from sim.errors import PlannerError


def parse_costs_text(text: str, source: str = "costs") -> Costs:
    """A costs file's text as ``Costs`` (an empty text: no costs)."""
    return parse_costs(safe_yaml(text, source), source, Costs)


def read_costs(path: Path) -> tuple[Costs, str]:
    """The costs in ``path`` and the file's text (kept with a saved comparison)."""
    if not path.is_file():
        raise PlannerError(f"No costs file at {path}. Write one as the README's 'Costs and "
                           "the business case' shows, or leave out --costs.")
    text = path.read_text(encoding="utf-8")
    return parse_costs_text(text, str(path)), text
