"""Holdout fidelity report (``l2c evaluate``): how well a model calibrated on the earlier
part of a log reproduces the later part, KPI by KPI, by the standard log distances against
their noise floor, and which activities, transitions and segments make up the error.

Modules: ``split`` (the holdout), ``window`` (compared cases, warm-up), ``resolution``
(dates-only logs), ``kpis``, ``distances`` (log-distance-measures and the noise floor),
``findings`` (error attribution), ``report`` (the report and its JSON), ``render`` (table
and HTML), ``run`` (``evaluate_log``).
"""

from calibration.evaluate.report import DistanceRow, EvaluationReport
from calibration.evaluate.run import (
    HEADLINE_REPS,
    EvaluateOptions,
    evaluate_holdout,
    evaluate_log,
    evaluate_model,
)
from calibration.evaluate.split import Holdout, split_log

__all__ = [
    "HEADLINE_REPS", "DistanceRow", "EvaluateOptions", "EvaluationReport", "Holdout",
    "evaluate_holdout", "evaluate_log", "evaluate_model", "split_log",
]
