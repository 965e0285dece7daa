"""Case attributes, resampled as whole historical rows so their correlations survive.

A referral lead in the North with a large software deal on Net 60 stays one draw; amounts
keep their distribution by segment because they travel with their segment. Outcome and
lost reason are not drawn: the simulated case earns them by what happens to it. Large
logs keep a fixed-seed subsample of rows, so model files stay small and reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.prepared import PreparedLog
from sim.eventlog import AMOUNT, LOST_REASON, OUTCOME
from sim.kpis.groups import DEAL_SIZE, DEAL_SIZE_BANDS
from sim.model import CaseAttributes

MAX_ROWS = 5000
NOT_DRAWN = (OUTCOME, LOST_REASON)


def with_deal_size(cases: pd.DataFrame) -> pd.DataFrame:
    """Add the deal-size band (amount tertiles) that routing may depend on."""
    if AMOUNT not in cases or cases[AMOUNT].notna().sum() < len(DEAL_SIZE_BANDS):
        return cases
    amounts = pd.to_numeric(cases[AMOUNT], errors="coerce")
    bands = pd.qcut(amounts.rank(method="first"), len(DEAL_SIZE_BANDS),
                    labels=list(DEAL_SIZE_BANDS))
    return cases.assign(**{DEAL_SIZE: bands.astype(object).where(amounts.notna(), None)})


def fit_attributes(log: PreparedLog, extra: dict[str, pd.Series] | None = None
                   ) -> CaseAttributes:
    """Rows of the cases that began inside the log (plus ``extra`` per-case columns)."""
    table = log.log.cases.reindex(log.case_ids).reset_index(drop=True)
    table = table.drop(columns=[c for c in NOT_DRAWN if c in table])
    for name, values in (extra or {}).items():
        table[name] = values.reindex(table.index).to_numpy()
    table = table.loc[~log.left_censored]
    table = table.loc[:, table.notna().any()]
    if len(table) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(table), MAX_ROWS, replace=False))
        table = table.iloc[keep]
    rows = tuple(tuple(_plain(v) for v in row) for row in table.itertuples(index=False))
    return CaseAttributes(columns=tuple(str(c) for c in table.columns), rows=rows)


def _plain(value: object) -> str | float | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return str(value)
