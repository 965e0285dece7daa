"""How long a study's runs last and from when, as the type checker sees it.

What ``sim.engine.simulate`` takes besides the model, seed and replication; a study passes
it as one argument through its layers (members' runs, the replication cache's key, the
workers) and a saved comparison keeps it. It stays a typed dictionary rather than a frozen
dataclass because the keys given are themselves kept: a saved comparison's ``run``, the
workbook's About rows and the replication cache's key hold exactly those (``l2c compare
--cases 300`` keeps ``days`` as null and its warm-up, the app's run only ``cases``), which
a dataclass with every field set would blur.
"""

from __future__ import annotations

from typing import TypedDict

import pandas as pd


class RunLength(TypedDict, total=False):
    """A run of ``cases`` new cases or of ``days`` days from ``start`` (default: where the
    model's log began), after ``warmup_days`` that fill the queues and are left out."""

    cases: int | None
    days: float | None
    start: str | pd.Timestamp | None
    warmup_days: float


def as_json(run: RunLength) -> RunLength:
    """The run as a saved comparison keeps it: a start given as a timestamp as its ISO text."""
    kept = run.copy()
    start = kept.get("start")
    if isinstance(start, pd.Timestamp):
        kept["start"] = start.isoformat()
    return kept
