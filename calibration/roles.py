"""Calibration that knows which activity plays which lead-to-cash role.

The roles are detected among the log's activities (built-in names as they are, close names
with a confidence) with the user's mapping on top, put in effect while the fitters run (they
ask ``ActivityRoles.default()`` which activity is a customer's wait, a won deal or an
approver's work), and saved in the model file, so every later command reads the same ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from calibration.evaluate.tuning import calibrate_tuned
from calibration.fit.calibrate import Calibration, CalibrationOptions
from sim.eventlog import ACTIVITY, EventLog
from sim.kpi_roles import Detection, detect, in_effect


def detect_roles(log: EventLog, mapped: Mapping[str, str | Iterable[str]] | None = None
                 ) -> Detection:
    """The roles of this log's activities, the user's ``mapped`` ones first."""
    return detect(log.events[ACTIVITY].dropna().unique(), mapped)


def calibrate_with_roles(log: EventLog, source: str | Path | None = None,
                         options: CalibrationOptions | None = None,
                         found: Detection | None = None,
                         progress: Callable[[str], None] | None = None) -> Calibration:
    """``calibrate`` (tuned, if the options say so) with the log's roles in effect
    (``found``, else the log's own, else detected); the model keeps the roles its
    activities play, and the log's own KPIs."""
    roles = found.roles if found is not None else log.roles or detect_roles(log).roles
    with in_effect(roles):
        fitted = calibrate_tuned(log, source, options, progress=progress)
    mapped = roles.mapped(fitted.model.activities)
    model = fitted.model.model_copy(update={"roles": mapped, "kpis": log.custom_kpis})
    return replace(fitted, model=type(model).model_validate(model.model_dump()))
