"""One part of a log's summary (``calibration.summary``), of the type it is known to have.

The summary is the JSON of ``l2c inspect --format json``: plain values under string keys.
The terminal and the app read its parts as what they are, checked here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

Part = TypeVar("Part")


def part(summary: Mapping[str, object], key: str, kind: type[Part]) -> Part:
    """``summary[key]``, which is a ``kind`` (a dict, list or str)."""
    value = summary[key]
    if not isinstance(value, kind):
        raise TypeError(f"the log's summary has a {type(value).__name__} as its {key}, "
                        f"not a {kind.__name__}")
    return value
