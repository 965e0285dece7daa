"""How long a study's runs last and from when, as the type checker sees it.

What ``sim.engine.simulate`` takes besides the model, seed and replication; a study passes
it through its layers (members' runs, the replication cache's key, the workers) and a saved
comparison keeps it. It stays a JSON-ready dictionary, so the cache keys and saved files
are what they were, but every layer now says which keys it holds and of what type.
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
