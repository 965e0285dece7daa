"""Target setting: what must change, and by how much, to move a KPI by a given amount.

``levers`` reads the knobs off a model (work times, waiting, people, rework, automation,
payment days), ``goal`` states the target, ``evaluate`` simulates lever settings with common
random numbers and caches them, ``search`` goal-seeks one lever, ``combine`` ranks levers
(a tornado table) and proposes the cheapest combination, ``relevance`` skips levers that
cannot move the KPI, and ``run`` answers one question end to end.
"""

from scenarios.target.combine import Combination, TornadoRow, cheapest_combination, tornado
from scenarios.target.evaluate import Evaluation, Evaluator
from scenarios.target.goal import STATS, Target, parse_change
from scenarios.target.levers import (
           COSTS,
           Catalogue,
           Costs,
           Lever,
           apply_plan,
           generate_levers,
           plan_of,
)
from scenarios.target.relevance import split_relevant
from scenarios.target.run import TargetReport, find_target
from scenarios.target.search import SeekResult, seek

__all__ = ["COSTS", "STATS", "Catalogue", "Combination", "Costs", "Evaluation", "Evaluator",
           "Lever", "SeekResult", "Target", "TargetReport", "TornadoRow", "apply_plan",
           "cheapest_combination", "find_target", "generate_levers", "parse_change", "plan_of",
           "seek", "split_relevant", "tornado"]
