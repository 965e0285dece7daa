"""How busy each pool was in a simulated run: the share of its working time spent on work.

Only a run knows its pools: who belongs to each, how many work at once and on which
calendar. So this is measured from the engine's utilisation per pool and day, not from a
log; a log's own resources are measured by ``resources.utilisation``. It is what an extra
approver or 30% more leads changes first.
"""

from __future__ import annotations

import pandas as pd

from sim.kpis.catalogue import BY_KIND
from sim.kpis.result import KpiResult, make

POOL_UTILISATION = BY_KIND["pool_utilisation"]


def pool_utilisation(daily: pd.DataFrame) -> list[KpiResult]:
    """``pool_utilisation:<pool>`` from one row per pool and day (``pool``, ``share``; no
    share on a closed day): the mean busy share over its open days, as the utilisation chart
    shows it; ``n`` counts those days."""
    if daily.empty:
        return []
    by_pool = daily.groupby("pool")["share"]
    means, days = by_pool.mean(), by_pool.count()
    return [make(POOL_UTILISATION, int(days[pool]), float(means[pool]), str(pool))
            for pool in sorted(means.index, key=str) if days[pool]]
