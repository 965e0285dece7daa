"""A wait that drifted over the log is learned at its current level; a steady one from all of
it. (A step that slows as a backlog grows plans on today's wait, not on the year's average.)"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.activities import RECENT_SHARE, current_level
from calibration.fit.calibrate import CalibrationOptions, calibrate
from tests.synthetic_logs import event_log

HOUR = pd.Timedelta(hours=1)
CASES = 300


def waiting_log(growth: float, seed: int = 5) -> pd.DataFrame:
    """A case a day: 'Open', an exponential wait (mean 2 h, times ``1 + growth`` by the last
    case, growing linearly), then 'Decide' (system steps: the wait runs on the calendar)."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(CASES):
        opened = pd.Timestamp("2024-01-01") + n * 24 * HOUR
        wait = rng.exponential(2.0) * (1 + growth * n / (CASES - 1))
        rows += [(f"c{n}", "Open", opened, opened), (f"c{n}", "Decide", opened + wait * HOUR,
                                                     opened + wait * HOUR)]
    return event_log(rows)


def decide_wait_median(log, **options) -> float:
    model = calibrate(log, options=CalibrationOptions(**options)).model
    return float(model.activities["Decide"].delay.quantile(0.5)) / 3600


def test_a_wait_that_grew_is_learned_at_its_latest_level():
    log = waiting_log(growth=4.0)
    fitted = calibrate(log)
    assert any("The wait before 'Decide' drifted" in note for note in fitted.notes)
    # exponential median = mean x ln 2; the latest third's mean factor is about 1 + 4 x 5/6
    latest = 2.0 * np.log(2) * (1 + 4.0 * (1 - RECENT_SHARE / 2))
    assert abs(decide_wait_median(log) - latest) < 0.35 * latest  # 100 draws: ~±20% (2 SE)
    assert decide_wait_median(log, current_waits=False) < 0.7 * latest


def test_a_steady_wait_is_learned_from_all_of_it():
    log = waiting_log(growth=0.0)
    assert not any("drifted" in note for note in calibrate(log).notes)
    assert decide_wait_median(log) == decide_wait_median(log, current_waits=False)


def test_the_drift_must_be_significant_and_go_the_way_the_latest_third_does():
    rng = np.random.default_rng(3)
    begun = np.arange(300.0)
    steady = rng.exponential(3600.0, 300)
    assert current_level(begun, steady) is None
    grown = steady * (1 + 3 * begun / 299)
    drift = current_level(begun, grown)
    assert drift is not None and drift.recent_median > 1.25 * drift.whole_median
    assert drift.since == np.quantile(begun, 1 - RECENT_SHARE)
    assert current_level(begun[:60], grown[:60]) is None  # 20 latest: too few to learn from
