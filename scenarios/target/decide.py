"""When a target search has run enough replications: the stopping rule of a comparison.

A comparison stops when every headline difference is decided at its practical threshold
(``sim.precision.decided``: its 95% interval within ± the threshold, or wholly beyond it,
or wholly inside it). A target search asks two questions of its plans, and each gets that
rule:

- a sensitivity row: how much does this lever move the KPI? Its paired difference from the
  baseline is decided by the rule (clearly none, clearly more than the threshold, or known
  to within it);
- an answer (a goal seek's setting, a mix, a mix without one of its levers): does it
  reach the target? The paired distance to the target level (``value - (1 + change) *
  baseline`` per replication) is decided by the rule.

Every plan starts with few replications (``FIRST``): most levers are told apart by them,
and the settings a goal seek tries on its way only steer it. Undecided rows and answers
grow ``BATCH`` at a time up to the cap. The same seed gives the same replications, so the
same answer.
"""

from __future__ import annotations

import numpy as np

from scenarios.target.evaluate import Evaluation, Settled
from scenarios.target.goal import Target
from sim.kpis.replications import t_interval
from sim.materiality import DEFAULT, Thresholds
from sim.precision import Replications, decided, half_width

FIRST = 4  # replications of every plan before the first look (3 let a wide lever pass as
# clearly material on the sample: df = 2 says too little about the spread)
BATCH = 2  # replications added per look to a plan that is not decided
MAXIMUM = 8  # the default cap of a target search (``--max-reps``)


def target_replications(maximum: int = MAXIMUM) -> Replications:
    """The adaptive plan of a target search."""
    return Replications(first=min(FIRST, maximum), batch=BATCH, maximum=maximum)


def threshold(target: Target, thresholds: Thresholds = DEFAULT) -> float:
    """The target KPI's practical threshold at its baseline, as a comparison judges it."""
    return thresholds.amount(target.kpi, target.unit, target.baseline)


def distance_interval(evaluation: Evaluation, target: Target
                      ) -> tuple[float | None, float | None]:
    """The 95% interval of the plan's mean minus the target level, from the paired
    replications (negative: below the level)."""
    v, b = (np.array(x, float) for x in (evaluation.values, evaluation.baseline))
    keep = np.isfinite(v) & np.isfinite(b)
    if not keep.any():
        return None, None
    low, high = t_interval(v[keep] - b[keep])
    mean, diff = evaluation.mean, evaluation.diff
    if low is None or high is None or mean is None or diff is None:
        return low, high
    shift = mean - diff - target.level  # the baseline's mean, less the level
    return low + shift, high + shift


def reach_settled(target: Target) -> Settled:
    """The rule for a goal seek's answer and a mix: the distance to the target decided."""
    amount = threshold(target)

    def settled(found: Evaluation) -> bool:
        return decided(*distance_interval(found, target), amount)
    return settled


def effects_settled(target: Target) -> Settled:
    """The rule for the sensitivity table: each lever's effect decided."""
    amount = threshold(target)

    def settled(found: Evaluation) -> bool:
        return decided(*found.diff_interval, amount)
    return settled


def precision(evaluation: Evaluation, target: Target) -> float | None:
    """The precision an answer reached: half its distance interval's width."""
    return half_width(*distance_interval(evaluation, target))
