"""The one exception base of the project.

Every message a user can see names what is wrong (file, row, column or key path, the bad
value) and how to fix it. Interfaces catch ``PlannerError`` and print its message; anything
else is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PlannerError(Exception):
    """A problem with the user's input or request, explained in plain words."""


SHOWN_CHARS = 60  # a name longer than this is cut in messages
MATCHED_CHARS = 200  # longer names are not compared (difflib takes time length x length)


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text cut for a message: ``"Quote Appro… (4,940 more characters)"``."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def did_you_mean(name: str, choices: Iterable[str], n: int = 1) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice, or an empty string."""
    if len(name) > MATCHED_CHARS:
        return ""
    options = [str(c) for c in choices if len(str(c)) <= MATCHED_CHARS]
    lowered = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    quoted = " or ".join(f"'{shorten(lowered[c])}'" for c in close)
    return f" Did you mean {quoted}?"
