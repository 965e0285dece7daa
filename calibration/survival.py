"""Kaplan-Meier estimates of how long things last when some are still running.

A log is a snapshot: a case or a wait still open at its end has lasted at least so long,
but how much longer is unknown (right-censored). Reading such times as finished biases every
duration short; dropping them biases it short too (the long ones are the ones still open).
The Kaplan-Meier estimator (Kaplan & Meier, "Nonparametric estimation from incomplete
observations", 1958) uses both.
"""

from __future__ import annotations

import numpy as np


def km_survival(times: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted times and the estimated share still running just after each
    (``seen`` False: still running at that time)."""
    order = np.lexsort((~seen, times))  # at a tie, the seen one counts first
    times, seen = times[order], seen[order]
    at_risk = len(times) - np.arange(len(times))
    return times, np.cumprod(np.where(seen, 1.0 - 1.0 / at_risk, 1.0))


def km_quantile(times: np.ndarray, seen: np.ndarray, quantile: float) -> float:
    """The ``quantile`` of the Kaplan-Meier estimate from ``times`` (``seen`` False: still
    running); when the estimate never gets there, the longest time seen or still running
    (things are known to last at least that long)."""
    if not seen.any():
        return 0.0
    times, survival = km_survival(times, seen)
    reached = np.flatnonzero(survival <= 1.0 - quantile)
    return float(times[reached[0]] if len(reached) else times.max())


def still_running(times: np.ndarray, seen: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """Per age: the estimated chance that something begun that long ago is still running."""
    ordered, survival = km_survival(times, seen)
    return np.r_[1.0, survival][np.searchsorted(ordered, ages, side="right")]
