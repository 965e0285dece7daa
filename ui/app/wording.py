"""Words for the page they are on: messages written for the command line, said for the app.

The readers, calibration and the simulation word their messages for ``l2c``: they name
flags (``--since all``, ``--days``, ``--map``) the app does not have. Before such a message
reaches a page, each flag becomes the name of the control that does the same job here. A
"did you mean" on a rare activity is kept only when the two names are really close (a
typo), not for any name that shares a few letters ('RESOLVED' is not 'Resolve ticket').
"""

from __future__ import annotations

import re

import pandas as pd

from ui.app.i18n import role_name, t

SALES_COLUMNS = ("lead_source", "lost_reason")  # case attributes only a sales log has
# flag (as the message writes it) -> the words that name the control on the page
FLAGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\(--since all\)"), "words.since_all"),
    (re.compile(r"\s*\(--days\)"), "words.days"),
    (re.compile(r"pass --map \w+=[^.]*?\.(?=\s|$)"), "words.map"),
    (re.compile(r"Name the column with --map \w+=COLUMN\."), "words.map_name"),
    (re.compile(r"give the format with --date-format \(e\.g\. --date-format '[^']*'\)"),
     "words.date_format"),
    (re.compile(r"pass --date-format with the right order"), "words.date_order"),
    (re.compile(r"raise the limit with --max-size(?: \(or \$\w+\))?"), "words.max_size"),
    (re.compile(r"\(--payments\)"), "words.payments"),
)
CONTROLS = {"learn_from": "data.learn_from", "whole_log": "data.learn_all",
            "mapping": "data.mapping", "date_format": "data.date_format",
            "length": "compare.length", "history": "compare.length_history",
            "cases": "compare.cases"}
ROLE_MISSING = re.compile(r"no activity plays the role (\w+)|no payment activity")
POOL_MISSING = re.compile(r"no pool '(?P<pool>[^']+)' in the model")
TYPO = re.compile(r"Activity '(?P<rare>.+?)' occurs only .*?(?P<hint> Did you mean "
                  r"'(?P<close>.+?)'\? A typo splits one activity into two\.)$", re.S)


def for_app(message: str) -> str:
    """The message with every command-line flag replaced by the control on the page, and
    a typo hint only where it points to a really close name."""
    names = {name: t(key) for name, key in CONTROLS.items()}
    for pattern, label in FLAGS:
        text = t(label, **names)
        message = pattern.sub(lambda _: text, message)  # noqa: B023 (used at once)
    found = TYPO.search(message)
    if found and not really_close(found["rare"], found["close"]):
        message = message.replace(found["hint"], "")
    return message


def why_not_applying(why: str) -> str:
    """Why a library scenario does not apply, said for the page: the role no activity plays
    (and where to choose it) or the pool the model lacks; anything else as for any message."""
    role = ROLE_MISSING.search(why)
    if role:
        return t("sc.needs_role", role=role_name(role.group(1) or "payment_received"))
    pool = POOL_MISSING.search(why)
    if pool:
        return t("sc.needs_pool", pool=pool["pool"])
    return for_app(why)


def _letters(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace) between two short names."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def really_close(name: str, other: str) -> bool:
    """A typo: the same letters up to case and spacing, or at most two edits and one in
    five letters."""
    a, b = _letters(name), _letters(other)
    edits = _distance(a, b)
    return edits <= 2 and edits * 5 <= min(len(a), len(b))


def is_sales(cases: pd.DataFrame) -> bool:
    """Sales data: deals won or lost, or a lead source or lost reason (a helpdesk's
    'RESOLVED' status is not an outcome of a sale)."""
    won_lost = "outcome" in cases and bool(cases["outcome"].notna().any())
    return won_lost or any(column in cases for column in SALES_COLUMNS)
