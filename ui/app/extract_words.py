"""The extraction report's own sentences in the chosen language.

The extraction words its reasons, approximations, links and warnings in English, as
``l2c extract`` prints them, naming tables, columns and rows as the export does. On a
Japanese page each known sentence is worded in Japanese from the values in the English
text; the export's own names (tables, columns, files, rows) stay as they are. A sentence
whose wording is not known here is shown as the extraction wrote it.
"""

from __future__ import annotations

import re

from calibration.extract.dataverse_events import POSSIBLY, UNDATED
from ui.app.i18n import language

# The record kinds the extraction's link names and examples speak of.
NOUNS = {
    "opportunity close": "商談のクローズ", "opportunity lead": "商談とリードの対応",
    "originating lead": "元のリード", "process flow": "プロセスフロー",
    "stage snapshot": "ステージの記録", "sales stage": "営業ステージ",
    "revenue line": "売上明細", "opportunity": "商談", "lead": "リード", "quotes": "見積",
    "quote": "見積", "orders": "受注", "order": "受注", "invoices": "請求書",
    "invoice": "請求書", "receipts": "入金", "activities": "活動",
}
_APART = re.compile(r"\s+or\s+")

# An English sentence and its Japanese wording, tried in order (the first full match wins).
JAPANESE: list[tuple[re.Pattern[str], str]] = [(re.compile(english), japanese) for
                                               english, japanese in (
    # why rows were left out
    (r"about a table outside the lead-to-cash process",
     "リードから入金までのプロセスの外のテーブルについての行"),
    (r"its record is not in the export", "対象のレコードがエクスポートにない"),
    (r"a change that is no step of the process", "プロセスのステップではない変更"),
    (r"no link to a case in the export", "エクスポート内の案件へのリンクがない"),
    (r"a link to a record not in the export", "エクスポートにないレコードへのリンク"),
    (r"no opportunity or lead of that number in the export",
     "その番号の商談もリードもエクスポートにない"),
    (r"its (?P<record>opportunity|invoice) is not in the export",
     "その{record}がエクスポートにない"),
    (r"its sales stage is not in the sales stages extract",
     "その営業ステージが営業ステージの抽出にない"),
    (r"duplicate (?P<column>\S+): an older copy of a record read twice",
     "{column} の重複（二度読まれたレコードの古いほう）"),
    (r"date paid unreadable", "入金日が読めない"),
    (r"(?P<column>\S+) unreadable", "{column} が読めない"),
    (r"no (?P<column>\S+)", "{column} がない"),
    # times approximated, steps no row dates, events left out
    (r"(?P<activity>.+): from the payments file \(a date without time\)",
     "{activity}: 入金ファイルの日付から（時刻なし）"),
    (r"(?P<activity>.+): from (?P<column>\S+) \(a date without time\)",
     "{activity}: {column} の日付から（時刻なし）"),
    (r"(?P<activity>.+): from (?P<column>\S+)", "{activity}: {column} から推定"),
    (rf"(?P<activity>.+): {re.escape(UNDATED)}",
     "{activity}: レコードには表れているが、日付を示す監査行も列もない"),
    (rf"(?P<activity>.+): {re.escape(POSSIBLY)}",
     "{activity}: レコードはその先にあり（ここを通ったかもしれない）、日付を示す監査行がない"),
    (r"before --since (?P<day>\S+)", "{day} より前"),
    # examples of broken links
    (r"(?P<source>.+?): no (?P<record>.+?) named '(?P<name>.*)' \(several records have that "
     r"name\)", "{source}: 「{name}」という名前の{record}が複数あり、特定できない"),
    (r"(?P<source>.+?): no (?P<record>.+?) named '(?P<name>.*)'",
     "{source}: 「{name}」という名前の{record}がない"),
    (r"(?P<source>.+?): no (?P<record>sales stage|opportunity or lead|opportunity|lead|\S+) "
     r"(?P<key>.+)", "{source}: {record} {key} がない"),
    # warnings
    (r"(?P<file>.+): not a table the extraction reads, left aside\."
     r" Did you mean '(?P<hint>.+)'\?",
     "{file}: 抽出で読むテーブルではないため、使いませんでした。「{hint}」ではありませんか。"),
    (r"(?P<file>.+): not a table the extraction reads, left aside\.",
     "{file}: 抽出で読むテーブルではないため、使いませんでした。"),
    (r"table (?P<table>\S+): (?P<n>[\d,]+) unreadable (?P<column>\S+) value\(s\), e\.g\. "
     r"'(?P<value>.*)' \((?P<source>.+)\); those steps are counted as undated\.",
     "テーブル {table}: {column} の値 {n} 件が読めません（例: '{value}'、{source}）。"
     "それらのステップは日付なしとして数えました。"),
    (r"No audit table: state changes are dated by their own columns or approximated from "
     r"modifiedon, and process stages only by the stage each flow is in now\.",
     "監査テーブル（audit）がありません。状態の変化はそれぞれの日付の列か、modifiedon から"
     "推定した日時で記録し、プロセスのステージは各フローの現在のステージだけに日付を付けました。"),
    (r"No processstage table: process-flow stages cannot be named, so stage entries are left "
     r"out\.", "processstage テーブルがないため、プロセスフローのステージに名前を付けられず、"
     "ステージへの移行は除外しました。"),
    (r"(?P<n>[\d,]+) process flow\(s\) have no audit rows: only the stage each is in now is "
     r"dated \(activestagestartedon\); earlier stages are missing\.",
     "{n} 件のプロセスフローに監査行がありません。日付があるのは現在のステージだけで"
     "（activestagestartedon）、それより前のステージは抜けています。"),
    (r"salesStages without opportunityStageSnapshots: the stages are named, but no stage "
     r"entry is dated\.", "opportunityStageSnapshots がないため、salesStages でステージの"
     "名前は分かりますが、ステージへの移行には日付がありません。"),
    (r"invoices \((?P<file>.+)\): the amounts are not taken as invoice totals, since no "
     r"invoice number column \(TransactionNumber, invoice_number\) tells one invoice's rows "
     r"from another's and a total on each row would be counted once per row\. Add the "
     r"invoice number to have invoice_amount\.",
     "請求書（{file}）: 請求書番号の列（TransactionNumber または invoice_number）がなく、ある"
     "請求書の行をほかの請求書の行と区別できません。各行の合計をそのまま使うと請求書が行の数"
     "だけ数えられるため、金額を請求額として使いませんでした。invoice_amount を得るには請求書"
     "番号の列を加えてください。"),
    (r"Two payments files: (?P<given>.+) \(--payments\) and (?P<among>.+) among the "
     r"tables\. Give the payments once\.",
     "入金ファイルが 2 つあります: {given}（テーブルと一緒にアップロードしたもの）と、テーブル"
     "の中の {among} です。入金ファイルは 1 つだけにしてください。"),
    (r"table (?P<table>\S+): no ProdGroupName column, so cases get no product category from "
     r"their revenue lines\.", "テーブル {table}: ProdGroupName 列がないため、案件に売上明細の"
     "製品カテゴリを付けられません。"),
)]


def _record(text: str) -> str:
    """'opportunity or lead' as the page's language names those records."""
    return "または".join(NOUNS.get(part, part) for part in _APART.split(text))


def sentence(text: str) -> str:
    """One of the extraction's sentences as the page shows it."""
    if language() != "ja":
        return text
    for pattern, template in JAPANESE:
        found = pattern.fullmatch(text)
        if found is not None:
            values = found.groupdict()
            if values.get("record"):
                values["record"] = _record(values["record"])
            return template.format(**values)
    return text


def link(name: str) -> str:
    """A link's name ('invoice -> order') as the page shows it."""
    if language() != "ja":
        return name
    return " → ".join(_record(side) for side in name.split(" -> "))
