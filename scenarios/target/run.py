"""One target question end to end: the levers, the baseline, and the answer.

With chosen levers, each gets its own goal seek. Without, every lever that can move the KPI
gets a row in the sensitivity table and the cheapest combination is proposed, from the
levers the process owner controls (``control``). One ``Evaluator`` serves the whole
question, so the baseline runs once and no plan twice. Given costs, levers and the answer
are priced in money (``money``); every answer says how sure it is (``confidence``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.target.combine import Combination, TornadoRow, cheapest_combination, tornado
from scenarios.target.confidence import Sureness
from scenarios.target.control import why_not, with_control
from scenarios.target.decide import effects_settled, target_replications, threshold
from scenarios.target.evaluate import Evaluation, Evaluator, Progress
from scenarios.target.goal import Target, check_stat
from scenarios.target.levers import COSTS, Catalogue, Lever, Pricing, generate_levers
from scenarios.target.money import MoneyPricing
from scenarios.target.relevance import split_relevant
from scenarios.target.search import SeekResult, seek
from sim.business_case import BusinessCase
from sim.costs import Costs
from sim.kpi_roles import ActivityRoles
from sim.model import ProcessModel
from sim.precision import Replications, half_width
from sim.run_length import RunLength


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
    replications: int = 0  # the baseline's (with an adaptive plan: the cap per setting)
    seed: int = 0
    adaptive: bool = False  # settings ran until decided, not a fixed count
    replications_run: int = 0  # over every setting and the baseline, simulated or read
    threshold: float | None = None  # the KPI's practical threshold the search stopped by
    run: RunLength = field(default_factory=RunLength)
    evaluations: int = 0
    pricing: Pricing = COSTS
    uncontrolled: list[Lever] = field(default_factory=list)  # not levers here: not simulated
    cases: dict[str, BusinessCase] = field(default_factory=dict)  # answer -> its money

    @property
    def money(self) -> MoneyPricing | None:
        return self.pricing if isinstance(self.pricing, MoneyPricing) else None

    def sureness(self, evaluation: Evaluation) -> Sureness:
        """How sure an answer is against this report's target and threshold."""
        return Sureness.of(evaluation, self.target, self.threshold)

    def cost_of(self, settings: tuple[tuple[Lever, float], ...], evaluation: Evaluation
                ) -> float:
        """An answer's cost: effort units summed, or money per month as simulated."""
        if self.money is not None:
            return self.money.plan_cost(settings, evaluation)
        return sum(lever.cost(amount, self.pricing) for lever, amount in settings)

    def _priced(self, key: str, settings: tuple[tuple[Lever, float], ...],
                evaluation: Evaluation) -> dict[str, object]:
        """An answer's cost in the pricing's unit, and its business case given money."""
        found: dict[str, object] = {"cost": self.cost_of(settings, evaluation),
                                    "cost_unit": self.pricing.unit}
        if self.money is not None and key in self.cases:
            found["business_case"] = self.cases[key].to_dict()
            found["unpriced"] = self.money.unpriced(settings)
        return found

    @property
    def mode(self) -> str:
        return "seek" if self.seeks else "tornado"

    def to_json(self) -> object:
        """Goal seeks: a list, one object per lever. Otherwise one object with the
        sensitivity table (``tornado``) and the proposed ``combination``."""
        settings = {"replications": self.replications, "seed": self.seed,
                    "evaluations": self.evaluations, "adaptive": self.adaptive,
                    "replications_run": self.replications_run}
        if self.seeks:
            return [{**s.to_dict(), **settings, **self.sureness(s.evaluation).to_dict(),
                     **({} if s.amount is None else self._priced(s.lever.id, (
                         (s.lever, s.amount),), s.evaluation))} for s in self.seeks]
        mix = self.combination
        return {**self.target.to_dict(), "label": self.label, **settings,
                "tornado": [{**r.to_dict(self.pricing),
                             "replications": r.evaluation.replications,
                             "precision": half_width(*r.evaluation.diff_interval)}
                            for r in self.rows],
                "combination": None if mix is None else {
                    **mix.to_dict(), **self.sureness(mix.evaluation).to_dict(),
                    **self._priced(COMBINATION, mix.settings, mix.evaluation)},
                "not_simulated": [{"lever": lv.id, "label": lv.label,
                                   "why": "acts outside the KPI's span"}
                                  for lv in self.outside],
                "not_controllable": [{"lever": lv.id, "label": lv.label,
                                      "why": why_not(lv.kind)} for lv in self.uncontrolled],
                "skipped": list(self.catalogue.skipped), "cost_unit": self.pricing.unit,
                "cost_model": self.pricing.describe()}


