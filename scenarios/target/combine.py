"""Without a chosen lever: which levers matter, and the cheapest mix that reaches the target.

The sensitivity (tornado) table turns each lever by its standard step alone (50% faster,
+1 person, rework cut by half, automated, 10 days sooner) and shows the paired difference
from the baseline with its 95% interval, largest effect first.

The combination is greedy and says so: levers that help are added at their standard step,
best effect per cost unit first (or, once one step alone is predicted to close the gap, the
cheapest such step), simulating the growing mix each time, until the target is reached. If
every helpful standard step together falls short, the same levers are turned to their
extremes one by one, in the same way. The last lever added is then turned only as far as needed (a
goal seek with the others held), and any earlier lever the mix no longer needs is dropped.
If all helpful levers at their extremes fall short, the answer is that the target cannot be
reached with these levers, and how close they get.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scenarios.target.decide import reach_settled
from scenarios.target.evaluate import Evaluation, Evaluator, Settled
from scenarios.target.goal import Target
from scenarios.target.levers import COSTS, Lever, Pricing, plan_of
from scenarios.target.search import seek


@dataclass(frozen=True)
class TornadoRow:
    """One lever turned by its standard step alone."""

    lever: Lever
    amount: float
    evaluation: Evaluation

    @property
    def effect(self) -> float | None:
        return self.evaluation.diff

    def to_dict(self, costs: Pricing = COSTS) -> dict[str, object]:
        found = self.evaluation.to_dict()
        return {"lever": self.lever.id, "label": self.lever.label,
                "step": self.lever.describe(self.amount), "amount": self.amount,
                "value": found["value"], "diff": found["diff"],
                "ci_low": found["diff_ci_low"], "ci_high": found["diff_ci_high"],
                "pct_change": found["pct_change"],
                "cost": self.lever.cost(self.amount, costs)}


def tornado(evaluator: Evaluator, levers: list[Lever], settled: Settled | None = None
            ) -> list[TornadoRow]:
    """Each lever at its standard step, in parallel batches with the baseline (run first,
    and only if not run yet), each lever's until ``settled`` says its effect is decided
    and ranked (``scenarios.target.decide``); largest |effect| first."""
    plans = [plan_of({lever.id: lever.step}) for lever in levers]
    evaluator.expect(len(plans) + (() not in evaluator.cache))
    found = evaluator.evaluate_many([(), *plans], f"sensitivity of {len(levers)} levers",
                                    settled)[1:]
    rows = [TornadoRow(lever, lever.step, ev) for lever, ev in zip(levers, found, strict=True)]
    return sorted(rows, key=lambda r: (r.effect is None, -abs(r.effect or 0.0), r.lever.id))


@dataclass(frozen=True)
class Combination:
    """A mix of lever settings and what it achieves (``reachable`` False: even every helpful
    lever at its extreme falls short; ``settings`` then holds those extremes)."""

    target: Target
    settings: tuple[tuple[Lever, float], ...]
    evaluation: Evaluation
    reachable: bool
    costs: Pricing = COSTS

    @property
    def cost(self) -> float:
        return sum(lever.cost(amount, self.costs) for lever, amount in self.settings)

    @property
    def reached(self) -> bool:
        return self.target.reached(self.evaluation.mean)

    @property
    def confident(self) -> bool:
        return self.reached and self.target.confident(*self.evaluation.interval)

    def to_dict(self) -> dict[str, object]:
        return {"levers": [{"lever": lever.id, "label": lever.label, "change": amount,
                            "change_label": lever.describe(amount),
                            "cost": lever.cost(amount, self.costs)}
                           for lever, amount in self.settings],
                "cost": self.cost, **self.evaluation.to_dict(), "reached": self.reached,
                "confident": self.confident, "reachable": self.reachable,
                "cost_unit": self.costs.unit, "cost_model": self.costs.describe()}


@dataclass(frozen=True)
class _Move:
    """Turning one lever up to ``amount``: its effect predicted from the tornado table
    (extrapolated in proportion beyond the standard step) and what the move costs."""

    lever: Lever
    amount: float
    effect: float  # predicted improvement, in the KPI's unit, > 0
    cost: float


def _moves(rows: list[TornadoRow], target: Target, stage: str, costs: Pricing) -> list[_Move]:
    moves = []
    for row in rows:
        if not target.helps(row.effect):
            continue
        lever, effect = row.lever, abs(row.effect or 0.0)
        if stage == "step":
            moves.append(_Move(lever, lever.step, effect, lever.cost(lever.step, costs)))
        elif lever.maximum > lever.step:
            more = effect * (lever.maximum - lever.step) / lever.step
            moves.append(_Move(lever, lever.maximum, more,
                               lever.cost(lever.maximum, costs) - lever.cost(lever.step, costs)))
    return sorted(moves, key=lambda m: (-m.effect / max(m.cost, 1e-9), m.lever.id))


def _usable(move: _Move, chosen: dict[str, float], stage: str) -> bool:
    lever = move.lever
    if lever.kind in ("duration", "delay") and f"automate:{lever.subject}" in chosen:
        return False  # the activity is automated: it has no work time or waiting left
    return stage == "step" or lever.id in chosen


def _add(lever: Lever, amount: float, chosen: dict[str, float]) -> None:
    if lever.kind == "automate":  # automation makes its activity's time levers moot
        for kind in ("duration", "delay"):
            chosen.pop(f"{kind}:{lever.subject}", None)
    chosen[lever.id] = amount


def cheapest_combination(evaluator: Evaluator, rows: list[TornadoRow], target: Target,
                         costs: Pricing = COSTS) -> Combination:
    """The greedy cheapest mix of the tornado's helpful levers (see the module docstring).

    Each round takes the most effective move per cost unit, unless one move alone is
    predicted to close the remaining gap: then the cheapest such move. Every mix is
    simulated, so a prediction that was wrong only costs a round.
    """
    levers = evaluator.levers
    chosen: dict[str, float] = {}
    current = evaluator.baseline
    for stage in ("step", "extreme"):
        remaining = _moves(rows, target, stage, costs)
        while remaining:
            gap = abs(target.level - (current.mean or 0.0))
            closers = [m for m in remaining if m.effect >= gap]
            move = (min(closers, key=lambda m: (m.cost, -m.effect)) if closers
                    else remaining[0])
            remaining.remove(move)
            if not _usable(move, chosen, stage):
                continue
            before = chosen.get(move.lever.id, 0.0)
            _add(move.lever, move.amount, chosen)
            evaluator.expect(1)
            current = evaluator.evaluate(plan_of(chosen), f"mix of {len(chosen)} levers")
            if target.reached(current.mean):
                return _finish(evaluator, target, chosen, move.lever, before, costs)
    settings = tuple((levers[i], a) for i, a in chosen.items())
    return Combination(target, settings, current, False, costs)


def _finish(evaluator: Evaluator, target: Target, chosen: dict[str, float], last: Lever,
            before: float, costs: Pricing) -> Combination:
    """Turn the last lever only as far as needed, then drop levers the mix can do without."""
    levers = evaluator.levers
    top = chosen[last.id]
    trimmed = replace(last, maximum=top)
    found = seek(evaluator, trimmed, target, base=plan_of(chosen), low=before)
    if found.amount is not None:
        chosen[last.id] = found.amount
    for lever_id in reversed(list(chosen)):
        if lever_id == last.id or len(chosen) == 1:
            continue
        without = {k: v for k, v in chosen.items() if k != lever_id}
        evaluator.expect(1)
        if target.reached(evaluator.evaluate(plan_of(without), "dropping a lever",
                                             reach_settled(target)).mean):
            chosen = without
    settings = tuple((levers[i], a) for i, a in chosen.items())
    return Combination(target, settings, evaluator.evaluate(
        plan_of(chosen), "the mix", reach_settled(target)), True, costs)
