"""Simulation side of the planner: the process-model contract, the engine, KPIs and comparisons."""

from sim.errors import PlannerError
from sim.parent_watch import watch_parent

watch_parent()  # a worker process (replications) ends when the planner does

__all__ = ["PlannerError"]
