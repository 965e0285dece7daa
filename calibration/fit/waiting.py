"""How much of the wait before a staffed activity was queueing for a busy person.

The engine makes cases queue for busy members by itself, so the delays it is given must
not contain that queueing a second time. A member who started a task the moment their
previous task ended (in working time) was busy: the task may have been ready long before.
When every member who could have taken it was busy, it was ready somewhere between the
moment the last of them became busy (had it been ready earlier, that idle member would have
taken it) and its start: its delay is known only to lie in that interval. Any other task
was ready when it started, so its whole wait is delay. ``impute_censored`` turns the
intervals into values that follow the distribution of the exactly known delays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.calendar import WorkingClock
from sim.distributions import Distribution

BACK_TO_BACK = 60.0  # working seconds between two tasks that still count as one busy spell
IMPUTATION_ROUNDS = 5
IMPUTATION_SEED = 0
MIN_EXACT = 20  # exactly known delays needed before intervals are imputed
GRID_POINTS = 1001


def ready_delays(start: np.ndarray, end: np.ndarray, prev_end: np.ndarray,
                 member: np.ndarray, clock: WorkingClock,
                 any_member: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on the working seconds from the previous activity's end until the task was
    ready: (lower, upper), equal where the delay is known exactly.

    ``start``/``end`` are this pool's tasks (seconds), ``prev_end`` the end of the case's
    previous activity (NaN when there is none: the bounds are NaN there). With
    ``any_member`` a task waits for the whole pool (any free member takes it), so it was
    queued only if every member was busy just before it started; otherwise it waits for
    its own member only.
    """
    w_start = clock.working(start)
    spells = {who: _Spells(w_start[member == who], clock.working(end[member == who]))
              for who in np.unique(member)}
    queued = np.ones(len(start), dtype=bool)
    earliest = np.full(len(start), -np.inf)
    for who, spell in spells.items():
        asked = np.ones(len(start), dtype=bool) if any_member else member == who
        busy, since = spell.busy_before(w_start[asked])
        queued[asked] &= busy
        earliest[asked] = np.maximum(earliest[asked], np.where(busy, since, -np.inf))
    w_prev = clock.working(np.where(np.isnan(prev_end), 0.0, prev_end))
    upper = np.maximum(w_start - w_prev, 0.0)
    lower = np.where(queued, np.clip(earliest - w_prev, 0.0, upper), upper)
    lower[np.isnan(prev_end)] = upper[np.isnan(prev_end)] = np.nan
    return lower, upper


class _Spells:
    """One member's busy spells: runs of tasks each starting as the one before ended."""

    def __init__(self, w_start: np.ndarray, w_end: np.ndarray) -> None:
        order = np.argsort(w_start, kind="stable")
        self.starts = w_start[order]
        self.latest_end = np.maximum.accumulate(w_end[order])
        before = np.r_[-np.inf, self.latest_end[:-1]]
        new_spell = self.starts - before >= BACK_TO_BACK
        self.spell_start = self.starts[np.flatnonzero(new_spell)][np.cumsum(new_spell) - 1]

    def busy_before(self, moments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Was the member busy right before each moment, and since when (working clock)."""
        last = np.searchsorted(self.starts, moments, side="left") - 1
        has = last >= 0
        safe = np.maximum(last, 0)
        busy = has & (self.latest_end[safe] >= moments - BACK_TO_BACK)
        return busy, np.where(busy, self.spell_start[safe], -np.inf)


def impute_censored(lower: np.ndarray, upper: np.ndarray,
                    fit: Callable[[np.ndarray], Distribution],
                    rounds: int = IMPUTATION_ROUNDS) -> np.ndarray:
    """Values inside [lower, upper] that follow the fitted delay distribution.

    Starts from the exactly known delays, then repeatedly draws each interval's value from
    the fitted distribution conditioned on the interval and refits (stochastic EM with a
    fixed seed, so the same log always gives the same model).
    """
    exact = lower == upper
    values = np.where(exact, upper, lower)
    if exact.all() or exact.sum() < MIN_EXACT:
        return values
    grid = np.linspace(0.0, 1.0, GRID_POINTS + 2)[1:-1]  # open interval: no infinite tails
    rng = np.random.default_rng(IMPUTATION_SEED)
    for round_number in range(rounds):
        sample = values[exact] if round_number == 0 else values
        quantiles = np.maximum.accumulate(np.asarray(fit(sample).quantile(grid), dtype=float))
        # P(delay < lower) and P(delay <= upper): atoms (many exact zeros) stay atoms.
        cdf_low = np.searchsorted(quantiles, lower[~exact], side="left") / len(grid)
        cdf_high = np.searchsorted(quantiles, upper[~exact], side="right") / len(grid)
        u = rng.uniform(cdf_low, np.maximum(cdf_high, cdf_low))
        values[~exact] = np.clip(np.interp(u, grid, quantiles), lower[~exact], upper[~exact])
    return values
