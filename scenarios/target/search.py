"""Goal seek: the smallest turn of one lever that reaches the target.

The lever's extreme is tried first: if even that misses, the answer is "cannot reach: at most
X% with this lever". Otherwise a monotone search narrows the amount: for continuous levers
regula falsi on the bracket (the line through its ends' values; the Illinois rule when one
end stays put, and halving it when that does not move it either) to the lever's tolerance,
e.g. one percentage point, and a scan from the smallest step for whole-number levers
(people, on/off). The amounts tried on the way run few replications;
the answer then runs more until it clearly reaches the target, clearly misses it, or is known
to within the KPI's threshold (``scenarios.target.decide``), and if it then misses, the next
amount up is tried the same way. The answer is always an amount that was simulated, so its
interval is known; it reaches the target on average over the replications, and *with
confidence* when the 95% interval's far side does too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from scenarios.target.decide import reach_settled, threshold
from scenarios.target.evaluate import Evaluation, Evaluator, Settled
from scenarios.target.goal import Target
from scenarios.target.levers import Lever, Plan, plan_of


@dataclass(frozen=True)
class SeekResult:
    """The outcome of one goal seek (``amount`` None: the lever cannot reach the target)."""

    lever: Lever
    target: Target
    amount: float | None
    evaluation: Evaluation  # at ``amount``, or at the lever's extreme when unreachable
    trace: tuple[tuple[float, float | None], ...]  # every amount tried, with its value

    @property
    def reachable(self) -> bool:
        return self.amount is not None

    @property
    def reached(self) -> bool:
        return self.target.reached(self.evaluation.mean)

    @property
    def confident(self) -> bool:
        return self.reached and self.target.confident(*self.evaluation.interval)

    @property
    def best_change(self) -> float | None:
        """Relative change of the KPI at ``amount`` (at the extreme when unreachable)."""
        return self.evaluation.pct_change

    @property
    def change_label(self) -> str:
        if self.amount is None:
            return f"cannot reach ({self.lever.describe(self.lever.maximum)} is not enough)"
        return self.lever.describe(self.amount)

    def to_dict(self) -> dict[str, object]:
        return {**self.target.to_dict(), "lever": self.lever.id, "label": self.lever.label,
                "change": self.amount, "change_label": self.change_label,
                **self.evaluation.to_dict(), "reached": self.reached,
                "confident": self.confident, "reachable": self.reachable,
                "cost": None if self.amount is None else self.lever.cost(self.amount),
                "trace": [{"change": a, "value": v} for a, v in self.trace]}


def seek(evaluator: Evaluator, lever: Lever, target: Target, base: Plan = (),
         low: float = 0.0) -> SeekResult:
    """The smallest amount of ``lever`` whose mean statistic reaches ``target``.

    ``base`` holds other levers' settings that stay as they are (a combination being
    completed), and ``low`` an amount already known to fall short.
    """
    trace: list[tuple[float, float | None]] = []
    others = {k: v for k, v in base if k != lever.id}

    def evaluate(amount: float, record: bool = True, settled: Settled | None = None
                 ) -> Evaluation:
        found = evaluator.evaluate(plan_of({**others, lever.id: amount}),
                                   f"{lever.label}: {lever.describe(amount)}", settled)
        if record:
            trace.append((amount, found.mean))
        return found

    start = evaluate(low, record=low > 0)
    if target.reached(start.mean):
        best, at = _settle(evaluate, lever, target, low)
        return SeekResult(lever, target, best, at, ((best, at.mean),))
    levels = [a for a in lever.levels() if a > low] if lever.integer else []
    evaluator.expect(len(levels) if lever.integer
                     else 1 + math.ceil(math.log2((lever.maximum - low) / lever.tolerance)))
    extreme = evaluate(lever.maximum, settled=reach_settled(target))
    if not target.reached(extreme.mean):
        return SeekResult(lever, target, None, extreme, tuple(trace))
    best, at = lever.maximum, extreme
    if lever.integer:
        for amount in levels[:-1]:
            found = evaluate(amount)
            if target.reached(found.mean):
                best, at = amount, found
                break
        best, at = _settle(evaluate, lever, target, best)
    else:
        rule = reach_settled(target)
        close = threshold(target) if evaluator.plan.adaptive else 0.0
        best, at = _narrow(evaluate, lever, target, (low, start), (best, at), close)
        settled = evaluate(best, record=False, settled=rule)
        if target.reached(settled.mean):
            at = settled
        elif best < lever.maximum:  # the answer missed on more replications: search on
            upper = evaluate(lever.maximum, record=False, settled=rule)
            best, at = _narrow(evaluate, lever, target, (best, settled),
                               (lever.maximum, upper), close, rule)
        else:
            at = settled
    if not target.reached(at.mean):
        return SeekResult(lever, target, None, at, tuple(trace))
    return SeekResult(lever, target, best, at, tuple(trace))


Point = tuple[float, Evaluation]  # an amount of the lever and its evaluation


def _narrow(evaluate: Callable[..., Evaluation], lever: Lever, target: Target, short: Point,
            reaching: Point, close: float, settled: Settled | None = None) -> Point:
    """Regula falsi on the bracket (an amount that falls short, one that reaches) down to
    the lever's tolerance, or until its ends' values are ``close`` (the KPI's threshold:
    amounts between them cannot be told apart): the smallest amount found to reach (each
    evaluation on the replications ``settled`` asks for, given a rule)."""
    (low, below), (best, at) = short, reaching
    last_reached, streak = None, 0
    while best - low > lever.tolerance and not _within(below, at, close):
        low_mean, best_mean = below.mean, at.mean
        if streak == 2:  # the same end moved twice: the other's pull halved (Illinois)
            if last_reached:
                low_mean = _halfway(low_mean, target.level)
            else:
                best_mean = _halfway(best_mean, target.level)
        amount = _next_amount(low, low_mean, best, best_mean, target.level,
                              lever.tolerance, stale=streak >= 3)
        if not low < amount < best:
            break
        found = evaluate(amount, settled=settled)
        reached = target.reached(found.mean)
        streak = streak + 1 if reached == last_reached else 1
        last_reached = reached
        if reached:
            best, at = amount, found
        else:
            low, below = amount, found
    return best, at


def _halfway(value: float | None, level: float) -> float | None:
    """``value`` moved halfway to ``level``: an end that stayed put pulls the line half as
    hard, so the next guess lands nearer the end that keeps moving."""
    return None if value is None else level + (value - level) / 2


def _within(one: Evaluation, other: Evaluation, close: float) -> bool:
    a, b = one.mean, other.mean
    return close > 0 and a is not None and b is not None and abs(a - b) <= close


def _settle(evaluate: Callable[..., Evaluation], lever: Lever, target: Target, amount: float
            ) -> tuple[float, Evaluation]:
    """The answer at ``amount`` on the replications its decision needs; while it misses
    the target, the next level up, up to the extreme."""
    rule = reach_settled(target)
    while True:
        found = evaluate(amount, record=False, settled=rule)
        if target.reached(found.mean) or amount >= lever.maximum:
            return amount, found
        amount = _step_up(lever, amount)
        evaluate(amount)  # on the way: in the trace


def _step_up(lever: Lever, amount: float) -> float:
    if lever.integer:
        return min((a for a in lever.levels() if a > amount), default=lever.maximum)
    return min(_round(amount + lever.tolerance, lever.tolerance), lever.maximum)


def _next_amount(low: float, low_mean: float | None, best: float, best_mean: float | None,
                 level: float, tolerance: float, stale: bool) -> float:
    """The next amount to try inside (low, best): where the straight line through the two
    ends' values meets the target, rounded up to the grid (regula falsi: a KPI that moves
    about linearly with the lever is found in two or three runs, where halving takes six or
    seven); after the same end moved twice running the caller halves the other end's
    distance to the level (the Illinois rule: a curved response no longer holds the line
    near the moving end), and after a third time, or when the line cannot tell, the
    midpoint, which keeps bisection's guarantee."""
    middle = _round((low + best) / 2, tolerance)
    if stale or low_mean is None or best_mean is None or best_mean == low_mean:
        return middle
    share = (level - low_mean) / (best_mean - low_mean)
    if not 0 < share < 1:
        return middle
    guess = _round(math.ceil((low + share * (best - low)) / tolerance - 1e-9) * tolerance,
                   tolerance)
    return min(max(guess, _round(low + tolerance, tolerance)),
               _round(best - tolerance, tolerance))


def _round(value: float, tolerance: float) -> float:
    """Amounts on the tolerance's grid (whole percents, half days): readable answers, and
    the same plan keys every time."""
    return round(round(value / tolerance) * tolerance, 10)
