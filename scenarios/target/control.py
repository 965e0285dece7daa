"""Which levers the process owner can act on: the defaults, and what the user says.

A target answered with "Contract Signed waiting 50% shorter" asks the customer to sign
sooner, which nobody inside can order. Levers carry a ``controllable`` flag from the
activity's kind (``levers._controllable``: a customer activity's wait and the days a
customer takes to pay are not levers); the user may name levers to add (a reminder
campaign does shorten the days to pay) or to leave out (a pool that cannot be hired for).
"""

from __future__ import annotations

from dataclasses import replace

from scenarios.target.levers import Catalogue
from sim.errors import PlannerError


def with_control(catalogue: Catalogue, add: list[str] | None = None,
                 remove: list[str] | None = None) -> Catalogue:
    """The catalogue with the levers named in ``add`` controllable and those in ``remove``
    not (ids or names; a name that is no lever gets a did-you-mean)."""
    added = {catalogue.find(name).id for name in add or []}
    removed = {catalogue.find(name).id for name in remove or []}
    both = added & removed
    if both:
        raise PlannerError(f"Lever '{sorted(both)[0]}' is named both as controllable and as "
                           "not controllable; name it once.")
    levers = tuple(replace(lever, controllable=(lever.id in added or lever.controllable)
                           and lever.id not in removed) for lever in catalogue.levers)
    return Catalogue(levers, catalogue.skipped)


def why_not(kind: str) -> str:
    """Why a lever is not offered, in the terms of its kind."""
    if kind in ("delay", "payment"):
        return "the customer's own wait"
    return "marked not controllable"
