"""The reader's findings in the chosen language.

The reader words its findings in English, each with a stable code; the codes a process
owner meets most often are worded in Japanese here from the values in the English text.
A finding whose wording is not known yet stays as the reader wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from calibration.report import Finding
from ui.app import wording
from ui.app.i18n import language


def _rare_activity(values: dict[str, str]) -> str:
    said = (f"アクティビティ「{values['activity']}」は {values['n']} 回しか現れません"
            f"（{values['minimum']} 回未満）。所要時間と分岐をうまく推定できません。")
    if values.get("hint"):
        said += (f"「{values['hint']}」の入力ミスではありませんか。入力ミスは 1 つの"
                 "アクティビティを 2 つに分けてしまいます。")
    return said


def _implausible_date(values: dict[str, str]) -> str:
    when = ("1970 年より前" if values["when"] == "before 1970"
            else f"{values['when'].split(' ')[1]} より後（今から 1 年以上先）")
    return (f"{values['n']} 件のイベントの日付が{when}です（{_rows(values['rows'])}、例: "
            f"{values['first']} 〜 {values['last']}）。これらのセルを確認してください。入力ミスや"
            "仮の日付は、ログの期間とその所要時間を引き伸ばします。")


def _mixed_time_zones(values: dict[str, str]) -> str:
    if values.get("listed"):
        return (f"タイムスタンプの UTC オフセットがそろっていません: {values['listed']}。最も"
                f"多い {values['zone']} にそろえたので、それをまたぐ所要時間も正しく計算"
                "されます。")
    return (f"{values['n']} 件のタイムスタンプにはタイムゾーンがなく、ほかにはあります。"
            f"{values['local']} の現地時刻とみなしました。")


# code -> (the English message, its Japanese wording: a template, or a function of the values)
JAPANESE: dict[str, tuple[re.Pattern[str], str | Callable[[dict[str, str]], str]]] = {
    "rare_activity": (re.compile(
        r"Activity '(?P<activity>.+)' occurs only (?P<n>[\d,]+) times? \(fewer than "
        r"(?P<minimum>[\d,]+)\); its durations and branches cannot be estimated well\."
        r"(?: Did you mean '(?P<hint>.+)'\? A typo splits one activity into two\.)?"),
        _rare_activity),
    "implausible_date": (re.compile(
        r"(?P<n>[\d,]+) events? dated (?P<when>before 1970|after \S+ \(a year from now\)) "
        r"\((?P<rows>rows? [^;]+); e\.g\. (?P<first>\S+) to (?P<last>\S+)\)\. Check those "
        r"cells: .*"), _implausible_date),
    "mixed_time_zones": (re.compile(
        r"Timestamps carry different UTC offsets: (?P<listed>.+)\. All were converted to "
        r"(?P<zone>\S+), the most common one, so durations across them stay right\.|"
        r"(?P<n>[\d,]+) timestamps have no time zone while others do; they were taken as "
        r"(?P<local>\S+) local time\."), _mixed_time_zones),
    "lifecycle_set_aside": (re.compile(
        r"(?P<n>[\d,]+) lifecycle events that are neither start nor complete were set aside: "
        r"(?P<listed>.+)\. They do not change durations\."),
        "start でも complete でもないライフサイクルのイベント {n} 件は除きました: {listed}。"
        "所要時間には影響しません。"),
    "empty_file": (re.compile(
        r"(?P<name>.+): the file has column headers but no rows\. Export the event log again "
        r"with its data\."),
        "{name}: 列見出しはありますが、行がありません。データを含めてイベントログを出力し直して"
        "ください。"),
    "no_events": (re.compile(
        r"(?P<name>.+): no row has a case id, an activity and a timestamp, so there is nothing "
        r"to analyse\."),
        "{name}: 案件 ID・アクティビティ・タイムスタンプのそろった行がないため、分析できるものが"
        "ありません。"),
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
    "end_before_start": (re.compile(
        r"End before start in (?P<n>[\d,]+) events? \((?P<rows>.+)\); their end was set to "
        r"their start\."),
        "{n} 件のイベントで終了が開始より前でした（{rows}）。終了を開始に合わせました。"),
    "duplicate_events": (re.compile(
        r"Exact duplicates: (?P<n>[\d,]+) rows? repeat an earlier row \(same case, activity, "
        r"times and resource: (?P<rows>.+)\); each event was counted once\."),
        "完全な重複: {n} 行が前の行と同じでした（案件・アクティビティ・日時・担当者が同じ: "
        "{rows}）。各イベントは 1 回だけ数えました。"),
    "time_zone": (re.compile(r"Timestamps were normalised to (?P<zone>.+)\."),
                  "タイムスタンプを {zone} にそろえました。"),
    "missing_end": (re.compile(
        r"(?P<n>[\d,]+) events have no end time; their end was set to their start\."),
        "{n} 件のイベントに終了日時がないため、終了を開始に合わせました。"),
    "lifecycle": (re.compile(
        r"Lifecycle events were paired into (?P<paired>[\d,]+) activity instances with a start "
        r"and an end; (?P<atomic>[\d,]+) events of activities that are never started are "
        r"instant\."),
        "ライフサイクルのイベントを組み合わせ、開始と終了をもつ {paired} 件のアクティビティに"
        "しました。開始のないアクティビティの {atomic} 件のイベントは瞬間的なものとしました。"),
    "unpaired_complete": (re.compile(
        r"(?P<n>[\d,]+) 'complete' events have no matching 'start': kept as instant activities "
        r"at their completion time\."),
        "{n} 件の「complete」イベントに対応する「start」がありません。完了時刻の瞬間的な"
        "アクティビティとして残しました。"),
    "unpaired_start": (re.compile(
        r"(?P<n>[\d,]+) 'start' events have no matching 'complete': kept as instant activities "
        r"at their start time\."),
        "{n} 件の「start」イベントに対応する「complete」がありません。開始時刻の瞬間的な"
        "アクティビティとして残しました。"),
    "varying_case_attribute": (re.compile(
        r"'(?P<column>.+)' changes within (?P<n>[\d,]+) cases; the last value of each case was "
        r"kept as the case attribute\."),
        "「{column}」は {n} 件の案件の中で値が変わります。各案件の最後の値を案件の属性として"
        "使いました。"),
    "unknown_outcome": (re.compile(
        r"Outcome values not recognised as won or lost: (?P<values>.+)\. Those cases are "
        r"treated as open\. Rename them to Won/Lost if they are closed\."),
        "受注・失注と判別できない結果の値: {values}。これらの案件は進行中として扱います。"
        "完了している場合は Won/Lost に名前を変えてください。"),
}
ROWS = re.compile(r"\brows? ([\d, ]+?)(?: and ([\d,]+) more)?$")


def _rows(text: str) -> str:
    """'rows 4, 9 and 3 more' as Japanese says it."""
    found = ROWS.fullmatch(text.strip())
    if found is None:
        return text
    more = f" ほか {found.group(2)} 行" if found.group(2) else ""
    return f"{found.group(1)} 行目{more}"


def text(finding: Finding) -> str:
    """The finding as the page shows it."""
    if language() == "ja" and finding.code in JAPANESE:
        pattern, template = JAPANESE[finding.code]
        found = pattern.fullmatch(finding.message)
        if found is not None:
            values = found.groupdict()
            if callable(template):
                return template(values)
            if "rows" in values:
                values["rows"] = _rows(values["rows"])
            return template.format(**values)
    return wording.for_app(finding.message)
