"""Simulation side of the planner: the process-model contract, the engine, KPIs and comparisons."""

from sim.errors import PlannerError

__all__ = ["PlannerError"]
