"""``--kpis FILE`` on the commands that read a log: the user's own KPIs (``sim.kpis.custom``)
travel with the log, and from it into the model and every simulated log."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sim.eventlog import EventLog

KpisOption = Annotated[Path | None, typer.Option(
    "--kpis", metavar="FILE.yaml",
    help="Your own KPIs: the time from one step to another (by activity or role), e.g. "
         "kpis: [{id: approval_to_contract, name: Approval to contract, from: "
         "quote_approved, to: contract_signed, statistic: median}].")]


def with_own_kpis(log: EventLog, path: Path | None) -> EventLog:
    """The log with the KPIs of the file (as it is without one)."""
    if path is None:
        return log
    from sim.kpis.custom import load_custom_kpis

    return replace(log, custom_kpis=load_custom_kpis(path))
