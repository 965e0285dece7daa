"""Cutting a log by a case attribute: lead source, region, rep, or the derived deal size.

``deal_size`` bands the amount at its tertiles: small up to the first, medium up to the
second, large above. Cases without the attribute form their own group, so every case is
measured somewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.errors import PlannerError, did_you_mean
from sim.eventlog import AMOUNT

DEAL_SIZE = "deal_size"
DEAL_SIZE_BANDS = ("small", "medium", "large")  # by the tertiles of the amount
MISSING = "(missing)"


def deal_size(amount: pd.Series) -> pd.Series:
    """small / medium / large by the tertiles of the amount (ties stay in one band)."""
    low, high = amount.quantile([1 / 3, 2 / 3])
    bands = np.select([amount <= low, amount <= high, amount > high],
                      list(DEAL_SIZE_BANDS), default=MISSING)
    return pd.Series(bands, index=amount.index)


def group_labels(cases: pd.DataFrame, by: str) -> np.ndarray:
    """Per case, the text of its group."""
    if by == DEAL_SIZE:
        if AMOUNT not in cases:
            raise PlannerError("--by deal_size needs the 'amount' case attribute, and this log "
                               "has none. Map the amount column, or group by another attribute.")
        values = deal_size(cases[AMOUNT].astype(float))
    elif by in cases:
        values = cases[by]
    else:
        choices = [*map(str, cases.columns), DEAL_SIZE]
        raise PlannerError(f"Cannot group by '{by}': it is not a case attribute of this log."
                           f"{did_you_mean(by, choices)} Available: {', '.join(choices)}.")
    return values.astype(object).where(values.notna(), MISSING).astype(str).to_numpy()
