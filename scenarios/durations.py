"""Durations as people write them in scenario files: "30min", "4h", "2 days", "-10d"."""

from __future__ import annotations

import re

UNITS = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 604800.0, "week": 604800.0, "weeks": 604800.0,
}
PATTERN = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$")


def parse_duration(text: object) -> float:
    """Seconds from "4h", "-2 days", "90 min"; a bare number is refused (which unit?)."""
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ValueError(f"expected a duration such as '4h' or '2 days', got {text!r}")
    if isinstance(text, int | float):
        raise ValueError(f"{text!r} has no unit: write e.g. '{text}h' or '{text} days'")
    match = PATTERN.match(text)
    if not match or match.group(2).lower() not in UNITS:
        raise ValueError(f"'{text}' is not a duration: write a number and a unit "
                         "(s, min, h, d, w), e.g. '4h' or '-2 days'")
    return float(match.group(1)) * UNITS[match.group(2).lower()]
