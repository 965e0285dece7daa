"""Pairing lifecycle events (XES ``start``/``complete``) into activity instances.

Within a case, the k-th ``start`` of an activity is paired with its k-th ``complete`` (first
in, first out), vectorised with a merge. Unpaired events are kept as instant instances at
their own time, ``schedule`` and other transitions are set aside, and every one of these is
counted for the validation report: nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.eventlog import ACTIVITY, CASE_ID, END, START

SOURCE_ROW = "source_row"
TIME = "_time"
STARTS = {"start", "started", "begin", "resume"}
COMPLETES = {"complete", "completed", "end", "done", "finish", "finished"}


@dataclass
class PairingCounts:
    """What pairing did, for the report."""

    paired: int = 0
    unpaired_starts: int = 0
    unpaired_completes: int = 0
    atomic: int = 0
    set_aside: dict[str, int] = field(default_factory=dict)  # transition -> events


def pair_lifecycle(events: pd.DataFrame, lifecycle: pd.Series) -> tuple[pd.DataFrame,
                                                                       PairingCounts]:
    """``events`` has CASE_ID, ACTIVITY, TIME, SOURCE_ROW and attribute columns.

    Returns one row per activity instance with START and END, and the counts.
    """
    kind = lifecycle.astype("string").str.strip().str.lower()
    is_start = kind.isin(STARTS).to_numpy()
    is_complete = (kind.isin(COMPLETES) | kind.isna()).to_numpy()
    counts = PairingCounts()
    other = ~(is_start | is_complete)
    if other.any():
        counts.set_aside = {str(k): int(v) for k, v in kind[other].value_counts().items()}
    keys = [CASE_ID, ACTIVITY, "_k"]
    starts = _numbered(events[is_start])
    completes = _numbered(events[is_complete])
    merged = completes.merge(starts, on=keys, how="outer", suffixes=("", "_s"),
                             indicator=True)
    misordered = (merged["_merge"] == "both") & (merged[TIME] < merged[f"{TIME}_s"])
    counts.paired = int(((merged["_merge"] == "both") & ~misordered).sum())
    pairs = merged[(merged["_merge"] == "both") & ~misordered]
    lone_completes = pd.concat([merged[merged["_merge"] == "left_only"], merged[misordered]])
    lone_starts = pd.concat([merged[merged["_merge"] == "right_only"], merged[misordered]])
    # Activities that never have a start are atomic: their completes pair with nothing.
    atomic = ~lone_completes[ACTIVITY].isin(starts[ACTIVITY].unique())
    counts.atomic = int(atomic.sum())
    counts.unpaired_completes = len(lone_completes) - counts.atomic
    counts.unpaired_starts = len(lone_starts)
    attributes = [c for c in events.columns if c not in (CASE_ID, ACTIVITY, TIME)]
    instances = pd.concat([
        _instances(pairs, attributes, start=f"{TIME}_s", end=TIME, prefer=""),
        _instances(lone_completes, attributes, start=TIME, end=TIME, prefer=""),
        _instances(lone_starts, attributes, start=f"{TIME}_s", end=f"{TIME}_s", prefer="_s"),
    ], ignore_index=True)
    return instances, counts


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    ordered = frame.sort_values([CASE_ID, ACTIVITY, TIME, SOURCE_ROW], kind="stable")
    return ordered.assign(_k=ordered.groupby([CASE_ID, ACTIVITY], sort=False).cumcount())


def _instances(merged: pd.DataFrame, attributes: list[str], *, start: str, end: str,
               prefer: str) -> pd.DataFrame:
    """Build instances, taking attributes from one side and filling gaps from the other."""
    other = "_s" if prefer == "" else ""
    out = pd.DataFrame({CASE_ID: merged[CASE_ID].to_numpy(),
                        ACTIVITY: merged[ACTIVITY].to_numpy(),
                        START: merged[start].to_numpy(), END: merged[end].to_numpy()})
    for column in attributes:
        first = merged[column + prefer].to_numpy()
        second = merged[column + other].to_numpy()
        out[column] = np.where(pd.isna(first), second, first)
    return out
