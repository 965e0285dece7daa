"""Whether the volume of new cases moved after the split date.

A model learned before the split can only carry on at the rate it saw last. When the rate
in the compared window differs from the training's last weeks by more than their week-to-
week spread allows, part of the error in volume (and in the absolute timing of events and
in queues) is that move, not the model: the report says so beside the volume finding, as
it does for a change in the process after the split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from calibration.evaluate.split import Holdout, case_starts
from calibration.evaluate.window import Window
from calibration.fit.calibrate import Note

LOOKBACK_WEEKS = 8  # the training's last weeks, the rate a model learned before the split sees last
P_MOVED = 0.01  # Welch's t-test on the weekly counts before and after
MIN_MOVE = 0.10  # ... and at least this relative change, to be worth a note
WEEK = pd.Timedelta(days=7)


def volume_shift(holdout: Holdout, window: Window) -> Note | None:
    """A note when new cases per week moved after the split (None when they did not, or
    when either period has fewer than two whole weeks)."""
    before = _weekly(case_starts(holdout.train), window.start - LOOKBACK_WEEKS * WEEK,
                     window.start)
    after = _weekly(case_starts(holdout.test), window.start, window.finish_by)
    if len(before) < 2 or len(after) < 2:
        return None
    rate_before, rate_after = float(before.mean()), float(after.mean())
    move = rate_after / rate_before - 1 if rate_before else np.inf
    test = stats.ttest_ind(after, before, equal_var=False)
    if not test.pvalue < P_MOVED or abs(move) < MIN_MOVE:  # NaN (no spread at all): no note
        return None
    return Note("volume_rose" if move > 0 else "volume_fell", {
        "before": f"{rate_before:,.0f}", "weeks": len(before), "after": f"{rate_after:,.0f}",
        "move": f"{move:+.0%}"})


def _weekly(starts: pd.Series, begin: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """New cases in each whole week from ``begin`` until ``end``."""
    weeks = int((end - begin) / WEEK)
    if weeks < 1:
        return np.zeros(0)
    inside = starts[(starts >= begin) & (starts < begin + weeks * WEEK)]
    index = ((inside - begin) // WEEK).astype(int).to_numpy()
    return np.bincount(index, minlength=weeks).astype(float)
