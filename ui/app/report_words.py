"""The reader's findings in the chosen language.

The reader words its findings in English, each with a stable code; the codes a process
owner meets most often are worded in Japanese here from the values in the English text.
A finding whose wording is not known yet stays as the reader wrote it.
"""

from __future__ import annotations

import re

from calibration.report import Finding
from ui.app import wording
from ui.app.i18n import language

# code -> (the English message, its Japanese wording)
JAPANESE: dict[str, tuple[re.Pattern[str], str]] = {
    "timestamp_format": (re.compile(r"Column '(?P<column>.+)' was read as (?P<how>.+)\."),
                         "列「{column}」は {how} として読みました。"),
    "discount_percent": (re.compile(r"Discounts were given in percent; .*"),
                         "値引きはパーセントで記録されていたため、割合に換算しました"
                         "（12 → 0.12）。"),
    "one_event_cases": (re.compile(
        r"(?P<n>[\d,]+) cases with a single event \(e\.g\. (?P<examples>.+?)\): they say "
        r"nothing about durations and are often fragments of an incomplete export\."),
        "イベントが 1 件しかない案件が {n} 件あります（例: {examples}）。所要時間は分からず、"
        "不完全な出力の断片であることがよくあります。"),
    "open_cases": (re.compile(
        r"(?P<n>[\d,]+) cases \((?P<share>[^)]+)\) look still open at the end of the log: "
        r"their last activity is not one that ends cases \((?P<ends>.+)\)\. They are kept, "
        r"and treated as unfinished, not as ended\."),
        "{n} 件（{share}）の案件はログの終了時点でまだ進行中のようです。最後のアクティビティが"
        "案件を終えるもの（{ends}）ではありません。これらは残し、終了ではなく未完了として"
        "扱います。"),
}


def text(finding: Finding) -> str:
    """The finding as the page shows it."""
    if language() == "ja" and finding.code in JAPANESE:
        pattern, template = JAPANESE[finding.code]
        found = pattern.fullmatch(finding.message)
        if found is not None:
            return template.format(**found.groupdict())
    return wording.for_app(finding.message)
