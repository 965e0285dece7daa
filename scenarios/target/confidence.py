"""How sure an answer is, and how many replications would make it sure.

An answer reaches its target *with confidence* when the far side of its 95% interval is
beyond the target too; otherwise it reaches it on average only. Either way the answer says
how sure it is (the one-sided t probability that the plan's true mean statistic is beyond
the target) and, when it is not sure enough, about how many replications would narrow the
interval enough: the interval's half-width falls with the square root of the replications,
so n' = n (half-width / margin)^2, where the margin is how far the mean lies beyond the
target. Common random numbers keep the replications already run, so only the new ones run.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

from scenarios.target.decide import distance_interval
from scenarios.target.evaluate import Evaluation
from scenarios.target.goal import Target
from sim.precision import decided, half_width

MAX_SUGGESTED = 50  # the most replications suggested (and offered in the app)


def confidence(evaluation: Evaluation, target: Target) -> float | None:
    """The one-sided probability that the plan's mean statistic is beyond the target (None
    with fewer than two replications)."""
    values = np.array(evaluation.values, float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return None
    spread = float(values.std(ddof=1)) / math.sqrt(values.size)
    mean = evaluation.mean
    assert mean is not None
    margin = target.level - mean
    if not target.lower_is_better:
        margin = -margin
    if spread == 0:
        return 1.0 if margin > 0 else 0.0 if margin < 0 else 0.5
    return float(special.stdtr(values.size - 1, margin / spread))


def more_replications(evaluation: Evaluation, target: Target) -> int | None:
    """Replications that would likely put the whole 95% interval beyond the target, when
    the mean reaches it but the interval does not (None otherwise, or when the mean sits on
    the target); at most ``MAX_SUGGESTED``."""
    mean = evaluation.mean
    low, high = evaluation.interval
    far = high if target.lower_is_better else low
    if mean is None or far is None or not target.reached(mean) or target.reached(far):
        return None
    margin, half = abs(mean - target.level), abs(far - mean)
    if margin <= 1e-12 * max(abs(target.level), 1.0):
        return None
    now = evaluation.replications
    return min(MAX_SUGGESTED, max(now + 1, math.ceil(now * (half / margin) ** 2)))


@dataclass(frozen=True)
class Sureness:
    """How sure an answer is, the replications that would make it sure, and the precision
    it reached: what the terminal, the app and ``l2c target --format json`` say of it."""

    confidence: float | None
    more_replications: int | None
    replications_used: int
    precision: float | None  # half the paired 95% interval of the distance to the target
    threshold: float | None  # the KPI's practical threshold the search stopped by
    decided: bool | None  # the precision decided at the threshold (None without one)

    @classmethod
    def of(cls, evaluation: Evaluation, target: Target, threshold: float | None) -> Sureness:
        low, high = distance_interval(evaluation, target)
        return cls(confidence=confidence(evaluation, target),
                   more_replications=more_replications(evaluation, target),
                   replications_used=evaluation.replications,
                   precision=half_width(low, high), threshold=threshold,
                   decided=None if threshold is None else decided(low, high, threshold))

    def to_dict(self) -> dict[str, object]:
        """The JSON keys of an answer's sureness, in this order."""
        return asdict(self)
