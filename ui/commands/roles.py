"""``--role ROLE=ACTIVITY`` on the commands that read a log: which activity plays which
lead-to-cash role, detected and mapped, said on the screen before anything is computed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError, did_you_mean
from ui.commands.common import err

if TYPE_CHECKING:
    from sim.eventlog import EventLog
    from sim.kpi_roles import Detection

RoleOption = Annotated[list[str] | None, typer.Option(
    "--role", metavar="ROLE=ACTIVITY",
    help="Say which of your activities plays a lead-to-cash role, e.g. --role "
         "quote_approved='Angebot freigegeben' (repeatable; several activities separated by "
         "'|'). Built-in and close names are found without it.")]
RolesFileOption = Annotated[Path | None, typer.Option(
    "--roles", metavar="FILE.yaml",
    help="A roles file, one line per role: ROLE: ACTIVITY, or ROLE: [ACTIVITY, ...], or "
         "ROLE: [] when no activity plays it, e.g. quote_approved: Angebot freigegeben. "
         "--role goes on top of it.")]


def parse_role_overrides(pairs: list[str]) -> dict[str, list[str]]:
    """Turn ``["quote_approved=Angebot freigegeben|Freigabe"]`` into role -> activity names."""
    from sim.kpi_roles import ROLES

    overrides: dict[str, list[str]] = {}
    for pair in pairs:
        role, sep, names = pair.partition("=")
        role = role.strip()
        activities = [name.strip() for name in names.split("|") if name.strip()]
        if not sep or not role or not activities:
            raise PlannerError(f"--role '{pair}': write it as role=activity, e.g. "
                               "quote_approved='Angebot freigegeben' (several activities "
                               "separated by '|').")
        if role not in ROLES:
            raise PlannerError(f"--role '{pair}': unknown KPI role '{role}'."
                               f"{did_you_mean(role, ROLES)} Roles: {', '.join(ROLES)}.")
        given = overrides.setdefault(role, [])
        given.extend(name for name in activities if name not in given)
    return overrides


def role_overrides(pairs: list[str] | None, roles_file: Path | None) -> dict[str, list[str]]:
    """The roles of the ``--roles`` file with each ``--role`` on top (it replaces the
    file's activities for its role)."""
    from calibration.roles_file import load_roles_file

    found = load_roles_file(roles_file) if roles_file is not None else {}
    return found | parse_role_overrides(pairs or [])


def _warn_unknown_activities(overrides: dict[str, list[str]], activities: list[str]) -> None:
    """A --role activity that is not in the log is most likely a typo: say so."""
    from sim.kpi_roles import name_key

    known = {name_key(a) for a in activities}
    for role, names in overrides.items():
        for name in names:
            if name_key(name) not in known:
                err.print(f"[yellow]WARNING [/] role {role}: no activity '{name}' in this log."
                          f"{did_you_mean(name, activities)}", highlight=False)


def log_roles(log: EventLog, pairs: list[str] | None, roles_file: Path | None = None
              ) -> Detection:
    """The roles of this log with the user's mapping (``--roles`` file, ``--role``); close
    names taken for a role are named with their confidence, so a wrong guess can be mapped
    otherwise."""
    from calibration.roles import detect_roles
    from sim.eventlog import ACTIVITY

    overrides = role_overrides(pairs, roles_file)
    _warn_unknown_activities(overrides, [str(a) for a in log.events[ACTIVITY].unique()])
    found = detect_roles(log, overrides)
    for match in found.guessed:
        err.print(f"[cyan]NOTE[/]     '{match.activity}' is taken as {match.role} (like "
                  f"'{match.like}', {match.confidence:.0%} alike); if it is not, map the role "
                  f"with --role {match.role}=ACTIVITY.", highlight=False)
    return found
