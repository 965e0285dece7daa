"""A duration as people read it, in the unit that reads best and in the reader's language.

One formatter for every place a single duration is shown: a fitted distribution's median, a
model's notes, the waits on a process map, the findings of a fidelity check, the terminal,
the app and the HTML pages. (A KPI value keeps its catalogue unit instead, so that a table
compares like with like: ``ui.report_format.value_text``.) Japanese has no short unit
words, so the language chooses the words rather than a replacement of the English ones.
"""

from __future__ import annotations

import math

DAY, HOUR, MINUTE = 86400.0, 3600.0, 60.0
UNITS = {"en": ("d", "h", "min", "s"), "ja": ("日", "時間", "分", "秒")}
MISSING = "—"


def duration_text(seconds: float | None, lang: str = "en") -> str:
    """``3.1 d``, ``5.2 h``, ``45 min``, ``12 s`` (the largest unit the duration reaches; a
    sign kept), or an em dash for no duration; ``lang`` is ``"en"`` or ``"ja"``."""
    if seconds is None or not math.isfinite(seconds):
        return MISSING
    day, hour, minute, second = UNITS[lang]
    size = abs(seconds)
    if size >= DAY:
        return f"{seconds / DAY:.1f} {day}"
    if size >= HOUR:
        return f"{seconds / HOUR:.1f} {hour}"
    if size >= MINUTE:
        return f"{seconds / MINUTE:.0f} {minute}"
    return f"{seconds:.0f} {second}"


def days_text(days: float | None, lang: str = "en") -> str:
    """``duration_text`` of a duration given in days."""
    return duration_text(None if days is None else days * DAY, lang)
