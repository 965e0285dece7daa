"""Which activities make a case won or lost, and why lost deals were lost.

The usual names (Opportunity Won / Lost, and their Japanese and Oracle variants) are known;
otherwise the log's outcome column tells: a lost marker is the last activity of cases that
were nearly all lost, a won marker the earliest activity that nearly only won cases reach.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.prepared import PreparedLog
from sim.eventlog import LOST_REASON, OUTCOME
from sim.kpi_roles import ActivityRoles
from sim.model import Outcomes

PURE_SHARE = 0.95
MIN_WON_COVERAGE = 0.5


def fit_outcomes(log: PreparedLog) -> Outcomes:
    present = ActivityRoles.default().resolve(log.activities)
    won = sorted(present.get("opportunity_won", ()))
    lost = sorted(present.get("opportunity_lost", ()))
    outcome = (log.case_attribute(OUTCOME).to_numpy() if OUTCOME in log.log.cases
               else np.full(len(log.case_ids), None, dtype=object))
    if not won or not lost:
        learned_won, learned_lost = _learned(log, outcome)
        won, lost = won or learned_won, lost or learned_lost
    return Outcomes(won=tuple(won), lost=tuple(lost), lost_reasons=_lost_reasons(log, lost))


def _learned(log: PreparedLog, outcome: np.ndarray) -> tuple[list[str], list[str]]:
    frame = pd.DataFrame({"activity": np.array(log.activities, dtype=object)[log.activity],
                          "outcome": outcome[log.case], "case": log.case,
                          "last": np.r_[log.first_in_case[1:], True]})
    per_case = frame.drop_duplicates(["case", "activity"])
    shares = pd.crosstab(per_case["activity"], per_case["outcome"].fillna("open"),
                         normalize="index")
    won_cases = max(int(np.sum(outcome == "Won")), 1)
    lost, won = [], []
    last_share = frame.groupby("activity")["last"].mean()
    for activity in shares.index:
        if shares.loc[activity].get("Lost", 0) >= PURE_SHARE and last_share[activity] >= 0.9:
            lost.append(str(activity))
        reached = int((per_case["activity"] == activity).sum())
        if (shares.loc[activity].get("Won", 0) >= PURE_SHARE
                and reached >= MIN_WON_COVERAGE * won_cases):
            won.append(str(activity))
    if won:  # the moment a deal is won: the earliest such activity in its cases
        position = frame.assign(at=frame.groupby("case").cumcount()).groupby("activity")["at"]
        won = [min(won, key=lambda a: position.get_group(a).median())]
    return won, lost


def _lost_reasons(log: PreparedLog, lost: list[str]) -> dict[str, dict[str, float]]:
    if LOST_REASON not in log.log.cases or not lost:
        return {}
    codes = [log.activities.index(a) for a in lost]
    at_loss = np.isin(log.activity, codes) & (log.prev_activity >= 0)
    before = np.array(log.activities, dtype=object)[log.prev_activity[at_loss]]
    reasons = log.case_attribute(LOST_REASON).to_numpy()[log.case[at_loss]]
    frame = pd.DataFrame({"before": before, "reason": reasons}).dropna()
    table = pd.crosstab(frame["before"], frame["reason"], normalize="index")
    return {str(b): {str(r): float(v) for r, v in row.items() if v > 0}
            for b, row in table.iterrows()}
