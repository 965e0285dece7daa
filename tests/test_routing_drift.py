"""A branch whose chances moved over the log is learned from its latest decisions; a steady
one from all of them. (A rework loop the team cut back last quarter is planned as it runs
now, not at the year's average.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit.calibrate import CalibrationOptions, calibrate
from calibration.fit.routing import RECENT_SHARE, current_branch
from tests.synthetic_logs import event_log

HOUR = pd.Timedelta(hours=1)
CASES = 600


def rework_log(before: float, after: float, seed: int = 7) -> pd.DataFrame:
    """A case a day: 'Check', then 'Fix' with chance ``before`` for the first two thirds of
    the cases and ``after`` for the last third, then 'Close'."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(CASES):
        opened = pd.Timestamp("2024-01-01") + n * 24 * HOUR
        chance = before if n < CASES * (1 - RECENT_SHARE) else after
        steps = ["Check", *(["Fix"] if rng.random() < chance else []), "Close"]
        rows += [(f"c{n}", step, opened + k * HOUR, opened + k * HOUR + 0.5 * HOUR)
                 for k, step in enumerate(steps)]
    return event_log(rows)


def fix_share(log, **options) -> float:
    model = calibrate(log, options=CalibrationOptions(**options)).model
    return model.routing.branches["Check"].pooled.get("Fix", 0.0)


def test_a_branch_that_moved_is_learned_from_its_latest_decisions():
    log = rework_log(before=0.6, after=0.2)
    assert any("What follows 'Check' changed over the log" in note
               for note in calibrate(log, options=CalibrationOptions(current_routing=True)).notes)
    assert not any("changed over the log" in note for note in calibrate(log).notes)
    recent = CASES * RECENT_SHARE  # about 200 decisions: the share's SE is about 0.03
    tolerance = 3 * np.sqrt(0.2 * 0.8 / recent)
    assert abs(fix_share(log, current_routing=True) - 0.2) < tolerance
    whole = 0.6 * (1 - RECENT_SHARE) + 0.2 * RECENT_SHARE
    assert abs(fix_share(log) - whole) < 3 * np.sqrt(
        whole * (1 - whole) / CASES)


def test_a_steady_branch_is_learned_from_all_of_it():
    log = rework_log(before=0.4, after=0.4)
    tried = calibrate(log, options=CalibrationOptions(current_routing=True))
    assert not any("changed over the log" in note for note in tried.notes)
    assert fix_share(log) == fix_share(log, current_routing=True)


def test_a_drift_must_be_material_and_significant():
    rng = np.random.default_rng(2)
    decided = np.arange(600.0)

    def rows(before: float, after: float, n: int = 600) -> pd.DataFrame:
        chance = np.where(decided[:n] < n * (1 - RECENT_SHARE), before, after)
        return pd.DataFrame({"decided": decided[:n],
                             "target": np.where(rng.random(n) < chance, "Fix", "Close")})

    assert current_branch(rows(0.5, 0.45)) is None  # significant at this size, not material
    assert current_branch(rows(0.5, 0.2, n=60)) is None  # 20 latest: too few to learn from
    drift = current_branch(rows(0.5, 0.2))
    assert drift is not None and drift.target in ("Fix", "Close")
    assert abs(drift.after - drift.before) == pytest.approx(drift.moved)  # two next steps
    assert abs(drift.moved - 0.3) < 3 * np.sqrt(0.25 / 200 + 0.25 / 400)