def find_target(model: ProcessModel, kpi: str, change: float, *, stat: str = "median",
                levers: list[str] | None = None,
                replications: int | Replications | None = None, seed: int = 1,
                n_jobs: int = -1, run: RunLength | None = None,
                progress: Progress | None = None,
                roles: ActivityRoles | None = None, costs: Costs | None = None,
                costs_source: str = "costs", controllable: list[str] | None = None,
                not_controllable: list[str] | None = None) -> TargetReport:
    """Answer "what must change, and by how much, to move ``kpi`` by ``change``?".

    ``levers`` are lever ids or labels (see ``generate_levers``): each gets a goal seek.
    Without them, a sensitivity table over every lever that can move the KPI, and the
    cheapest combination that reaches the target, from the controllable levers (the
    defaults, with those in ``controllable`` added and those in ``not_controllable`` left
    out; a lever chosen by name is the user's to turn). ``costs`` (read from
    ``costs_source``) prices levers and answers in money. ``run`` goes to ``simulate``.
    """
    check_stat(stat)
    catalogue = with_control(generate_levers(model), controllable, not_controllable)
    chosen = [catalogue.find(name) for name in (levers or [])]
    chosen = list(dict.fromkeys(chosen))
    pricing: Pricing = COSTS if costs is None else MoneyPricing(costs, model, catalogue,
                                                                costs_source)
    plan = target_replications() if replications is None else replications
    evaluator = Evaluator(model, catalogue.by_id, kpi, stat, plan, seed, n_jobs, run,
                          progress)
    if isinstance(pricing, MoneyPricing):
        pricing.watch(evaluator.cache)
    relevant, outside = split_relevant(
        model, tuple(lv for lv in catalogue.levers if lv.controllable), kpi, roles)
    evaluator.expect(len(relevant) + 1 if not chosen else 1)
    baseline = evaluator.baseline
    assert baseline.mean is not None
    target = Target(kpi, stat, change, baseline.mean, evaluator.unit or "days",
                    evaluator.label)
    rows = [] if chosen else tornado(evaluator, relevant, effects_settled(target))
    report = TargetReport(target, catalogue, evaluator.label,
                          replications=evaluator.base_replications, seed=seed,
                          run=RunLength(**run or {}), pricing=pricing,
                          adaptive=evaluator.plan.adaptive,
                          threshold=threshold(target))
    if chosen:
        report.seeks = [seek(evaluator, lever, target) for lever in chosen]
    else:
        report.rows, report.outside = rows, outside
        report.uncontrolled = [lv for lv in catalogue.levers if not lv.controllable]
        report.combination = cheapest_combination(evaluator, report.rows, target, pricing)
    if isinstance(pricing, MoneyPricing):
        report.cases = _cases(report, pricing)
    report.evaluations = len(evaluator.cache)
    report.replications_run = evaluator.simulated
    return report


COMBINATION = "combination"  # the key of the proposed mix's business case


def _cases(report: TargetReport, pricing: MoneyPricing) -> dict[str, BusinessCase]:
    """Each answer's business case: a goal seek's by its lever, the mix's as ``COMBINATION``."""
    cases = {s.lever.id: pricing.case(((s.lever, s.amount),), s.evaluation)
             for s in report.seeks if s.amount is not None}
    mix = report.combination
    if mix is not None and mix.settings:
        cases[COMBINATION] = pricing.case(mix.settings, mix.evaluation)
    return cases
