"""How busy each resource was: the share of its active period spent on some activity.

Busy time is the union of the resource's activity intervals (overlaps count once), over the
time from its first event's start to its last event's end. It is an approximation and the
label says so: the log knows no working calendar, no absences and no team size, so a
resource column that names a pool reads as one person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.kpis.catalogue import BY_KIND
from sim.kpis.observed import Observed
from sim.kpis.result import KpiResult, make, unavailable

UTILISATION = BY_KIND["utilisation"]


def utilisation(obs: Observed) -> list[KpiResult]:
    """``utilisation:<resource>`` for each resource of the log."""
    if obs.resource is None:
        return [unavailable(UTILISATION, "the log has no resource column")]
    if not obs.timed:
        return [unavailable(UTILISATION, "the log has one timestamp per event, so busy time "
                            "cannot be measured")]
    named = pd.notna(obs.resource)
    code, names = pd.factorize(obs.resource[named])
    start, end = obs.start[named], obs.end[named]
    order = np.lexsort((start, code))
    code, start, end = code[order], start[order], end[order]
    same = np.r_[False, code[1:] == code[:-1]]
    reach = pd.Series(end).groupby(code).cummax().shift().to_numpy()
    block = np.cumsum(~same | (start > reach))  # a new busy block starts after a gap
    blocks = pd.DataFrame({"code": code, "block": block, "start": start, "end": end}
                          ).groupby("block").agg(code=("code", "first"), start=("start", "min"),
                                                 end=("end", "max"))
    busy = (blocks["end"] - blocks["start"]).groupby(blocks["code"]).sum()
    frame = pd.DataFrame({"start": start, "end": end}).groupby(code)
    span = frame["end"].max() - frame["start"].min()
    events = frame.size()
    results = []
    for c in np.argsort(names.astype(str)):
        name = str(names[c])
        if span[c] <= 0:
            results.append(unavailable(UTILISATION, "all its events happen at one moment", name))
        else:
            results.append(make(UTILISATION, int(events[c]), float(busy[c] / span[c]), name))
    return results
