"""A roles file: which of a log's activities plays which lead-to-cash role, written once and
given to every command (``--roles FILE``) instead of a ``--role`` per role each time::

    quote_approved: Angebot freigegeben
    invoice_sent: [Rechnung versandt, Rechnung gemailt]   # several activities
    lead_qualified: []                                    # no activity plays it

A role left out is detected as usual; a role given ``[]`` (or nothing) is played by no
activity and never guessed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import ROLES, name_key

EXAMPLE = "quote_approved: Angebot freigegeben, or invoice_sent: [Rechnung versandt]"


def _activities(value: object, where: str) -> list[str]:
    """One activity, a list of them, or none (``[]`` or nothing)."""
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(n, str | int | float) and not isinstance(n, bool) for n in names):
        raise PlannerError(f"{where}: give an activity name or a list of them (got "
                           f"{value!r}), e.g. {EXAMPLE}.")
    return [str(n).strip() for n in names if str(n).strip()]


def load_roles_file(path: Path) -> dict[str, list[str]]:
    """Role -> the activities that play it, as the file says; a bad entry is named."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PlannerError(f"{path}: cannot read the roles file ({error}).") from None
    if not isinstance(data, dict) or not data:
        raise PlannerError(f"{path}: write one line per role, ROLE: ACTIVITY, e.g. {EXAMPLE}. "
                           f"Roles: {', '.join(ROLES)}.")
    found: dict[str, list[str]] = {}
    claimed: dict[str, str] = {}
    for key, value in data.items():
        role = str(key)
        if role not in ROLES:
            raise PlannerError(f"{path}: unknown role '{role}'.{did_you_mean(role, ROLES)} "
                               f"Roles: {', '.join(ROLES)}.")
        found[role] = _activities(value, f"{path}: {role}")
        for name in found[role]:
            other = claimed.setdefault(name_key(name), role)
            if other != role:
                raise PlannerError(f"{path}: '{name}' is given to {other} and to {role}; give "
                                   "each activity one role.")
    return found
