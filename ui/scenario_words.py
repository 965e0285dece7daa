"""A scenario's own words in a reader's language: the planner's own scenarios (the
library's, and one a backtest derived from a log) with their name and description in
Japanese, and the notes applying a scenario leaves, worded in Japanese.

A scenario file the user wrote is theirs: it is shown as written, in its own language,
and the page says so (a demanding reader would not want their file rewritten under their
eyes, nor mistake it for the planner's words).
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from calibration.evaluate.derive import DESCRIPTION
from scenarios import LIBRARY
from scenarios.load import load_scenario, parse_scenario
from scenarios.schema import Scenario
from sim.errors import PlannerError
from ui.report_ja import DESCRIPTIONS_JA, SCENARIOS_JA

DERIVED = re.compile(r"Derived from the log since (\d{4}-\d{2}-\d{2})")  # derive's name
DERIVED_JA = "{date} 以降のログから導出"
DESCRIPTION_JA = "変化の後に始まった案件で変わったこと。それらの案件自身のデータで測っています。"
KINDS_JA = {"delay": "待ち時間", "duration": "作業時間", "automate": "自動化",
            "pool": "プール", "transition": "遷移", "rework": "手戻り", "skip": "省略",
            "volume": "案件数", "mix": "構成", "payment": "入金", "win": "受注"}
# apply_scenario's notes and where they were made, as Japanese reads them
WHERE = re.compile(r"(?P<source>.+): changes\[(?P<number>\d+)\]\.(?P<kind>\w+)")
NOTES_JA: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(e), j) for e, j in (
    (r"(?P<where>.+?): '(?P<activity>.+)' is no longer released in runs \(every "
     r"(?P<days>\d+) days\); it waits for the changed delay instead\.",
     "{where}: 「{activity}」は定期的な一括処理（{days} 日ごと）ではなくなり、変更した待ち時間"
     "の後に処理されます。"),
    (r"Losses after '(?P<source>.+)' depend on (?P<factor>.+), not on (?P<attribute>.+): "
     r"they were left unchanged for the segment\.",
     "「{source}」の後の失注は {attribute} ではなく {factor} によって変わるため、このセグメント"
     "では変えていません。"),
))


def name_ja(name: str) -> str:
    """The planner's own scenario names in Japanese; any other as it is."""
    derived = DERIVED.fullmatch(name)
    if derived:
        return DERIVED_JA.format(date=derived.group(1))
    return SCENARIOS_JA.get(name, name)


def planners_own(text: str, source: str = "") -> str | None:
    """The English name of a scenario the planner wrote (one of the library's, with the
    same changes, or one derived from a log); None for the user's own."""
    try:
        scenario = parse_scenario(text, source or "scenario")
    except PlannerError:
        return None
    if DERIVED.fullmatch(scenario.name) and scenario.description == DESCRIPTION:
        return scenario.name
    library = _library().get(scenario.name)
    return scenario.name if library is not None and library.changes == scenario.changes \
        else None


@cache
def _library() -> dict[str, Scenario]:
    return {s.name: s for s in map(load_scenario, sorted(LIBRARY.glob("*.yaml")))}


def yaml_ja(text: str, source: str = "") -> tuple[str, bool]:
    """The YAML for a Japanese reader, and whether it is the planner's own (its name and
    description then in Japanese) or the user's file (as written)."""
    english = planners_own(text, source)
    if english is None:
        return text, False
    data = yaml.safe_load(text)
    data["name"] = name_ja(english)
    data["description"] = (DESCRIPTION_JA if DERIVED.fullmatch(english)
                           else DESCRIPTIONS_JA.get(english, data.get("description", "")))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True), True


def note_ja(note: str) -> str:
    """A note of ``apply_scenario`` (after the scenario's name, as a comparison prefixes
    it) in Japanese; one this module does not know as it is."""
    prefix = ""
    for pattern, japanese in NOTES_JA:
        found = pattern.search(note)
        if found is None:
            continue
        prefix = note[:found.start()]
        values = found.groupdict()
        if "where" in values:
            values["where"] = _where_ja(values["where"])
        return _prefix_ja(prefix) + japanese.format(**values)
    return note


def _where_ja(where: str) -> str:
    """'<scenario>: changes[2].delay' (the scenario by name or file, perhaps after the name
    a comparison puts first) as Japanese reads it."""
    found = WHERE.fullmatch(where)
    if found is None:
        return where
    names = [_source_ja(part) for part in found["source"].split(": ")]
    kind = KINDS_JA.get(found["kind"], found["kind"])
    return f"{': '.join(names)} の変更 {int(found['number']) + 1}（{kind}）"


def _source_ja(name: str) -> str:
    return "導出したシナリオ" if name == "derived scenario" else name_ja(name)


def _prefix_ja(prefix: str) -> str:
    """'Scenario name: ' before a note, the name in Japanese where the planner gave it."""
    name = prefix.removesuffix(": ")
    return f"{name_ja(name)}: " if prefix.endswith(": ") else prefix
