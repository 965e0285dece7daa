"""A target's answer kept with the saved comparisons, to be reopened and exported.

What is kept is what the answer said (``TargetReport.to_json``: the goal, the levers and
their settings, the KPI with its interval, the confidence reached, the cost and the business
case) with the question that led to it and the model it was asked of, so the answer reads
the same months later and can be asked again with the same seed and replications.
"""

from __future__ import annotations

from scenarios.target.run import TargetReport
from sim import run_length
from sim.model import ProcessModel
from sim.saved import SavedComparison


def to_saved(report: TargetReport, name: str, model: ProcessModel, costs: str = "",
             question: dict[str, object] | None = None) -> SavedComparison:
    """The answer as a saved entry (``costs``: the costs file's text, "" when none)."""
    target = report.target
    asked = {"kpi": target.kpi, "label": report.label, "stat": target.stat,
             "change": target.change, "unit": target.unit, "mode": report.mode,
             "levers": [s.lever.id for s in report.seeks], **(question or {})}
    return SavedComparison(
        name=name, model_name=model.name, model_fingerprint=model.provenance.fingerprint,
        model_json=model.to_json(), scenarios=[], seed=report.seed,
        replications=report.replications,
        run=run_length.as_json(report.run),
        results=[], costs=costs,
        target={"question": asked, "answer": report.to_json(), "cost_unit": report.pricing.unit,
                "currency": report.money.currency if report.money else None})
