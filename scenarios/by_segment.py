"""A comparison's headline KPIs segment by segment (``sim.segments``): the case attributes
to group by and the study, run with the comparison's own replications, seed and length, as
the Compare page's "KPIs by segment" and ``l2c compare --by`` measure them."""

from __future__ import annotations

from scenarios.apply import apply_scenario
from scenarios.comparison import Comparison
from sim.errors import PlannerError, did_you_mean
from sim.kpis.groups import DEAL_SIZE
from sim.model import ProcessModel
from sim.segments import Progress, SegmentResults, segment_study
from sim.study import BASELINE

SKIPPED = ("account", "owner", "amount", "discount")  # one group per deal or per number


def segment_attributes(model: ProcessModel) -> list[str]:
    """The case attributes to group by: the model's named ones, and the deal size band."""
    columns = model.attributes.columns
    found = [c for c in columns if c not in SKIPPED]
    return [*found, DEAL_SIZE] if "amount" in columns and DEAL_SIZE not in found else found


def checked_attribute(model: ProcessModel, by: str) -> str:
    """``by`` when the model's cases can be grouped by it, else a message with what was
    meant."""
    options = segment_attributes(model)
    if by not in options:
        raise PlannerError(f"--by: the cases cannot be grouped by '{by}'."
                           f"{did_you_mean(by, options)} Attributes: "
                           f"{', '.join(options) or 'none'}.")
    return by


def comparison_segments(comparison: Comparison, by: str, n_jobs: int = -1,
                        progress: Progress | None = None) -> SegmentResults:
    """Every scenario of ``comparison`` against the baseline, segment by segment of
    ``by``."""
    study = comparison.study
    model = comparison.baseline.model
    members = [(BASELINE, model), *((s.name, apply_scenario(model, s)[0])
                                    for s in comparison.scenarios)]
    rows = segment_study(members, by, study.replications, study.seed, study.run.copy(),
                         n_jobs, progress)
    return SegmentResults(by, rows)
