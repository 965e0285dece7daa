"""The simulation engine: replays a ``ProcessModel`` and writes the log it would leave.

Cases arrive by the model's weekly profile and trend, take their attribute row, follow the
routing, wait their delays, queue first come first served for a person of the right pool,
and work only inside that pool's calendar. The output is a canonical ``EventLog`` (the same
shape as a real export, so the same KPI functions measure it), the cases still open at the
horizon and each pool's utilisation per day. One seed reproduces a run exactly, and a
scenario run with the same seed shares every draw the change does not touch.

Modules: ``streams`` (keyed random numbers), ``arrivals``, ``clock`` (fast working clock),
``resources`` (pools), ``plan`` (the model as lookups), ``case`` (the case process),
``timeframe`` (start, warm-up, horizon, timestamps), ``output`` (log and utilisation),
``run`` (``simulate``) and ``parallel`` (replications on joblib or Dask).
"""

from sim.engine.parallel import iter_replications, run_replications
from sim.engine.run import SimulationResult, simulate

__all__ = ["SimulationResult", "iter_replications", "run_replications", "simulate"]
