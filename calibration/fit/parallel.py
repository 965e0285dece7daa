"""Activities that run at the same time within a case, instead of one after the other.

A log sorted by start time shows parallel work as an activity starting before the previous
one ended. Where one activity nearly always overlaps with the one that follows it (they
overlap in at least half of the cases where one directly follows the other, in at least
half of all the lead activity's occurrences, and in enough cases to trust it), the pair is
a parallel block: the companion starts together with the
lead activity and the case goes on once both are done. Occasional overlaps (a rep
squeezing two tasks together) are only counted and reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.fit.prepared import PreparedLog

OVERLAP_SLACK = 1.0  # seconds: a start this close to the previous end is not an overlap
MIN_BLOCK_CASES = 20
MIN_BLOCK_SHARE = 0.5


@dataclass(frozen=True)
class ParallelWork:
    blocks: dict[str, tuple[str, ...]]  # lead activity -> companions that run with it
    companion: np.ndarray  # per event: runs as the companion of the event before it
    overlaps: int  # events that started before the previous one in their case ended
    pairs: pd.DataFrame  # overlapping pairs: before, after, overlaps, successions


def find_parallel(log: PreparedLog) -> ParallelWork:
    names = np.array(log.activities, dtype=object)
    follows = ~log.first_in_case
    overlap = follows & (log.start < log.prev_end - OVERLAP_SLACK)
    steps = pd.DataFrame({"before": names[log.prev_activity[follows]],
                          "after": names[log.activity[follows]],
                          "overlap": overlap[follows]})
    pairs = (steps.groupby(["before", "after"])["overlap"].agg(["sum", "size"])
             .rename(columns={"sum": "overlaps", "size": "successions"}).reset_index())
    pairs = pairs[pairs["overlaps"] > 0].sort_values("overlaps", ascending=False)
    occurrences = pd.Series(names[log.activity]).value_counts()
    blocks: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    for row in pairs.itertuples(index=False):
        if (row.before == row.after or row.overlaps < MIN_BLOCK_CASES
                or row.overlaps < MIN_BLOCK_SHARE * row.successions
                or row.overlaps < MIN_BLOCK_SHARE * occurrences[row.before]
                or {row.before, row.after} & taken):
            continue
        blocks[str(row.before)] = (str(row.after),)
        taken |= {row.before, row.after}
    partner = np.full(len(names), -1)
    for lead, (companion_name,) in blocks.items():
        partner[log.activities.index(lead)] = log.activities.index(companion_name)
    companion = overlap & (partner[np.maximum(log.prev_activity, 0)] == log.activity)
    return ParallelWork(blocks=blocks, companion=companion, overlaps=int(overlap.sum()),
                        pairs=pairs.reset_index(drop=True))
