"""One target question end to end: the levers, the baseline, and the answer.

With chosen levers, each gets its own goal seek. Without, every lever that can move the KPI
gets a row in the sensitivity table and the cheapest combination is proposed. One
``Evaluator`` serves the whole question, so the baseline runs once and no plan twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.target.combine import Combination, TornadoRow, cheapest_combination, tornado
from scenarios.target.evaluate import Evaluator, Progress
from scenarios.target.goal import Target, check_stat
from scenarios.target.levers import COSTS, Catalogue, Lever, generate_levers
from scenarios.target.relevance import split_relevant
from scenarios.target.search import SeekResult, seek
from sim.kpi_roles import ActivityRoles
from sim.model import ProcessModel


@dataclass
class TargetReport:
    """What ``l2c target`` prints: goal seeks, or a tornado table and a combination."""

    target: Target
    catalogue: Catalogue
    label: str
    seeks: list[SeekResult] = field(default_factory=list)
    rows: list[TornadoRow] = field(default_factory=list)
    combination: Combination | None = None
    outside: list[Lever] = field(default_factory=list)  # cannot move this KPI: not simulated
    replications: int = 0
    seed: int = 0
    run: dict[str, object] = field(default_factory=dict)
    evaluations: int = 0

    @property
    def mode(self) -> str:
        return "seek" if self.seeks else "tornado"

    def to_json(self) -> object:
        """Goal seeks: a list, one object per lever. Otherwise one object with the
        sensitivity table (``tornado``) and the proposed ``combination``."""
        settings = {"replications": self.replications, "seed": self.seed,
                    "evaluations": self.evaluations}
        if self.seeks:
            return [{**s.to_dict(), **settings} for s in self.seeks]
        return {**self.target.to_dict(), "label": self.label, **settings,
                "tornado": [r.to_dict() for r in self.rows],
                "combination": None if self.combination is None
                else self.combination.to_dict(),
                "not_simulated": [{"lever": lv.id, "label": lv.label,
                                   "why": "acts outside the KPI's span"}
                                  for lv in self.outside],
                "skipped": list(self.catalogue.skipped), "cost_model": COSTS.describe()}


def find_target(model: ProcessModel, kpi: str, change: float, *, stat: str = "median",
                levers: list[str] | None = None, replications: int = 5, seed: int = 1,
                n_jobs: int = -1, run: dict[str, object] | None = None,
                progress: Progress | None = None,
                roles: ActivityRoles | None = None) -> TargetReport:
    """Answer "what must change, and by how much, to move ``kpi`` by ``change``?".

    ``levers`` are lever ids or labels (see ``generate_levers``): each gets a goal seek.
    Without them, a sensitivity table over every lever that can move the KPI, and the
    cheapest combination that reaches the target. ``run`` goes to ``simulate``.
    """
    check_stat(stat)
    catalogue = generate_levers(model)
    chosen = [catalogue.find(name) for name in (levers or [])]
    chosen = list(dict.fromkeys(chosen))
    evaluator = Evaluator(model, catalogue.by_id, kpi, stat, replications, seed, n_jobs, run,
                          progress)
    relevant, outside = split_relevant(model, catalogue.levers, kpi, roles)
    rows = [] if chosen else tornado(evaluator, relevant)  # with the baseline, in one batch
    evaluator.expect(() not in evaluator.cache)
    baseline = evaluator.baseline
    assert baseline.mean is not None
    target = Target(kpi, stat, change, baseline.mean, evaluator.unit or "days",
                    evaluator.label)
    report = TargetReport(target, catalogue, evaluator.label, replications=replications,
                          seed=seed, run=dict(run or {}))
    if chosen:
        report.seeks = [seek(evaluator, lever, target) for lever in chosen]
    else:
        report.rows, report.outside = rows, outside
        report.combination = cheapest_combination(evaluator, report.rows, target)
    report.evaluations = len(evaluator.cache)
    return report
