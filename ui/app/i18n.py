"""Every label of the app in English and Japanese; ``t(key, **values)`` picks the language
the user chose in the sidebar.

Names that come from the data (activities, pools, scenarios) are shown as they are, so a
Japanese log reads in Japanese in either language. KPI names and definitions come from
``sim.kpis.catalogue`` and their translation from ``ui.kpi_definitions``; KPIs per activity
or resource are shown with the activity's or resource's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import streamlit as st

from sim import calendar, distributions
from sim.kpi_roles import role_label
from sim.kpis import catalogue
from ui import kpi_definitions
from ui import report_format as fmt

if TYPE_CHECKING:
    from scenarios.target.levers import Lever

LANGUAGES = {"en": "English", "ja": "日本語"}
DEFAULT = "en"

# The fitted families a duration's description names, in Japanese.
FAMILIES_JA = {"exponential": "指数分布", "gamma": "ガンマ分布", "lognormal": "対数正規分布",
               "weibull": "ワイブル分布", "empirical": "実績の分位点"}

# key -> (English, Japanese)
LABELS: dict[str, tuple[str, str]] = {
    # frame
    "app.language": ("Language", "言語"),
    "app.status": ("Loaded", "読み込み状況"),
    "app.no_data": ("No data yet.", "データはまだありません。"),
    "app.data_status": ("Data: {name} — {cases} cases, {events} events",
                        "データ: {name} — {cases} 件の案件、{events} 件のイベント"),
    "app.data_unusable": ("Data: {name} — cannot be used yet",
                          "データ: {name} — まだ使用できません"),
    "app.model_ready": ("Model: calibrated", "モデル: 学習済み"),
    "app.no_model": ("Model: not calibrated yet", "モデル: 未学習"),
    "page.data": ("Data", "データ"),
    "page.model": ("Model", "モデル"),
    "page.scenarios": ("Scenarios", "シナリオ"),
    "page.compare": ("Compare", "比較"),
    "page.targets": ("Targets", "目標"),
    "page.saved": ("Saved", "保存済み"),
    "common.sorry": ("Sorry — something went wrong on our side. Nothing you saved is "
                     "affected. The details, for a bug report:",
                     "申し訳ありません。内部でエラーが発生しました。保存済みのデータには影響"
                     "ありません。不具合報告用の詳細:"),
    # units and runs
    "unit.days": ("days", "日"),
    "unit.hours": ("hours", "時間"),
    "unit.minutes": ("minutes", "分"),
    "unit.cases_value": ("{n} cases", "{n} 件"),
    "app.currency": ("Currency", "通貨"),
    "data.upload_button": ("Upload", "アップロード"),
    "data.upload_limits": ("{mb} MB per file • {types}", "1 ファイル {mb} MB まで • {types}"),
    "meaning.case_id": ("Opportunity id: links every event of one deal (the case)",
                        "商談 ID: 1 件の商談（案件）のすべてのイベントを結び付けます"),
    "meaning.activity": ("Activity name: the step that happened",
                         "アクティビティ名: 行われたステップ"),
    "meaning.start_time": ("When the activity started (or happened, for atomic events)",
                           "アクティビティの開始日時（瞬間的なイベントでは発生日時）"),
    "meaning.end_time": ("When the activity ended; equal to start for atomic events",
                         "アクティビティの終了日時。瞬間的なイベントでは開始と同じ"),
    "meaning.timestamp": ("When the event happened (a log with one timestamp per event)",
                          "イベントの発生日時（イベントごとにタイムスタンプが 1 つのログ）"),
    "meaning.resource": ("Who did it: owner, sales rep, approver or clerk",
                         "実施者: 担当者、営業担当、承認者、事務担当など"),
    "meaning.outcome": ("Won or lost (empty while the deal is open)",
                        "受注または失注（商談が進行中の間は空欄）"),
    "meaning.amount": ("Estimated or actual opportunity value", "商談の見込み金額または実績金額"),
    "meaning.lead_source": ("Where the lead came from (web, referral, event, partner, ...)",
                            "リードの獲得経路（Web、紹介、イベント、パートナーなど）"),
    "meaning.stage": ("Sales pipeline stage at the event (qualify, develop, propose, close)",
                      "イベント時点の営業パイプラインの段階（評価、育成、提案、クロージング）"),
    "meaning.account": ("Customer account", "顧客アカウント"),
    "meaning.region": ("Region or sales territory", "地域または営業テリトリー"),
    "meaning.lost_reason": ("Why the deal was lost (lost deals only)",
                            "失注の理由（失注した商談のみ）"),
    "meaning.discount": ("Discount granted, as a share 0-1 or a percentage",
                         "値引き（0〜1 の割合またはパーセント）"),
    "meaning.payment_terms": ("Agreed payment terms", "合意した支払条件"),
    "meaning.contract_type": ("Contract type", "契約の種類"),
    "meaning.product_category": ("Product or service category", "製品またはサービスの分類"),
    "targets.costs": ("cost units: {duration} per 25% less work time or waiting, {rework} per 25% "
                      "of a rework loop cut, {person} per person added, {automation} per "
                      "automated activity, {payment} per 5 payment days sooner",
                      "コスト単位: 作業時間または待ち時間 25% 短縮ごとに {duration}、手戻り 25% "
                      "削減ごとに {rework}、1 人追加ごとに {person}、自動化 1 件ごとに "
                      "{automation}、入金 5 日短縮ごとに {payment}"),
    "app.currency_from_data": ("Revenue and cash are in {currency}, as the data says. Change it "
                               "here if the data is wrong.",
                               "売上と入金の通貨はデータのとおり {currency} です。データが誤って"
                               "いる場合はここで変更してください。"),
    "app.currency_default": ("The data names no currency, so revenue and cash are shown in "
                             "{currency} (the default). Set the currency of your data here.",
                             "データに通貨の記載がないため、売上と入金は既定の {currency} で"
                             "表示しています。データの通貨をここで設定してください。"),
    "run.replications": ("Replications", "反復回数"),
    "run.auto": ("Until decided", "判定できるまで"),
    "run.auto_help": ("Run replications in batches until every headline KPI's difference "
                      "is decided at its practical threshold, up to the maximum below.",
                      "主要KPIの差が実務上のしきい値で判定できるまで、下の上限まで反復を"
                      "追加します。"),
    "run.max_replications": ("Replications, at most", "反復回数の上限"),
    "run.replications_help": ("Independent simulation runs per scenario. More runs give "
                              "tighter intervals and take longer.",
                              "シナリオごとの独立したシミュレーション回数。多いほど区間が狭く"
                              "なり、時間がかかります。"),
    "run.seed": ("Seed", "乱数シード"),
    "run.seed_help": ("The same seed gives the same numbers, every time.",
                      "同じシードなら毎回同じ結果になります。"),
    "run.progress": ("{label}: {done} of {total} runs ({seconds} s)",
                     "{label}: {total} 回中 {done} 回完了（{seconds} 秒）"),
    "run.starting": ("{label}: starting… ({seconds} s)",
                     "{label}: 開始しています…（{seconds} 秒）"),
    "run.left_seconds": ("about {n} s left", "残り約 {n} 秒"),
    "run.left_minutes": ("about {n} min left", "残り約 {n} 分"),
    "run.stop": ("Stop", "停止"),
    "run.cancelled": ("The run was stopped. Nothing was saved or changed.",
                      "実行を停止しました。保存済みの内容は変わっていません。"),
    # data page
    "data.title": ("Data", "データ"),
    "data.intro": ("Upload the event log exported from your CRM (one row per activity of an "
                   "opportunity), or try the bundled sample.",
                   "CRM から出力したイベントログ（商談のアクティビティ 1 件につき 1 行）を"
                   "アップロードするか、付属のサンプルを試してください。"),
    "data.upload": ("Event log (CSV, Excel, XES, Parquet)",
                    "イベントログ（CSV・Excel・XES・Parquet）"),
    "data.upload_in_use": ("In use: {name}, uploaded earlier. Upload another file to replace "
                           "it.",
                           "使用中: {name}（アップロード済み）。別のファイルをアップロードすると"
                           "置き換わります。"),
    "data.upload_help": ("Dynamics 365, Oracle CX Sales and most CRM exports are recognised; "
                         "Shift_JIS CSV from Japanese Excel too. Limits: {rows} rows, cells of "
                         "{cell} characters, ids and names of {name}; a file gets {seconds} s "
                         "and {memory} MB to be read. The file is kept privately on the server "
                         "while it is in use.",
                         "Dynamics 365、Oracle CX Sales など多くの CRM の出力形式に対応して"
                         "います。日本語 Excel の Shift_JIS CSV も読めます。上限: {rows} 行、"
                         "セルは {cell} 文字、ID と名前は {name} 文字まで。読み込みには "
                         "{seconds} 秒と {memory} MB まで使えます。ファイルは使用中のみ"
                         "サーバー上に非公開で保存されます。"),
    "data.or": ("…or", "…または"),
    "data.tables": ("…or the CRM's own tables (several files or a zip)",
                    "…または CRM のテーブル（複数のファイルか zip）"),
    "data.tables_help": (
        "Dynamics 365 Sales / Dataverse: lead, opportunity, quote, salesorder and invoice "
        "(optionally opportunityclose, the process-flow tables with processstage, and audit), "
        "as CSV or Excel with logical or display names, or as Web API JSON. Oracle CX Sales: "
        "opportunities, leads, opportunityLeads and revenue items (REST or BICC attribute "
        "names), with quotes, orders, invoices and receipts in the template's columns. They "
        "become one case per opportunity, as 'l2c extract' does. Payments booked outside "
        "Dynamics: add payments.csv (invoice number, date paid, amount) beside the tables.",
        "Dynamics 365 Sales / Dataverse: リード・営業案件・見積もり・受注・請求書のテーブル"
        "（任意で営業案件のクローズ、業務プロセスフローとそのステージ、監査履歴）を、論理名か"
        "表示名の CSV・Excel、または Web サービスの JSON で。Oracle CX Sales: 商談・リード・"
        "商談リード・収益明細（Oracle の文書どおりの属性名）と、テンプレートの列の見積・受注・"
        "請求・入金。コマンドの抽出と同じく、商談 1 件を 1 案件にします。Dynamics の外で"
        "記帳した入金は、payments.csv（請求書番号・入金日・金額）をテーブルと一緒に"
        "アップロードしてください。"),
    "data.tables_in_use": ("In use: {name}, built from tables uploaded earlier. Upload "
                           "other tables to replace it.",
                           "使用中: {name}（アップロード済みのテーブルから作成）。別の"
                           "テーブルをアップロードすると置き換わります。"),
    "data.crm": ("The tables come from", "テーブルの出力元"),
    "data.crm.dynamics": ("Dynamics 365 / Dataverse", "Dynamics 365 / Dataverse"),
    "data.crm.oracle": ("Oracle CX Sales", "Oracle CX Sales"),
    "data.extracting": ("Building the event log from the tables…",
                        "テーブルからイベントログを作成しています…"),
    "extract.title": ("Extraction report: {source}", "抽出レポート: {source}"),
    "extract.form": ("Tables with {form}", "テーブルの形式: {form}"),
    "extract.form.logical names": ("logical names", "論理名"),
    "extract.form.display names": ("display names", "表示名"),
    "extract.form.Web API JSON": ("Web API JSON", "Web サービスの JSON"),
    "extract.form.REST / BICC attribute names": ("REST / BICC attribute names",
                                                 "Oracle の文書どおりの属性名"),
    "extract.headline": ("{tables} tables, {rows} rows read: {cases} cases ({lead_only} from "
                         "leads never converted), {events} events.",
                         "{tables} 個のテーブルから {rows} 行を読み込み、{cases} 件の案件（うち"
                         "商談にならなかったリード {lead_only} 件）と {events} 件のイベントを"
                         "作成しました。"),
    "extract.broken": ("{count} links between records are broken.",
                       "レコード間のリンクが {count} 件切れています。"),
    "extract.broken.one": ("1 link between records is broken.",
                           "レコード間のリンクが 1 件切れています。"),
    "extract.left_out": ("{count} rows or events were left out, each counted below with its "
                         "reason.",
                         "{count} 件の行またはイベントを除外しました（理由ごとに下に記載）。"),
    "extract.left_out.one": ("1 row or event was left out, counted below with its reason.",
                             "1 件の行またはイベントを除外しました（理由は下に記載）。"),
    "extract.approximated": ("{count} event times are approximated; the log's time_source "
                             "column marks them.",
                             "{count} 件のイベント時刻は推定値です（ログの time_source 列に"
                             "記録）。"),
    "extract.approximated.one": ("1 event time is approximated; the log's time_source column "
                                 "marks it.",
                                 "1 件のイベント時刻は推定値です（ログの time_source 列に記録）。"),
    "extract.details": ("Extraction report: tables, links, events, rows left out",
                        "抽出レポート: テーブル・リンク・イベント・除外した行"),
    "extract.tables": ("Tables read", "読み込んだテーブル"),
    "extract.table": ("table", "テーブル"),
    "extract.file": ("file", "ファイル"),
    "extract.rows": ("rows", "行数"),
    "extract.used": ("used", "使用"),
    "extract.left_out_column": ("left out", "除外"),
    "extract.links": ("Links between records", "レコード間のリンク"),
    "extract.link": ("link", "リンク"),
    "extract.resolved": ("resolved", "解決"),
    "extract.broken_column": ("broken", "切断"),
    "extract.examples": ("examples", "例"),
    "extract.events": ("Events by type ({n})", "種類別のイベント（{n} 件）"),
    "extract.activity": ("activity", "アクティビティ"),
    "extract.count": ("events", "件数"),
    "extract.what": ("what", "内容"),
    "extract.reason": ("reason", "理由"),
    "extract.approximated_title": ("Approximated timestamps", "推定した時刻"),
    "extract.undated_title": ("Steps the records show but nothing dates (left out)",
                              "記録にはあるが日時のない手順（除外）"),
    "extract.events_left_out_title": ("Events left out", "除外したイベント"),
    "extract.rows_left_out": ("Rows left out, by reason", "除外した行（理由別）"),
    "data.use_sample": ("Use the bundled sample", "付属のサンプルを使う"),
    "data.template": ("Data template", "データテンプレート"),
    "data.template_xlsx": ("Excel", "Excel"),
    "data.template_csv": ("CSV", "CSV"),
    "data.reading": ("Reading and checking the file…", "ファイルを読み込んで確認しています…"),
    "data.nothing_yet": ("Start here: upload your event log above, or press \"{sample}\" to "
                         "try the planner first.",
                         "まずはここから: 上でイベントログをアップロードするか、「{sample}」を"
                         "押して試してください。"),
    "data.file": ("File: {name}", "ファイル: {name}"),
    "data.delimiter": ("delimiter {delimiter}", "区切り文字 {delimiter}"),
    "data.rows": ("{rows} rows", "{rows} 行"),
    "data.cannot_use": ("This file cannot be used yet. Fix the problems below (often a "
                        "column mapping does it) and read it again.",
                        "このファイルはまだ使用できません。下記の問題を修正して（多くの場合は"
                        "列の対応付けで解決します）、もう一度読み込んでください。"),
    "data.usable_with_warnings": ("The log can be used; the reader has {n} warnings for "
                                  "you to look at.",
                                  "ログは使用できます。確認が必要な警告が {n} 件あります。"),
    "data.usable_with_warnings.one": ("The log can be used; the reader has 1 warning for "
                                      "you to look at.",
                                      "ログは使用できます。確認が必要な警告が 1 件あります。"),
    "data.clean": ("The log was read without problems.", "ログは問題なく読み込まれました。"),
    "data.report": ("Validation report: {warnings}, {notes}", "検証レポート: {warnings}、{notes}"),
    "data.warnings": ("{n} warnings", "警告 {n} 件"),
    "data.warnings.one": ("1 warning", "警告 1 件"),
    "data.notes": ("{n} notes", "注記 {n} 件"),
    "data.notes.one": ("1 note", "注記 1 件"),
    "data.mapping": ("Column mapping", "列の対応付け"),
    "data.mapping_help": ("Which column of the file plays which role. Detected columns are "
                          "filled in; change any of them and read the file again. 'auto' "
                          "lets the reader decide. * = required.",
                          "ファイルのどの列がどの役割かを指定します。自動検出された列が入力済み"
                          "です。変更したらもう一度読み込んでください。「自動」は読み込み側に"
                          "任せます。* は必須です。"),
    "data.no_columns": ("The file could not be opened, so there are no columns to map.",
                        "ファイルを開けなかったため、対応付ける列がありません。"),
    "data.auto": ("auto", "自動"),
    "data.sheet": ("Excel sheet", "Excel シート"),
    "data.date_format": ("Date format (only if detection guesses wrong)",
                         "日付の形式（自動判定が誤る場合のみ）"),
    "data.date_format_help": ("strftime codes, e.g. %d/%m/%Y %H:%M",
                              "strftime 形式。例: %Y/%m/%d %H:%M"),
    "data.read_again": ("Read again with this mapping", "この対応付けで再読み込み"),
    "data.roles": ("Lead-to-cash roles", "リードから入金までの役割"),
    "data.roles_help": ("Which of your activities plays each step the lead-to-cash KPIs "
                        "measure. Built-in names are found as they are, close names with how "
                        "alike they are; choose your own where the log names a step its own "
                        "way. A role no activity plays leaves the KPIs that need it out.",
                        "リードから入金までの KPI が測る各段階を、どのアクティビティが担うか。"
                        "既定の名前はそのまま、似た名前は類似度とともに見つけます。ログ独自の名前は"
                        "ここで選んでください。どのアクティビティも担わない役割を必要とする KPI は"
                        "計測できません。"),
    "data.role_none": ("(none)", "（なし）"),
    "data.role_guess": ("'{activity}' taken for {role}: {share} like '{like}'",
                        "「{activity}」を {role} とみなしました（「{like}」に {share} 類似）"),
    "data.roles_apply": ("Use these roles", "この役割を使う"),
    "data.kpis": ("Your own KPIs", "独自の KPI"),
    "data.kpis_help": ("A small YAML file of your own KPIs: the time from one step to another, by "
                       "activity or lead-to-cash role, its median, mean or P90, per case or per "
                       "occurrence. They are measured on the data, kept in the model, and shown "
                       "in every comparison and on Targets. For example:",
                       "独自の KPI を書いた小さな YAML ファイル。ある段階から別の段階までの"
                       "時間を、アクティビティ名またはリードから入金までの役割で指定し、"
                       "中央値・平均・P90 を案件ごとまたは発生ごとに計測します。データで計測"
                       "され、モデルに保存され、すべての比較と目標設定に表示されます。例:"),
    "data.kpis_upload": ("KPI file (YAML)", "KPI ファイル（YAML）"),
    "data.kpis_in_use": ("In use, from **{file}**:", "使用中（**{file}** より）:"),
    "data.kpi_span": ("from '{start}' to '{end}'", "「{start}」から「{end}」まで"),
    "data.kpi_per_case": ("per case", "案件ごと"),
    "data.kpi_per_occurrence": ("per occurrence", "発生ごと"),
    "data.kpis_remove": ("Stop using these KPIs", "これらの KPI の使用をやめる"),
    "data.kpis_used": ("{n} KPIs of yours are measured on the data and in the model.",
                       "独自の KPI {n} 件をデータとモデルで計測します。"),
    "data.kpis_removed": ("Your own KPIs are no longer used.",
                          "独自の KPI は使用しなくなりました。"),
    "compare.unmapped": ("Not measurable here, as no activity plays the roles they need: "
                         "{kpis}. To measure them, choose the activities playing {roles} on "
                         "the Data page, under 'Lead-to-cash roles'.",
                         "必要な役割を担うアクティビティがないため、ここでは計測できません: "
                         "{kpis}。計測するには、「データ」ページの「リードから入金までの役割」で"
                         "{roles} を担うアクティビティを選んでください。"),
    "data.column_twice": ("A column can play one role only: {columns}",
                          "1 つの列に割り当てられる役割は 1 つだけです: {columns}"),
    "data.overview": ("What is in the log", "ログの概要"),
    "data.cases": ("Cases", "案件"),
    "data.cases_word": ("cases", "件"),
    "data.events": ("Events", "イベント"),
    "data.activities": ("Activities", "アクティビティ"),
    "data.activity": ("Activity", "アクティビティ"),
    "data.open_cases": ("Open at the end", "期末時点で未完了"),
    "data.resources": ("People and systems", "担当者・システム"),
    "data.period": ("From {start} to {end} · {timestamps}", "{start} から {end} · {timestamps}"),
    "data.single": ("one timestamp per event", "イベントごとに時刻 1 つ"),
    "data.start_end": ("start and end times", "開始時刻と終了時刻"),
    "data.map": ("Process map", "プロセスマップ"),
    "data.variants": ("Top variants", "主なバリアント"),
    "data.activity_counts": ("Activities", "アクティビティ"),
    "data.attributes": ("Case attributes", "案件の属性"),
    "data.attributes_sales": ("Deal attributes", "商談の属性"),
    "data.share": ("Share of cases", "案件の割合"),
    "data.path": ("Path", "経路"),
    "data.attribute": ("Attribute", "属性"),
    "data.distinct": ("Distinct values", "値の種類"),
    "data.missing": ("Missing", "欠損"),
    "data.examples": ("Examples", "例"),
    "data.map_detail": ("Transitions shown", "表示する遷移"),
    "data.map_detail_help": ("The busiest transitions that together make up this share of "
                             "all transitions; every activity keeps its main way in and out.",
                             "全遷移のうちこの割合を占める頻度の高い遷移を表示します。各アクティ"
                             "ビティの主な入口と出口は常に表示されます。"),
    "data.map_caption": ("Boxes: activities with their number of events. Arrows: how often "
                         "one activity follows another · median wait in between. Showing "
                         "{shown} of {total} transitions.",
                         "箱: アクティビティとイベント数。矢印: 遷移の回数 · その間の待ち時間の"
                         "中央値。{total} 件中 {shown} 件の遷移を表示。"),
    "data.map_start": ("start", "開始"),
    "data.map_view": ("View", "表示"),
    "data.map_frequency": ("frequency", "頻度"),
    "data.map_performance": ("performance", "所要時間"),
    "data.map_performance_caption": (
        "Boxes: activities with their median work. Arrows: the median wait in between. The "
        "longest work and waits are the reddest.",
        "箱: アクティビティと作業時間の中央値。矢印: その間の待ち時間の中央値。作業と待ちが"
        "長いほど赤く表示します。"),
    "data.map_filter": ("Filter the map", "マップの絞り込み"),
    "data.map_all": ("all", "すべて"),
    "data.map_attribute": ("Case attribute", "案件の属性"),
    "data.map_value": ("Value", "値"),
    "data.map_variant": ("Variant", "バリアント"),
    "data.map_period": ("Cases begun", "開始日の範囲"),
    "data.map_none": ("No case matches these filters.", "条件に合う案件はありません。"),
    "data.map_end": ("end", "終了"),
    "data.learn": ("Learn the process model", "プロセスモデルの学習"),
    "data.learn_help": ("The planner learns durations, waiting times, branch probabilities, "
                        "rework loops, arrivals and resource pools from this log.",
                        "このログから処理時間、待ち時間、分岐確率、手戻り、案件の発生、"
                        "担当者プールを学習します。"),
    "data.calibrate": ("Calibrate the model", "モデルを学習する"),
    "data.calibrating": ("Learning the process from the log…", "ログからプロセスを学習しています…"),
    "data.calibrating_tuned": ("Learning the process and trying a few structures on the log "
                               "(a few simulations: a minute or more)…",
                               "プロセスを学習し、いくつかの構造をログで試しています(数回の"
                               "シミュレーションで 1 分以上かかります)…"),
    "data.tune": ("Choose the model's structure on the log itself",
                  "モデルの構造をログ自体で選ぶ"),
    "data.tune_help": ("Slower but usually closer: models of a few structures (how much of a "
                       "case's history routes it, waits by the case's state, the volume "
                       "trend, queueing in the waits, which cases to learn from) learn from "
                       "the earlier 80% of the cases and simulate the rest, and the closest "
                       "is kept. The Model page lists what was tried.",
                       "時間はかかりますが、たいていはより実際に近くなります。いくつかの構造"
                       "(案件の経緯をどこまで分岐に使うか、案件の状態による待ち時間、件数の"
                       "傾向、待ち時間に含まれる担当者待ち、学習に使う案件)のモデルを前半 80% "
                       "の案件で学習して残りをシミュレーションし、最も近いものを採用します。"
                       "試した構造は「モデル」ページに表示されます。"),
    "model.tuning": ("Structures tried on the log ({n})", "ログで試した構造({n})"),
    "model.tuning_caption": ("Learned from the {learned} cases begun before {date}, checked "
                             "on the {validation} begun since, {reps} runs each. Log distances "
                             "against the first structure tried: below 1 is closer.",
                             "{date} より前に始まった {learned} 件で学習し、それ以降の "
                             "{validation} 件で確認(各 {reps} 回実行)。ログ距離は最初に試した"
                             "構造との比で、1 未満ほど近いことを示します。"),
    "model.tuning_structure": ("Structure (what differs from the first)",
                               "構造(最初の構造との違い)"),
    "model.tuning_score": ("Log distances", "ログ距離"),
    "model.tuning_kept": ("Kept", "採用"),
    "model.tuning_default": ("the first tried", "最初に試した構造"),
    "data.calibrated": ("The process model is ready. See it on the Model page, or go "
                        "straight to Compare.",
                        "プロセスモデルができました。「モデル」ページで確認するか、「比較」に"
                        "進んでください。"),
    "data.model_ready": ("The model of this log is ready.", "このログのモデルは学習済みです。"),
    "data.learn_from": ("Learn from", "学習に使う案件"),
    "data.learn_from_help": ("A process that changed is best planned on as it runs now: the "
                             "planner looks for the last significant change and learns from "
                             "the cases begun since then.",
                             "プロセスが変わった場合は、現在の姿で計画するのが適切です。"
                             "最後の有意な変化を探し、それ以降に始まった案件から学習します。"),
    "data.learn_auto": ("The process as it runs now", "現在のプロセス"),
    "data.learn_all": ("The whole log", "ログ全体"),
    "data.learn_since": ("Cases begun since a date", "指定日以降に始まった案件"),
    "data.learn_since_date": ("Begun on or after", "開始日(以降)"),
    "data.see_model": ("See the model", "モデルを見る"),
    # roles
    "role.case_id": ("Case id (opportunity)", "案件 ID（商談）"),
    "role.activity": ("Activity", "アクティビティ"),
    "role.start_time": ("Start time", "開始時刻"),
    "role.end_time": ("End time", "終了時刻"),
    "role.timestamp": ("Timestamp (one per event)", "タイムスタンプ（イベントごとに 1 つ）"),
    "role.resource": ("Owner / resource", "担当者"),
    "role.outcome": ("Outcome (won / lost)", "結果（受注 / 失注）"),
    "role.amount": ("Amount", "金額"),
    "role.lead_source": ("Lead source", "リードソース"),
    "role.stage": ("Sales stage", "営業ステージ"),
    "role.account": ("Account", "取引先"),
    "role.region": ("Region", "地域"),
    "role.lost_reason": ("Lost reason", "失注理由"),
    "role.discount": ("Discount", "割引率"),
    "role.payment_terms": ("Payment terms", "支払条件"),
    "role.contract_type": ("Contract type", "契約種別"),
    "role.product_category": ("Product category", "製品カテゴリ"),
    # model page
    "model.title": ("Model", "モデル"),
    "model.none": ("No model yet: load data and calibrate it first.",
                   "モデルがまだありません。先にデータを読み込み、学習してください。"),
    "model.pools_count": ("Resource pools", "担当者プール"),
    "model.new_per_week": ("New cases a week", "週あたりの新規案件"),
    "model.trend": ("Trend a month", "月あたりの傾向"),
    "model.source": ("Learned from {source}, {start} to {end}.",
                     "{source}（{start} 〜 {end}）から学習しました。"),
    "model.notes": ("What calibration found ({n})", "学習で分かったこと（{n} 件）"),
    "model.activities": ("Activities", "アクティビティ"),
    "model.routing": ("Branches", "分岐"),
    "model.pools": ("Pools", "担当者プール"),
    "model.arrivals": ("Arrivals", "案件の発生"),
    "model.trust": ("Trust", "信頼性"),
    "model.file": ("Model file", "モデルファイル"),
    "model.activities_help": ("Work is the time someone spends on the activity (in their "
                              "working hours); the delay is the wait before it can start. "
                              "Median / P90 (the time nine cases in ten stay within).",
                              "作業時間は担当者がそのアクティビティに費やす時間（勤務時間内）、"
                              "待ち時間は開始できるまでの時間です。中央値 / P90（10 件中 9 件が"
                              "収まる時間）。"),
    "model.count": ("Seen", "件数"),
    "model.kind": ("Done by", "実施者"),
    "model.pool": ("Pool", "プール"),
    "model.work": ("Work (median / P90)", "作業時間（中央値 / P90）"),
    "model.delay": ("Delay before (median / P90)", "開始前の待ち（中央値 / P90）"),
    "model.depends_on": ("Delay depends on", "待ち時間を左右する属性"),
    "model.batch": ("runs every {every} d, after {age} d",
                    "{every} 日ごとに一括実行（{age} 日経過後）"),
    "model.pick_activity": ("Activity to look at", "表示するアクティビティ"),
    "model.observed": ("observed", "実績"),
    "model.fitted": ("fitted", "当てはめ"),
    "model.share_of_cases": ("share of observations", "観測値の割合"),
    "model.work_title": ("Work time of {activity}", "{activity} の作業時間"),
    "model.delay_title": ("Delay before {activity}", "{activity} の前の待ち時間"),
    "model.fit": ("Chosen distribution: {text}.", "選ばれた分布: {text}。"),
    # a fitted duration and a pool's working hours (``sim.distributions``, ``sim.calendar``)
    "dist.summary": (distributions.ENGLISH.summary, "{kind}、中央値 {median}、P90 {p90}"),
    "dist.fixed": (distributions.ENGLISH.fixed, "固定値 {value}"),
    "dist.zero": (distributions.ENGLISH.zero, "{share} はゼロ、それ以外は {rest}"),
    "dist.cap": (distributions.ENGLISH.cap, "上限 {cap}"),
    "dist.separator": (distributions.ENGLISH.separator, "、"),
    **{f"dist.kind.{kind}": (kind, japanese) for kind, japanese in FAMILIES_JA.items()},
    "cal.with_rare": (calendar.ENGLISH.with_rare, "{full}。時々 {rare}"),
    "cal.only_rare": (calendar.ENGLISH.only_rare, "時々 {rare}"),
    "model.no_work": ("No work time: done by {kind}, the step happens at an instant once its "
                      "delay is over.",
                      "作業時間はありません。{kind}が行うステップで、待ち時間の後に瞬時に"
                      "起きます。"),
    "model.fixed": ("Always {value}: nothing to draw.", "常に {value}（グラフはありません）。"),
    "model.delay_for": ("Delay for {attribute}", "{attribute} ごとの待ち時間"),
    "model.factor.previous": ("the step before", "直前のステップ"),
    "model.factor.next": ("the step after", "次のステップ"),
    "model.factor.around": ("the steps before and after", "前後のステップ"),
    "model.factor.visit": ("the visit (1st, 2nd, 3rd+)", "何回目か(1・2・3 回目以降)"),
    "model.delay_working": ("Counted in working hours. The observed bars include queueing "
                            "for a busy person, which the fit leaves out: the simulation "
                            "adds queueing by itself.",
                            "勤務時間で数えています。実績には担当者の手が空くまでの待ちが含ま"
                            "れますが、当てはめには含めていません（シミュレーションが自動的に"
                            "待ちを再現します）。"),
    "model.delay_calendar": ("Counted on the calendar (customers and systems keep no office "
                             "hours).",
                             "暦日で数えています（顧客やシステムには勤務時間がありません）。"),
    "model.routing_help": ("Where a case goes after each activity, as learned from the log.",
                           "各アクティビティの後に案件がどこへ進むか（ログから学習）。"),
    "model.first_activity": ("First activity of a case", "案件の最初のアクティビティ"),
    "model.after": ("After", "この後に"),
    "model.probability": ("probability", "確率"),
    "model.observations": ("Based on {n} observations.", "{n} 件の観測に基づきます。"),
    "model.visit": ("how often the case has done it before", "これまでの実施回数"),
    "model.previous": ("the activity the case did just before", "直前に行ったアクティビティ"),
    "model.history": ("the two activities the case did just before",
                      "直前に行った 2 つのアクティビティ"),
    "model.depends": ("The branch depends on **{factor}**:",
                      "この分岐は **{factor}** によって変わります:"),
    "model.next": ("Next", "次"),
    "model.overall": ("Overall", "全体"),
    "model.end": ("(end of case)", "（案件終了）"),
    "model.parallel": ("Activities that run at the same time", "同時に進むアクティビティ"),
    "model.pools_help": ("People who do the same kind of work form a pool; they work only in "
                         "their calendar's hours.",
                         "同じ種類の仕事をする人がプールを作ります。カレンダーの時間帯にのみ"
                         "作業します。"),
    "model.size": ("People at once", "同時に作業できる人数"),
    "model.calendar": ("Working hours", "勤務時間"),
    "model.assignment": ("Takes cases", "案件の割り当て"),
    "model.assign_any": ("first free member", "手の空いた人から"),
    "model.assign_case_owner": ("each case by its owner", "案件ごとの担当者"),
    "model.pool_work": ("Does: {activities}", "担当: {activities}"),
    "model.members": ("Members and their speed ({n})", "メンバーと作業速度（{n} 人）"),
    "model.member": ("Member", "メンバー"),
    "model.speed": ("Time factor", "時間係数"),
    "model.speed_help": ("1.3 × means this person takes 30% longer than the pool's typical "
                         "member.", "1.3 × はプールの標準的なメンバーより 30% 長くかかることを"
                         "意味します。"),
    "model.arrivals_text": ("About **{weekly}** new cases a week, trend **{trend}** a month "
                            "(reference {reference}).",
                            "週に約 **{weekly}** 件の新規案件、月あたりの傾向 **{trend}**"
                            "（基準日 {reference}）。"),
    "model.per_hour": ("cases / hour", "件 / 時"),
    "model.monthly": ("New cases per month in the log", "ログ上の月別新規案件数"),
    "model.new_cases": ("new cases", "新規案件"),
    "model.monthly_help": ("The first and last months may be partial.",
                           "最初と最後の月は途中までのデータの場合があります。"),
    "model.trust_help": ("The model replays the log's own period and is measured with the "
                         "same KPI functions as the log: where the history lies inside the "
                         "simulated 95% interval (or within 10%), the model can be trusted "
                         "for that KPI.",
                         "モデルでログと同じ期間を再現し、ログと同じ KPI 関数で測定します。"
                         "実績がシミュレーションの 95% 区間内（または 10% 以内）にあれば、その "
                         "KPI についてモデルは信頼できます。"),
    "model.no_history": ("The log this model was learned from is not loaded, so it cannot "
                         "be checked against it.",
                         "このモデルの学習元のログが読み込まれていないため、照合できません。"),
    "model.check": ("Check the model against the history", "モデルを実績と照合する"),
    "model.check_label": ("Fidelity check", "信頼性チェック"),
    "model.holdout": ("Holdout test", "ホールドアウト検証"),
    "model.holdout_help": ("Learns the model from the earlier 70% of the cases only and "
                           "predicts the rest of the log: the fairest test of a forecast.",
                           "前半70%の案件だけでモデルを学習し、残りの期間を予測して実績と比べます。"
                           "予測力を最も公平に確かめる方法です。"),
    "model.holdout_run": ("Run the holdout test", "ホールドアウト検証を実行"),
    "model.file_help": ("The model as JSON (fingerprint of its log: {fingerprint}): keep it "
                        "to share the model or to plan on it again later.",
                        "モデルの JSON（学習元ログの指紋: {fingerprint}）。モデルの共有や、後で"
                        "同じモデルで計画し直すために保存できます。"),
    "model.download": ("Download model.json", "model.json をダウンロード"),
    "kind.staffed": ("a person", "担当者"),
    # command-line flags in messages, said as the controls of the page
    "words.since_all": (' (choose "{whole_log}" under "{learn_from}" on the Data page)',
                        "（「データ」ページの「{learn_from}」で「{whole_log}」を選択）"),
    "words.days": (' (more "{cases}", or "{history}" under "{length}")',
                   "（「{cases}」を増やすか、「{length}」で「{history}」を選択）"),
    "words.map": ('choose it under "{mapping}" below.', "下の「{mapping}」で選択してください。"),
    "words.map_name": ('Choose the column under "{mapping}" below.',
                       "下の「{mapping}」で列を選択してください。"),
    "words.date_format": ('enter the format under "{mapping}", in "{date_format}"',
                          "「{mapping}」の「{date_format}」に形式を入力してください"),
    "words.date_order": ('enter the right order under "{mapping}", in "{date_format}"',
                         "「{mapping}」の「{date_format}」に正しい順序を入力してください"),
    "words.payments": ("(uploaded beside the tables)", "（テーブルと一緒にアップロードしたもの）"),
    "words.max_size": ("ask whoever runs this app to raise its upload limit",
                       "このアプリの管理者にアップロード上限の引き上げを依頼してください"),
    "kind.customer": ("the customer", "顧客"),
    "kind.system": ("a system", "システム"),
    # fidelity
    "fidelity.none": ("No KPI could be compared with the history.",
                      "実績と比較できる KPI がありません。"),
    "fidelity.verdict": ("{reproduced} of {total} KPIs reproduced.",
                         "{total} 件中 {reproduced} 件の KPI を再現しました。"),
    "fidelity.misses": ("Trust the model less for: {kpis}.",
                        "次の KPI は信頼性が低めです: {kpis}。"),
    "fidelity.axis": ("simulated against history (0% = spot on)",
                      "実績との差（0% = 一致）"),
    "fidelity.chart_help": ("Dots: simulated headline KPIs relative to the history, with "
                            "their 95% interval. Green band: within 10%.",
                            "点: 主要 KPI のシミュレーション値（実績比）と 95% 区間。"
                            "緑の帯: 10% 以内。"),
    "fidelity.history": ("History", "実績"),
    "fidelity.simulated": ("Simulated", "シミュレーション"),
    "fidelity.error": ("Error", "誤差"),
    "fidelity.reproduced": ("Reproduced", "再現"),
    "fidelity.table": ("Every KPI checked", "照合したすべての KPI"),
    # trust summary
    "trust.none": ("Not checked against the history yet: the Trust tab runs the check.",
                   "まだ実績と照合していません。「信頼性」タブで照合できます。"),
    "trust.where_check": ("checked on the Trust tab", "「信頼性」タブで照合"),
    "trust.where_compare": ("from a comparison over the log's period",
                            "ログと同じ期間の比較から"),
    "trust.replay": ("Against the history ({reps} replications, seed {seed}, {where}): "
                     "{reproduced} of {total} KPIs reproduced.",
                     "実績との照合（反復 {reps} 回、シード {seed}、{where}）: {total} 件中 "
                     "{reproduced} 件の KPI を再現しました。"),
    "trust.worst": ("{verdict} Largest errors first: {items}.",
                    "{verdict}誤差の大きい順: {items}。"),
    "trust.join": ("; ", "、"),
    "trust.miss": ("{kpi} simulated {simulated} against {real} in the history ({error})",
                   "{kpi}（シミュレーション {simulated}、実績 {real}、{error}）"),
    "trust.holdout": ("Holdout test ({reps} replications, seed {seed}, learned from the "
                      "cases begun before {split}): {reproduced} of {compared} KPIs of the "
                      "later cases predicted; {near} of {distances} log distances within "
                      "{floor}× the noise floor.",
                      "ホールドアウト検証（反復 {reps} 回、シード {seed}、{split} より前に"
                      "始まった案件で学習）: その後の案件の KPI {compared} 件中 {reproduced} 件を"
                      "予測できました。ログ距離 {distances} 件中 {near} 件がノイズの下限の "
                      "{floor} 倍以内です。"),
    "trust.holdout_past": ("{within} of {distances} are no farther from the later cases "
                           "than the weeks just before the split, repeated: where the model "
                           "is no farther than those, the rest of its miss is the process "
                           "changing after the split.",
                           "ログ距離 {distances} 件中 {within} 件は、分割直前の数週間を"
                           "そのまま繰り返した場合より後の案件に近いか同じです。モデルがそれより"
                           "遠くない距離では、残りの誤差は分割後のプロセスの変化によるものです。"),
    "trust.holdout_worst": ("Largest error: {text}", "最大の誤差: {text}"),
    "trust.noise_floor": ("The noise floor is how far two random halves of the real log "
                          "differ from each other by chance alone: no model can be expected "
                          "to come closer than that.",
                          "ノイズの下限とは、実際のログを無作為に二つに分けたとき、偶然だけで"
                          "生じる差の大きさです。どのモデルもそれ以上には近づけません。"),
    # scenarios page
    "sc.title": ("Scenarios", "シナリオ"),
    "sc.intro": ("A scenario is a what-if change to the process. Build one with the controls "
                 "or open one from the library, check it, and save it for the Compare page.",
                 "シナリオはプロセスへの「もしも」の変更です。コントロールで作成するか"
                 "ライブラリから開き、確認して、「比較」ページ用に保存します。"),
    "sc.need_model": ("Calibrate a model first: the controls list its activities and pools.",
                      "先にモデルを学習してください。コントロールにはモデルのアクティビティと"
                      "プールが並びます。"),
    "sc.library": ("library", "ライブラリ"),
    "sc.not_applying": ("{n} library scenarios do not apply to this model",
                        "このモデルに適用できないライブラリのシナリオ: {n} 件"),
    "sc.not_applying.one": ("1 library scenario does not apply to this model",
                            "このモデルに適用できないライブラリのシナリオ: 1 件"),
    "sc.needs_role": ("no activity plays {role}. If one of yours is that step, choose it on the "
                      "Data page, under 'Lead-to-cash roles', and learn the model again.",
                      "{role} を担うアクティビティがありません。該当するアクティビティがあれば、"
                      "「データ」ページの「リードから入金までの役割」で選び、モデルを学習し直して"
                      "ください。"),
    "sc.needs_pool": ("the model has no pool '{pool}'.", "モデルにプール「{pool}」がありません。"),
    "sc.mine": ("mine", "自分のシナリオ"),
    "sc.start_from": ("Start from", "元にするシナリオ"),
    "sc.new": ("A new, empty scenario", "新しい空のシナリオ"),
    "sc.open": ("Open", "開く"),
    "sc.default_name": ("My scenario", "マイシナリオ"),
    "sc.name": ("Name", "名前"),
    "sc.description": ("Description", "説明"),
    "sc.tab_times": ("Durations", "時間"),
    "sc.tab_automation": ("Automation", "自動化"),
    "sc.tab_people": ("People", "人員"),
    "sc.tab_routing": ("Routing", "経路"),
    "sc.tab_volume": ("Volume and payment", "件数と入金"),
    "sc.times_help": ("Make work faster or slower, or shorten the wait before an activity "
                      "(−50% = half as long).",
                      "作業時間や開始前の待ち時間を短く（または長く）します（−50% = 半分）。"),
    "sc.pick_activities": ("Activities to change", "変更するアクティビティ"),
    "sc.work_change": ("Work time", "作業時間"),
    "sc.wait_change": ("Waiting before", "開始前の待ち時間"),
    "sc.no_work": ("No work time (not done by a person).",
                   "作業時間なし（担当者の作業ではありません）。"),
    "sc.automation_help": ("An automated step is done by a system the moment it is ready; a "
                           "share of errors goes to a person to fix.",
                           "自動化したステップは準備ができ次第システムが処理します。エラーの"
                           "一部は担当者が手作業で修正します。"),
    "sc.error_rate": ("Errors fixed by hand", "手作業で修正するエラー"),
    "sc.people_help": ("How many people of each pool can work at the same time.",
                       "各プールで同時に作業できる人数。"),
    "sc.pool_help": ("Today: {size}, working {calendar}.", "現在: {size} 人、勤務 {calendar}。"),
    "sc.routing_help": ("Change where cases go after an activity; the other shares are "
                        "rescaled so they still add up to 100%.",
                        "アクティビティの後の行き先の割合を変えます。他の割合は合計 100% に"
                        "なるよう調整されます。"),
    "sc.no_branches": ("This model has no branches to change.",
                       "このモデルには変更できる分岐がありません。"),
    "sc.after": ("After", "この後に"),
    "sc.to": ("→ {target}", "→ {target}"),
    "sc.today": ("Today: {share}", "現在: {share}"),
    "sc.volume": ("New cases", "新規案件数"),
    "sc.volume_help": ("+30% = 30% more leads with the same team.",
                       "+30% = 同じ体制でリードが 30% 増える。"),
    "sc.payment": ("Payment days (later +, sooner −)", "入金日数（遅く +、早く −）"),
    "sc.payment_help": ("Customers pay this many days sooner (−) or later (+).",
                        "顧客の入金がこの日数だけ早く（−）または遅く（+）なります。"),
    "sc.other": ("{n} more changes of this scenario have no control here; they are kept "
                 "as written (see the YAML).",
                 "このシナリオには、ここにコントロールのない変更が {n} 件あります。記述どおり"
                 "保持されます（YAML を参照）。"),
    "sc.other.one": ("1 more change of this scenario has no control here; it is kept as "
                     "written (see the YAML).",
                     "このシナリオには、ここにコントロールのない変更が 1 件あります。記述どおり"
                     "保持されます（YAML を参照）。"),
    "sc.yaml": ("The scenario file", "シナリオファイル"),
    "sc.summary": ("What changes", "変更内容"),
    "sc.line_automate": ("{activity}: automated", "{activity}: 自動化"),
    "sc.line_errors": ("({share} go to a person to fix)", "（{share} は担当者が修正）"),
    "sc.line_work": ("{activity}: work time {change}", "{activity}: 作業時間 {change}"),
    "sc.line_wait": ("{activity}: waiting before it {change}",
                     "{activity}: 開始前の待ち時間 {change}"),
    "sc.line_pool": ("{pool}: {old} → {new} people", "{pool}: {old} 人 → {new} 人"),
    "sc.line_route": ("After {source}, to {target}: {old} → {new}",
                      "{source} の後 {target} へ: {old} → {new}"),
    "sc.line_volume": ("New cases {change}", "新規案件数 {change}"),
    "sc.line_pay_sooner": ("Customers pay {days} days sooner", "顧客の入金が {days} 日早まる"),
    "sc.line_pay_later": ("Customers pay {days} days later", "顧客の入金が {days} 日遅れる"),
    "sc.line_other": ("{n} more changes as written in the file",
                      "ファイルに記述されたその他の変更 {n} 件"),
    "sc.line_other.one": ("1 more change as written in the file",
                          "ファイルに記述されたその他の変更 1 件"),
    "sc.no_changes": ("Nothing changes yet. Start with a tab above: choose the activities to "
                      "change under \"{times}\" (their sliders appear then), switch on a step "
                      "under \"{automation}\", or set a number of people under \"{people}\".",
                      "まだ何も変更されていません。上のタブから始めてください: 「{times}」で"
                      "変更するアクティビティを選ぶ（スライダーが表示されます）、「{automation}」"
                      "でステップを自動化する、「{people}」で人数を変える、のいずれかです。"),
    "sc.valid": ("Checked against the model: {n} changes, all valid.",
                 "モデルと照合しました: {n} 件の変更、すべて有効です。"),
    "sc.valid.one": ("Checked against the model: 1 change, valid.",
                     "モデルと照合しました: 1 件の変更、有効です。"),
    "sc.overwrite": ("Replace the saved {name}", "保存済みの {name} を置き換える"),
    "sc.save": ("Save the scenario", "シナリオを保存"),
    "sc.saved": ("Saved '{name}'.", "「{name}」を保存しました。"),
    "sc.go_compare": ("Compare it with the baseline", "ベースラインと比較する"),
    "sc.where": ("Saved scenarios are listed as “mine” on this page and on the Compare page.",
                 "保存したシナリオは、このページと「比較」ページに「自分のシナリオ」として"
                 "表示されます。"),
    # compare page
    "compare.title": ("Compare", "比較"),
    "compare.intro": ("Each scenario is simulated with the same random numbers as the "
                      "baseline, so the difference you see is the change, not chance.",
                      "各シナリオはベースラインと同じ乱数でシミュレーションされるため、差は"
                      "偶然ではなく変更の効果です。"),
    "compare.need_model": ("Calibrate a model first (Data page).",
                           "先にモデルを学習してください（「データ」ページ）。"),
    "compare.scenarios": ("Scenarios to compare with the baseline",
                          "ベースラインと比較するシナリオ"),
    "compare.pick": ("Choose one or more scenarios", "シナリオを 1 つ以上選択"),
    "app.skip_to_content": ("Skip to main content", "メインコンテンツへ移動"),
    "targets.levers_pick": ("Choose the levers to move", "動かすレバーを選択"),
    "targets.theirs_pick": ("None: the customer's waits stay as they are",
                            "なし（顧客の待ち時間はそのまま）"),
    "sc.pick_placeholder": ("Choose activities", "アクティビティを選択"),
    "sc.segment_attribute": ("Cases the changes are for", "変更の対象となる案件"),
    "sc.segment_all": ("Every case", "すべての案件"),
    "sc.segment_value": ("Only where it is", "対象とする値"),
    "sc.segment_help": ("Make the changes below for one segment only (small deals, leads "
                        "from Web); the other cases keep the process as it is today. "
                        "People serve every case: a pool's size changes for all.",
                        "以下の変更を一つのセグメント（小規模案件、Web からのリードなど）だけに"
                        "適用します。それ以外の案件は現在のプロセスのままです。"
                        "人員はすべての案件を担当するため、プールの人数はすべての案件に"
                        "適用されます。"),
    "sc.line_segment": ("Only for cases with {attribute} = {value}:",
                        "{attribute} = {value} の案件のみ:"),
    "compare.length": ("Run length", "シミュレーション期間"),
    "compare.length_history": ("the log's period", "ログと同じ期間"),
    "compare.length_cases": ("a number of new cases", "新規案件数で指定"),
    "compare.cases": ("New cases", "新規案件数"),
    "compare.cases_help": ("The baseline's new cases. A scenario that brings more (or fewer) "
                           "new cases per week simulates as many more (or fewer) over the same "
                           "weeks.",
                           "ベースラインの新規案件数です。週あたりの新規案件を増やす（減らす）"
                           "シナリオは、同じ期間にその分だけ多く（少なく）シミュレーションします。"),
    "compare.history_help": ("The log's period is replayed, and the simulated baseline is "
                             "checked against the history at the same time.",
                             "ログの期間を再現し、同時にベースラインを実績と照合します。"),
    "compare.run": ("Run the comparison", "比較を実行"),
    "compare.job": ("Simulating {names}", "{names} をシミュレーション中"),
    "compare.results": ("Results", "結果"),
    "compare.settings": ("Baseline and scenarios from {run}; {seconds} s.",
                         "ベースラインとシナリオ: {run}。{seconds} 秒。"),
    "runs.describe": ("{reps} replications, seed {seed}, {length}",
                      "反復 {reps} 回、シード {seed}、{length}"),
    "runs.history": ("over the log's period", "ログと同じ期間"),
    "runs.cases": ("{cases} new cases", "新規案件 {cases} 件"),
    "runs.other": ("The {page} page shows {kpi} at {value} in the baseline: that figure comes "
                   "from another run ({run}). The same replications, seed and run length give "
                   "the same figure.",
                   "「{page}」ページのベースラインの{kpi}は {value} です。これは別の実行"
                   "（{run}）の値です。反復回数・シード・期間を同じにすれば同じ値になります。"),
    "compare.stopped": ("The run was stopped: only finished scenarios are shown.",
                        "実行が停止されました。完了したシナリオのみ表示しています。"),
    "compare.every_kpi": ("Show every KPI", "すべての KPI を表示"),
    "compare.sentence": ("**{kpi}**: {before} → {after} ({diff}; 95% interval {low_high}) — "
                         "{effect}",
                         "**{kpi}**: {before} → {after}（{diff}、95% 区間 {low_high}）— "
                         "{effect}"),
    "compare.nothing_material": ("No headline KPI changes materially: no difference is both "
                                 "significant and beyond its practical threshold.",
                                 "主要 KPI に実質的な変化はありません（有意かつ実務上の閾値を"
                                 "超える差はありません）。"),
    "thr.title": ("Practical thresholds", "実務上の閾値"),
    "thr.help": ("A difference gets a verdict (better, worse, changed) only when it is "
                 "significant (its 95% interval excludes zero) and larger than its threshold. "
                 "Durations: the smaller of the days and the percentage of the baseline.",
                 "差に判定（改善・悪化・変化あり）が付くのは、有意（95% 区間が 0 を含まない）"
                 "で、かつ閾値より大きい場合だけです。所要時間は、日数とベースラインに対する"
                 "割合のうち小さい方を閾値とします。"),
    "thr.days": ("Durations: days", "所要時間: 日数"),
    "thr.days_pct": ("Durations: % of baseline", "所要時間: ベースラインに対する %"),
    "thr.points": ("Rates: percentage points", "比率: ポイント"),
    "thr.amounts_pct": ("Counts and amounts: % of baseline",
                        "件数・金額: ベースラインに対する %"),
    "compare.no_rows": ("No KPI to show.", "表示する KPI がありません。"),
    "compare.col_kpi": ("KPI", "KPI"),
    "compare.col_baseline": ("Baseline", "ベースライン"),
    "compare.against_title": ("Scenario against scenario", "シナリオ同士の比較"),
    "compare.against_help": (
        "Each other scenario against the one chosen here instead of the baseline, KPI by "
        "KPI: the scenarios ran with the same seeds, so the difference is paired "
        "replication by replication, with its 95% interval.",
        "ベースラインの代わりにここで選んだシナリオと各シナリオを KPI ごとに比べます。"
        "シナリオは同じ乱数シードで実行したので、差は反復ごとに対にした 95% 区間付きです。"),
    "compare.against_ref": ("Against", "比較の基準"),
    "compare.against_columns": ("The Baseline column is {reference} here.",
                                "ここでのベースライン列は {reference} です。"),
    "compare.col_scenario": ("Scenario", "シナリオ"),
    "compare.col_diff": ("Difference", "差"),
    "compare.col_pct": ("Change", "変化率"),
    "compare.col_interval": ("95% interval", "95% 区間"),
    "compare.col_effect": ("Verdict", "判定"),
    "compare.no_charts": ("No chart data.", "グラフのデータがありません。"),
    "compare.no_chart": ("Nothing to draw for this chart.",
                         "このグラフに表示するものはありません。"),
    "compare.trust": ("How far to trust the baseline", "ベースラインの信頼性"),
    "compare.save": ("Save the comparison", "比較を保存"),
    "compare.save_name": ("Name", "名前"),
    "compare.default_name": ("{names} vs baseline", "{names} とベースラインの比較"),
    "compare.save_button": ("Save", "保存"),
    "compare.saved": ("Saved as '{name}'.", "「{name}」として保存しました。"),
    "compare.statistics": ("Durations are medians over cases (half the cases take longer); "
                           "counts and amounts are means. Simulated figures are averaged over "
                           "the replications. Hover a column's name for the KPIs' definitions.",
                           "所要日数は案件の中央値（半数の案件はこれより長い）、回数と金額は"
                           "平均値です。シミュレーションの値は反復で平均しています。列名に"
                           "カーソルを合わせると KPI の定義が表示されます。"),
    "compare.definitions": ("What each KPI measures:", "各 KPI の定義:"),
    "compare.go_saved": ("Open the Saved page", "「保存済み」ページを開く"),
    # the business case on the Compare page
    "bc.title": ("Business case", "ビジネスケース"),
    "bc.costs": ("Costs for the business case (optional)", "ビジネスケースのコスト（任意）"),
    "bc.costs_help": ("What an hour of work costs per pool (or person), what each occurrence "
                      "of an activity costs, and each scenario's fixed cost per month and "
                      "one-off. With costs, each scenario also shows its staff cost, cost "
                      "per won deal, working capital freed and payback.",
                      "プール（または担当者）ごとの作業 1 時間のコスト、アクティビティ 1 回の"
                      "コスト、シナリオごとの月額固定費と一時費用。コストを入れると、各シナリオ"
                      "の人件費、受注 1 件あたりのコスト、解放される運転資本、回収期間も"
                      "表示します。"),
    "bc.costs_file": ("Costs (YAML, as in a costs file of the command line)",
                      "コスト（YAML 形式、コマンドラインのコストファイルと同じ）"),
    "bc.table_pools": ("Cost of one working hour, per pool", "プールごとの 1 時間あたりのコスト"),
    "bc.table_activities": ("Cost of each occurrence, per activity",
                            "アクティビティごとの 1 回あたりのコスト"),
    "bc.table_unreadable": ("The costs below cannot be read, so the table is hidden until "
                            "they are corrected.",
                            "下のコストを読み取れないため、直すまで表は表示しません。"),
    "seg.title": ("By segment", "セグメント別"),
    "seg.help": ("Each headline KPI of each group of cases, baseline against scenario, with the "
                 "same replications and seed as the comparison; the difference is paired "
                 "replication by replication, with its 95% interval.",
                 "案件のグループごとの主要 KPI を、比較と同じ反復回数とシードで、ベースラインと"
                 "シナリオで比べます。差は反復ごとに対にして求め、95% 区間を添えます。"),
    "seg.by": ("Case attribute", "案件の属性"),
    "seg.run": ("Measure by segment", "セグメント別に測る"),
    "seg.job": ("KPIs by {by}", "{by} 別の KPI"),
    "seg.segment": ("Segment", "セグメント"),
    "seg.deal_size": ("deal size band (amount tertiles)", "案件規模の帯（金額の三分位）"),
    "seg.band.small": ("small", "小"),
    "seg.band.medium": ("medium", "中"),
    "seg.band.large": ("large", "大"),
    "seg.chart_kpi": ("KPI in the chart", "グラフの KPI"),
    "seg.chart_help": ("Each segment's difference against the baseline, with its 95% "
                       "interval: a dot right or left of zero with its bar clear of zero is a "
                       "change in that segment.",
                       "セグメントごとのベースラインとの差と 95% 区間。区間が 0 をまたがない"
                       "点は、そのセグメントでの変化です。"),
    "seg.axis": ("difference against the baseline", "ベースラインとの差"),
    "seg.unit_share": ("pp", "ポイント"),
    "seg.unit_per_month": ("per month", "/ 月"),
    "seg.unit_cases": ("cases", "件"),
    "seg.unit_count": ("times", "回"),
    "bc.use_sample": ("Start from the sample's costs", "サンプルのコストから始める"),
    "bc.note": ("Note", "注記"),
    # effects
    "effect.better": ("better", "改善"),
    "effect.worse": ("worse", "悪化"),
    "effect.changed": ("changed", "変化あり"),
    "effect.same": ("no material change", "実質的な変化なし"),
    "effect.unclear": ("unclear: more replications", "判定保留(反復回数不足)"),
    # charts
    "chart.cycle": ("Cycle times", "サイクルタイム"),
    "chart.funnel": ("Funnel", "ファネル"),
    "chart.cash": ("Cash in", "入金"),
    "chart.waiting": ("Bottlenecks", "ボトルネック"),
    "chart.utilisation": ("Utilisation", "稼働率"),
    "chart.cycle_help": ("Share of cases done within a number of days: a curve further left "
                         "is faster. Each curve is the mean over the replications; the shaded "
                         "band around it is the 95% interval. The baseline is dashed.",
                         "指定日数以内に完了した案件の割合。曲線が左にあるほど速い。各曲線は"
                         "反復の平均で、周りの帯は 95% 区間です。ベースラインは破線です。"),
    "chart.done_within": ("done within", "完了（日数以内）"),
    "chart.interval": ("95% interval", "95% 区間"),
    "chart.cycle_axis": ("cases done within", "完了した案件の割合"),
    "chart.funnel_help": ("Share of closed cases that reached each stage, with the 95% "
                          "interval over the replications; how cases ended (won, lost) is "
                          "shown apart, since it is an outcome, not a stage.",
                          "完了した案件のうち各段階に到達した割合と、反復にわたる 95% 区間。"
                          "案件の結末（受注・失注）は段階ではないため、別に示します。"),
    "chart.stages": ("Stages", "段階"),
    "chart.outcomes": ("Outcomes", "結末"),
    "chart.funnel_axis": ("closed cases reaching the stage", "段階に到達した割合"),
    "chart.cash_help": ("Payments received per month (net of discounts), mean over the "
                        "replications. Shaded months, with hollow points, lie only partly "
                        "inside the run: their lower cash is not a drop.",
                        "月ごとの入金額（割引後）、反復の平均。網掛けで点が白抜きの月は、"
                        "実行期間に一部しか含まれない月です。入金が少ないのは減少ではありません。"),
    "chart.partial": ("partial month", "一部の月"),
    "chart.month": ("month", "月"),
    "chart.cash_axis": ("cash received", "入金額"),
    "chart.waiting_help": ("Median wait before each activity: long bars are where cases "
                           "queue. Error bars: the 95% interval over the replications.",
                           "各アクティビティ前の待ち時間の中央値。長い棒が滞留箇所です。"
                           "誤差棒は反復にわたる 95% 区間です。"),
    "chart.waiting_more": ("The {shown} longest of {total}.",
                           "{total} 件中、長い順に {shown} 件。"),
    "chart.waiting_axis": ("median wait (days)", "待ち時間の中央値（日）"),
    "chart.utilisation_help": ("Busy share of each pool's working time, mean over the "
                               "replications.",
                               "各プールの勤務時間のうち作業中の割合、反復の平均。"),
    "chart.utilisation_axis": ("busy share of working time", "稼働率"),
    "chart.busy": ("busy", "稼働"),
    "chart.over_time": ("Over time", "時系列"),
    "chart.over_time_help": (
        "Week by week: the mean over the replications and its 95% interval (shaded), the "
        "baseline dashed, the history in grey. Cases waiting for a pool count from the end "
        "of the case's previous step to the start of the pool's activity. The first weeks "
        "fill up: cases begun before the period are not in the log.",
        "週ごとの値：反復の平均と 95% 区間（帯）、ベースラインは破線、実績は灰色です。"
        "プール待ちの案件は、前のステップの終了からそのプールの作業の開始までを数えます。"
        "最初の数週は立ち上がりです（期間前に始まった案件はログにありません）。"),
    "chart.series": ("Show", "表示"),
    "chart.week": ("week", "週"),
    "chart.history": ("History", "実績"),
    "chart.ot_wip": ("cases in progress", "進行中の案件数"),
    "chart.ot_queue": ("cases waiting for {pool}", "{pool} の待ち案件数"),
    "chart.ot_utilisation": ("busy share of {pool}", "{pool} の稼働率"),
    "chart.map": ("Process map", "プロセスマップ"),
    "chart.map_member": ("Map of", "対象"),
    "chart.map_cases": ("Cases shown", "表示する案件"),
    "chart.map_by_all": ("all", "すべて"),
    "chart.map_by_attribute": ("of one attribute value", "属性の値で絞り込む"),
    "chart.map_by_variant": ("of one variant", "バリアントで絞り込む"),
    "chart.map_by_month": ("begun in one month", "開始月で絞り込む"),
    "chart.map_month": ("Month begun", "開始月"),
    "chart.map_variant_label": ("{cases} a run · {path}", "1 回あたり {cases} 件 · {path}"),
    "chart.map_part_cases": ("{cases} cases a run on average, in {runs} runs.",
                             "平均 1 回あたり {cases} 件（{runs} 回のシミュレーション）。"),
    "chart.map_part_none": ("No case of {member} is of this part in its runs.",
                            "{member} のシミュレーションにはこの条件に合う案件がありません。"),
    "chart.map_view": ("View", "表示"),
    "chart.map_performance": ("performance", "所要時間"),
    "chart.map_frequency": ("frequency", "頻度"),
    "chart.map_help": (
        "The scenario's process as it ran: each activity with its median work and each "
        "step with its median wait (performance) or how often it happens per run "
        "(frequency), the baseline's figure before the arrow where it differs. Green: "
        "shorter than the baseline, red: longer, where the 95% interval, paired run by "
        "run, excludes zero; the busiest steps making up 95% of all are drawn.",
        "シナリオで実行されたプロセス：各作業の作業時間の中央値と各ステップの待ち時間の中央値"
        "（所要時間）、または 1 回の実行あたりの回数（頻度）。ベースラインと異なる場合は矢印の"
        "前にベースラインの値を示します。緑はベースラインより短く、赤は長いもの（反復ごとに"
        "対にした 95% 区間が 0 を含まない場合）。全体の 95% を占める主なステップを描きます。"),
    # targets page
    "targets.title": ("Targets", "目標"),
    "targets.intro": ("Say where a KPI should be; the planner finds which levers get it "
                      "there, and by how much.",
                      "KPI の目標を指定すると、どのレバーをどれだけ動かせば達成できるかを"
                      "探します。"),
    "targets.kpi": ("KPI", "KPI"),
    "targets.change": ("Change", "変化"),
    "targets.change_help": ("−25% = a quarter shorter (or lower); +20% = a fifth higher.",
                            "−25% = 4 分の 1 短く（低く）、+20% = 5 分の 1 高く。"),
    "targets.stat": ("Of the", "対象"),
    "targets.stat_help": ("Median: the typical case. P90: the time nine cases in ten stay "
                          "within (the slow tail). Mean: the average.",
                          "中央値: 典型的な案件。P90: 10 件中 9 件が収まる時間（遅い案件の"
                          "側）。平均: 平均値。"),
    "targets.stat_median": ("median", "中央値"),
    "targets.stat_p90": ("P90", "P90"),
    "targets.stat_mean": ("mean", "平均"),
    "targets.mode": ("Question", "問い"),
    "targets.mode_rank": ("Rank every lever and propose the cheapest mix",
                          "すべてのレバーを順位付けし、最も安い組み合わせを提案"),
    "targets.mode_seek": ("How far must these levers go?", "選んだレバーをどこまで動かすか"),
    "targets.levers": ("Levers", "レバー"),
    "targets.cases_help": ("Each setting tried is simulated with this many new cases.",
                           "試す設定ごとに、この件数の新規案件でシミュレーションします。"),
    "targets.run": ("Find the answer", "答えを探す"),
    "targets.job": ("Target for {kpi}", "{kpi} の目標"),
    "targets.answer": ("Answer", "答え"),
    "targets.goal": ("the {stat} {kpi} {change} ({baseline} → {target})",
                     "{kpi}の{stat}を{change}（{baseline} → {target}）"),
    "targets.shorter": ("{pct} shorter", "{pct} 短縮"),
    "targets.longer": ("{pct} longer", "{pct} 延長"),
    "targets.lower": ("{pct} lower", "{pct} 低下"),
    "targets.higher": ("{pct} higher", "{pct} 向上"),
    "targets.to_reach": ("To get {goal}: {how}.", "{goal}するには: {how}。"),
    "targets.cannot": ("{goal} cannot be reached with the levers of this model.",
                       "このモデルのレバーでは{goal}は達成できません。"),
    "targets.no_levers": ("No lever of this model can move this KPI ({goal}).",
                          "このモデルにはこの KPI を動かせるレバーがありません（{goal}）。"),
    "targets.seek_yes": ("With {lever} so: {value} (95% interval {low} – {high}).",
                         "{lever}をこのとおりにすると {value}（95% 区間 {low} – {high}）。"),
    "targets.seek_no": ("{lever} cannot reach it (at most {best} even {extreme})",
                        "{lever}では達成できません（{extreme}でも最大 {best}）"),
    "targets.numbers": ("{value} (95% interval {low} – {high}; {change})",
                        "{value}（95% 区間 {low} – {high}、{change}）"),
    "targets.mix_details": ("Simulated: {numbers}, {sure}. Cost: {cost}.",
                            "シミュレーション結果: {numbers}、{sure}。コスト: {cost}。"),
    "targets.mix_no": ("Even every helpful lever at its extreme ({levers}) gives only "
                       "{numbers}.",
                       "役立つレバーをすべて最大にしても（{levers}）{numbers} にとどまります。"),
    "targets.confident": ("reached with 95% confidence", "95% の信頼度で達成"),
    "targets.on_average": ("reached on average, not yet with 95% confidence (more "
                           "replications would tell)",
                           "平均では達成（95% の信頼度ではまだ不確か。"
                           "反復を増やすと判断できます）"),
    "targets.settings": ("Baseline {baseline} from {run}; {runs} settings simulated.",
                         "ベースライン {baseline}（{run}）。{runs} 通りの設定をシミュレーション。"),
    "targets.other_run": ("Compare's last run used {run}: with other settings here, the "
                          "baseline figures of the two pages differ.",
                          "「比較」の直近の実行は {run} でした。ここで別の設定にすると、"
                          "2 つのページのベースラインの値は異なります。"),
    "targets.same_run": ("Use the same run as Compare", "「比較」と同じ実行条件にする"),
    "targets.evidence": ("Evidence", "根拠"),
    "targets.ranking": ("Each lever alone, at its standard step",
                        "各レバーを単独で標準ステップだけ動かした場合"),
    "targets.ranking_help": ("Bars: the change in the KPI with its 95% interval; blue bars "
                             "help towards the goal.",
                             "棒: KPI の変化と 95% 区間。青い棒が目標に役立つレバーです。"),
    "targets.effect_axis": ("change in the KPI ({unit})", "KPI の変化（{unit}）"),
    "targets.lever": ("Lever", "レバー"),
    "targets.step": ("Setting", "設定"),
    "targets.cost": ("Cost units", "コスト単位"),
    "targets.mix": ("The proposed mix", "提案する組み合わせ"),
    "targets.outside": ("{n} levers act outside this KPI's span and were not simulated",
                        "この KPI の範囲外で作用するため、シミュレーションしなかったレバー"
                        "（{n} 件）"),
    "targets.outside.one": ("1 lever acts outside this KPI's span and was not simulated",
                            "この KPI の範囲外で作用するため、シミュレーションしなかったレバー"
                            "（1 件）"),
    "targets.target_line": ("target", "目標"),
    "targets.amount": ("lever setting", "レバーの設定"),
    "targets.theirs": ("Customer waits you can shorten all the same",
                       "それでも短縮できる顧客の待ち時間"),
    "targets.theirs_help": ("A customer's own wait (accepting a quote, signing, paying) is not "
                            "a lever unless you pick it here, e.g. when reminders shorten it.",
                            "顧客自身の待ち時間（見積の受諾、署名、支払い）は、ここで選ばない"
                            "限りレバーにしません（督促で短くできる場合などに選びます）。"),
    "targets.in_money": ("Cost in money (the costs of the Compare page)",
                         "金額でのコスト（「比較」ページのコスト）"),
    "targets.no_costs": ("Cost is counted in effort units; give costs on the Compare page to "
                         "count it in money.",
                         "コストは作業量の単位で数えています。「比較」ページでコストを入力すると"
                         "金額で数えます。"),
    "targets.bad_costs": ("The costs of the Compare page cannot be read, so cost is counted in "
                          "effort units.",
                          "「比較」ページのコストを読み取れないため、コストは作業量の単位で"
                          "数えています。"),
    "targets.cost_money": ("{amount} {currency} per month", "月 {amount} {currency}"),
    "targets.cost_saving": ("a saving of {amount} {currency} per month",
                            "月 {amount} {currency} の削減"),
    "targets.cost_units": ("{amount} units", "{amount} 単位"),
    "targets.cost_month": ("Cost per month ({currency})", "月額コスト（{currency}）"),
    "targets.costs_money": ("Cost per month in {currency}: each lever's fixed cost (its price "
                            "under 'levers:' in the costs; people at their pool's hourly cost "
                            "over a member's working hours; a one-off cost spread over "
                            "{horizon} months) plus the change in running cost the simulation "
                            "measured.",
                            "{currency} での月額コスト: 各レバーの固定費（コストの 'levers:' の"
                            "価格。人員はプールの時間単価×1 人の月間稼働時間。一時費用は "
                            "{horizon} か月に按分）に、シミュレーションで測った運用コストの"
                            "変化を加えたもの。"),
    "targets.unpriced": ("No fixed cost given for: {levers} (add one under 'levers:' in the "
                         "costs).",
                         "固定費の指定がないレバー: {levers}"
                         "（コストの 'levers:' に追加できます）。"),
    "targets.sure": ("Confidence: {pct} that the {kpi} reaches the target ({reps} "
                     "replications).",
                     "信頼度: {kpi} が目標に届く確率は {pct}（反復 {reps} 回）。"),
    "targets.more": ("Run again with {n} replications", "反復 {n} 回でもう一度実行"),
    "targets.more_help": ("About this many replications would put the whole 95% interval "
                          "beyond the target; the ones run so far are reused.",
                          "この程度の反復で 95% 区間全体が目標を越える見込みです。"
                          "実行済みの反復は再利用します。"),
    "targets.auto_help": ("Run a few replications of every setting, then more for each "
                          "lever's effect and each answer until it is decided at the KPI's "
                          "practical threshold, up to the maximum below.",
                          "各設定を少ない反復で実行し、レバーの効果と答えが KPI の実務上の"
                          "しきい値で判定できるまで、下の上限まで反復を追加します。"),
    "targets.not_levers": ("{n} customer waits are not levers here",
                           "{n} 件の顧客の待ち時間はここではレバーにしていません"),
    "targets.save": ("Save this answer", "この答えを保存"),
    "targets.default_name": ("Target: {goal}", "目標: {goal}"),
    "targets.not_levers.one": ("1 customer wait is not a lever here",
                               "1 件の顧客の待ち時間はここではレバーにしていません"),
    # saved page
    "saved.title": ("Saved comparisons", "保存済みの比較"),
    "saved.none": ("No comparison saved yet. Run one on the Compare page and save it.",
                   "保存済みの比較はまだありません。「比較」ページで実行して保存してください。"),
    "saved.name": ("Name", "名前"),
    "saved.created": ("Saved", "保存日時"),
    "saved.scenarios": ("Scenarios", "シナリオ"),
    "saved.open": ("Open", "開く"),
    "saved.about": ("Saved {created} · model: {model} · {reps} replications, seed {seed} · "
                    "{run}",
                    "保存 {created} · モデル: {model} · 反復 {reps} 回、シード {seed} · {run}"),
    "saved.export_csv": ("CSV", "CSV"),
    "saved.export_xlsx": ("Excel", "Excel"),
    "saved.export_html": ("HTML report", "HTML レポート"),
    "saved.rename": ("Rename", "名前を変更"),
    "saved.new_name": ("New name", "新しい名前"),
    "saved.rename_button": ("Rename", "変更"),
    "saved.renamed": ("Renamed '{old}' to '{new}'.", "「{old}」を「{new}」に変更しました。"),
    "saved.delete": ("Delete", "削除"),
    "saved.delete_warning": ("'{name}' will be gone for good.", "「{name}」は完全に削除されます。"),
    "saved.sure": ("Yes, delete it", "削除する"),
    "saved.delete_button": ("Delete", "削除"),
    "saved.deleted": ("Deleted '{name}'.", "「{name}」を削除しました。"),
    "saved.scenario_files": ("Scenario files", "シナリオファイル"),
    "saved.file_as_written": ("The file as written, in its own words.",
                              "ファイルに書かれたとおりに表示しています（ファイル自身の言語のまま）。"),
    "saved.kind": ("Kind", "種類"),
    "saved.kind_comparison": ("comparison", "比較"),
    "saved.kind_backtest": ("backtest", "バックテスト"),
    "saved.kind_target": ("target answer", "目標の答え"),
    "saved.about_target": ("Saved {created} · model {model} · {reps} replications, seed "
                           "{seed}, {run}",
                           "保存日時 {created} · モデル {model} · 反復 {reps} 回、シード {seed}、"
                           "{run}"),
    "saved.target_goal": ("Target:", "目標:"),
    "saved.target_answer": ("Answer", "答え"),
    "saved.target_value": ("KPI", "KPI"),
    "saved.target_sure": ("Confidence", "信頼度"),
    "saved.target_cost": ("Cost", "コスト"),
    "saved.target_left_out": ("Not levers here: {levers}.",
                              "ここではレバーにしていないもの: {levers}。"),
    "saved.about_backtest": ("Saved {created} · {about}", "保存日時 {created} · {about}"),
    # backtest (Model page, Saved page)
    "bt.title": ("Did the planner predict the changes in your own history?",
                 "計画ツールは、あなたの履歴にある変化を予測できたか？"),
    "bt.help": ("A backtest. The model is learned from the cases begun before a change only; "
                "the period after it is simulated twice, as the model stands and with the "
                "change written as a scenario, and both are set against what really happened. "
                "The share explained is the shift the scenario predicts over the real shift.",
                "バックテストです。変化の前に始まった案件だけからモデルを学習し、変化後の期間を"
                "2 回シミュレーションします（モデルのまま、および変化をシナリオとして加えたもの）。"
                "どちらも実際の結果と比べます。説明できた割合は、シナリオが予測した変化量を実際の"
                "変化量で割ったものです。"),
    "bt.change": ("The change", "変化"),
    "bt.detected": ("The one calibration detected ({date})", "学習時に検出された変化（{date}）"),
    "bt.given": ("A date I pick", "日付を指定する"),
    "bt.none_detected": ("Calibration detected no change in this log's process: pick the "
                         "date of a change you know.",
                         "このログのプロセスには、学習時に検出された変化がありません。把握して"
                         "いる変化の日付を指定してください。"),
    "bt.date": ("Change date", "変化の日付"),
    "bt.scenario": ("The change as a scenario", "変化を表すシナリオ"),
    "bt.scenario_help": ("Derived: written from what changed in the cases begun after the "
                         "date. Or one of your scenarios, to test your own lever.",
                         "導出: 日付以降に始まった案件で変わった点から作成します。自分のシナリオを"
                         "選ぶと、そのレバーを検証できます。"),
    "bt.derived": ("Derived from the log", "ログから導出"),
    "bt.run": ("Run the backtest", "バックテストを実行"),
    "bt.job": ("Backtest", "バックテスト"),
    "bt.about": ("Change on {date} ({how}); scenario {scenario}; {reps} replications, "
                 "seed {seed}.",
                 "変化の日付 {date}（{how}）、シナリオ {scenario}、反復 {reps} 回、"
                 "乱数シード {seed}。"),
    "bt.how_detected": ("detected by calibration", "学習時に検出"),
    "bt.how_given": ("the date picked", "指定した日付"),
    "bt.derived_yaml": ("The scenario derived from the cases begun after the change",
                        "変化後に始まった案件から導出したシナリオ"),
    "bt.missed": ("The scenario misses the real shift of {kpis}.",
                  "シナリオは {kpis} の実際の変化を外しています。"),
    "bt.missed_detail": ("It also misses {n} KPIs per activity, pool or person (“missed” in "
                         "the table).",
                         "アクティビティ・プール・担当者ごとの KPI も {n} 件外しています（表の"
                         "「外れ」）。"),
    "bt.missed_detail.one": ("It also misses 1 KPI per activity, pool or person (“missed” "
                             "in the table).",
                             "アクティビティ・プール・担当者ごとの KPI も 1 件外しています"
                             "（表の「外れ」）。"),
    "bt.missed_detail_only": ("The scenario misses the real shift of {n} KPIs per activity, "
                              "pool or person (“missed” in the table).",
                              "シナリオは、アクティビティ・プール・担当者ごとの KPI {n} 件の"
                              "実際の変化を外しています（表の「外れ」）。"),
    "bt.missed_detail_only.one": ("The scenario misses the real shift of 1 KPI per activity, "
                                  "pool or person (“missed” in the table).",
                                  "シナリオは、アクティビティ・プール・担当者ごとの KPI 1 件の"
                                  "実際の変化を外しています（表の「外れ」）。"),
    "bt.all_caught": ("Every KPI that really moved lands within the prediction with the "
                      "scenario.",
                      "実際に変化したすべての KPI が、シナリオありの予測の範囲内に入りました。"),
    "bt.nothing_moved": ("No KPI moved past its practical threshold after this date: there is "
                         "no real shift to explain. Pick another date.",
                         "この日付の後、実務上のしきい値を超えて変化した KPI はありません。"
                         "説明すべき変化がないため、別の日付を選んでください。"),
    "bt.window": ("Simulated from {start} to {end} after a {warmup}-day warm-up, so the work "
                  "in progress on the change date is there. Compared on both sides: the cases "
                  "begun from {start} to {finish_by}, at least {allowance} days before the end "
                  "of the log (the P90 case duration before the change, {p90} days{capped}), "
                  "so they had time to finish.{last}",
                  "{warmup} 日のウォームアップの後、{start} から {end} までシミュレーションします"
                  "（変化の日に仕掛かり中の案件も含めるため）。比較するのは、実績とシミュレーション"
                  "のどちらも {start} から {finish_by} までに始まった案件です。ログの終わりの "
                  "{allowance} 日以上前に始まっているので（変化前の案件所要日数の P90 は "
                  "{p90} 日{capped}）、終わるまでの時間がありました。{last}"),
    "bt.window_capped": ("; capped at half the period after the change",
                         "。ただし変化後の期間の半分まで"),
    "bt.window_last": (" No case begins later in the log, so none is compared later in the "
                       "simulation either.",
                       "ログではこれより後に始まる案件がないため、シミュレーションでも比較しません。"),
    "bt.every": ("Every KPI, also those that did not move", "変化しなかったものも含むすべての KPI"),
    "bt.rows_help": ("Rows: the KPIs whose real shift passes its practical threshold. "
                     "Predictions: mean and 95% interval across replications. Missed: the real "
                     "after-value lies outside the prediction with the scenario (its interval "
                     "widened by that threshold).",
                     "行: 実際の変化が実務上のしきい値を超えた KPI。予測: 反復の平均と 95% 区間。"
                     "外れ: 変化後の実績値が、シナリオありの予測（区間をしきい値だけ広げたもの）の"
                     "外にあります。"),
    "bt.col_before": ("Before (real)", "変化前（実績）"),
    "bt.col_after": ("After (real)", "変化後（実績）"),
    "bt.col_without": ("Predicted without the change", "予測（変化なし）"),
    "bt.col_with": ("Predicted with the scenario", "予測（シナリオあり）"),
    "bt.col_real_shift": ("Real shift", "実際の変化量"),
    "bt.col_predicted_shift": ("Predicted shift", "予測した変化量"),
    "bt.col_explained": ("Share of the real shift explained", "実際の変化のうち説明できた割合"),
    "bt.col_verdict": ("Prediction", "予測の当否"),
    "bt.verdict_missed": ("missed", "外れ"),
    "bt.verdict_caught": ("within", "範囲内"),
    "bt.verdict_still": ("did not move", "変化なし"),
    "bt.save_name": ("Save the backtest as", "バックテストの保存名"),
    "bt.default_name": ("Backtest of the change on {date}", "{date} の変化のバックテスト"),
    "bt.save": ("Save", "保存"),
    "bt.saved": ("Saved as '{name}'; it is on the Saved page.",
                 "「{name}」として保存しました。「保存済み」ページにあります。"),
    "bt.export_csv": ("CSV", "CSV"),
}

LABELS |= {f"section.{s.id}": (s.short, kpi_definitions.JAPANESE[s.id][0])
           for s in catalogue.SECTIONS if s.id}  # "Waiting before: Quote Approved"

# Headline KPI names in Japanese (for the report's charts; the app asks ``kpi_name``).
KPI_JA: dict[str, str] = {kind: kpi_definitions.JAPANESE[kind][0] for kind in catalogue.HEADLINE}
DAYS_JA = ("月", "火", "水", "木", "金", "土", "日")
DAYS_EN = calendar.DAY_NAMES


def language() -> str:
    try:
        lang = st.session_state.get("lang", DEFAULT)
    except Exception:  # outside a Streamlit run (plain tests)
        return DEFAULT
    return lang if lang in LANGUAGES else DEFAULT


def t(key: str, **values: object) -> str:
    """The label in the chosen language, with ``{placeholders}`` filled in. An unknown key
    shows itself, so a missing label is visible instead of breaking the page."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[1] if language() == "ja" else pair[0]
    return text.format(**values) if values else text


def counted(key: str, n: int, **values: object) -> str:
    """A label that counts: ``key.one`` for exactly one where it exists (English says
    "1 warning" but "2 warnings"), ``key`` for any other count."""
    return t(f"{key}.one" if n == 1 and f"{key}.one" in LABELS else key, n=n, **values)


def kpi_name(kpi: str, label: str) -> str:
    """A KPI's short name in the chosen language (its P90 twin with "(P90)")."""
    tail = " (P90)" if kpi.endswith(catalogue.TAIL) else ""
    if catalogue.is_headline(kpi) and catalogue.ref(kpi).item is None:  # yours: as you named it
        return f"{kpi_definitions.name(kpi, language() == 'ja')}{tail}"
    return fmt.name_and_detail(kpi, label)[0] + tail


def role_name(role: str) -> str:
    """A lead-to-cash role as a person reads it: 'Quote approved', or its Japanese name."""
    return role_label(role, language())


def effect_text(effect: str) -> str:
    keys = {fmt.BETTER: "effect.better", fmt.WORSE: "effect.worse",
            fmt.CHANGED: "effect.changed", fmt.SAME: "effect.same",
            fmt.UNCLEAR: "effect.unclear"}
    return t(keys[effect]) if effect in keys else ""


def day_names() -> tuple[str, ...]:
    return DAYS_JA if language() == "ja" else DAYS_EN



def lever_label(lever: Lever) -> str:
    """A target lever's name in the chosen language (activity and pool names as in the log)."""
    if language() != "ja":
        return lever.label
    names = {"duration": f"{lever.subject} の作業時間", "delay": f"{lever.subject} の待ち時間",
             "pool": f"{lever.subject} の人数", "automate": f"{lever.subject} の自動化",
             "rework": f"{lever.subject} → {lever.to} の手戻り", "payment": "入金日数"}
    return names.get(lever.kind, lever.label)


def lever_change(lever: Lever, amount: float) -> str:
    """How far a lever is turned, in the chosen language: '50% faster', '+1 person'."""
    if language() != "ja":
        return lever.describe(amount)
    if amount <= 0:
        return "変更なし"
    words = {"duration": f"{amount:.0%} 短縮", "delay": f"{amount:.0%} 短縮",
             "pool": f"+{round(amount)} 人", "rework": f"{amount:.0%} 削減",
             "automate": "自動化"}
    return words.get(lever.kind, f"{amount:.3g} 日早く")


NOTES_JA: dict[str, str] = {
    "censored": "ログの終了時点で {open} 件の案件が未完了、{begun} 件はログの開始前に始まって"
                "いました。見えていない終わりと始まりは、終了・開始とはみなさず不明(打ち切り)として"
                "扱います。",
    "trend": "新規案件は月あたり {growth} 増えています(傾向の検定 p = {p})。",
    "finished_only": "このログには完了した案件だけが含まれているようです。最後の {days} 日間に"
                     "始まる案件が以前より少なく、終わるまでに時間のかかる案件が欠けている形と"
                     "一致します。新規案件は {until} まで数え、その時期に始まった案件が残る"
                     "確率で重み付けしています。",
    "routing_by_visit": "「{activity}」の次に何が起きるかは、その案件でこれまでに何回行ったかで"
                        "変わります。",
    "routing_by_attribute": "「{activity}」の次に何が起きるかは {attribute} によって変わります。",
    "routing_by_previous": "「{activity}」の次に何が起きるかは、その直前に行った"
                           "アクティビティによって変わります。",
    "routing_by_history": "「{activity}」の次に何が起きるかは、その前に行った 2 つの"
                          "アクティビティによって変わります(まれな経路では直前の"
                          "アクティビティだけで判断します)。",
    "delay_by_attribute": "「{activity}」の前の待ち時間は {attribute} によって変わります。",
    "delay_by_next": "「{activity}」の前の待ち時間は、その後に案件が何をするかによって変わります"
                     "(シミュレーションでは先にそれを決めます)。",
    "delay_by_around": "「{activity}」の前の待ち時間は、その直前に行ったアクティビティと、"
                       "その後に案件が何をするかによって変わります(シミュレーションでは先に"
                       "それを決めます)。",
    "delay_by_visit": "「{activity}」の前の待ち時間は、案件がそこを何回目に通るかによって"
                      "変わります。",
    "delay_by_previous": "「{activity}」の前の待ち時間は、その直前に行ったアクティビティによって"
                         "変わります。",
    "dates_only": "タイムスタンプが日付のみ(時刻なし)のため勤務時間を学習できません。"
                  "すべての待ち時間は暦日で数え、担当者の待ち行列は生じません。",
    "parallel_block": "「{lead}」と「{companion}」は同時に進みます。並行ブロックとして"
                      "モデル化しました。",
    "overlaps": "{count} 件のアクティビティが、同じ案件の前のアクティビティの終了前に始まって"
                "いました(作業の重なり)。多い組み合わせ: {examples}。これらの待ち時間は 0 と"
                "して扱います。",
    "batch_release": "「{activity}」はまとめて処理されます。約 {every} 日ごとに実行され"
                     "(実行日 {dates} 回を確認)、{age} 日以上待った案件が対象です。",
    "regime": "{since} ごろにプロセスが変わりました: {changes}。モデルはそれ以降に始まった "
              "{kept} 件(全 {total} 件中)から学習します。ログ全体から学習することも"
              "できます(--since all)。",
    "regime_later": "{since} ごろにも再び変わりました({changes})が、それだけで学習するには"
                    "最近すぎます。",
    "summer_time": "ログの時計は夏時間で変わりませんが、担当者の勤務時間は変わります(夏は 1 時間"
                   "早く記録されています)。モデルは担当者の現地時間({rule} の夏時間)で動き、"
                   "シミュレーション結果の時刻はログの時計に戻して出力します。",
    "since": "指定どおり、{since} 以降に始まった {kept} 件(全 {total} 件中)から学習します。",
    "wait_drift": "「{activity}」の前の待ち時間はログの期間中に変化しました(全体の中央値 {whole}、"
                  "{since} 以降は {recent})。モデルはそれ以降の案件から現在の水準を学習します。",
    "tuned": "モデルの構造はログ自体で選びました。{date} より前に始まった {learned} 件で学習し、"
             "それ以降に始まった {validation} 件で確かめ、{tried} 通りの構造を試しました。"
             "採用: {choice_ja}(ログ距離は最初に試した構造の {score} 倍)。",
    "not_tuned": "検証用に分けるには案件が少なすぎるため(後半に {cases} 件以上必要)、既定の"
                 "構造を使います。",
    "changed_after_split": "分割日の後、{since} ごろにプロセスが変わりました({changes})。分割日より"
                           "前から学習したモデルには知りようがないため、上の誤差の一部はこの変化"
                           "によるもので、モデルのせいではありません。",
    "volume_rose": "分割日の後、週あたりの新規案件が増えました: 分割日前の最後の {weeks} 週は "
                   "{before} 件、比較期間は {after} 件({move})。分割日より前から学習したモデル"
                   "は最後に見た水準で続けるため、件数、イベントの時刻、待ち行列の誤差の一部は"
                   "この変化によるもので、モデルのせいではありません。",
    "volume_fell": "分割日の後、週あたりの新規案件が減りました: 分割日前の最後の {weeks} 週は "
                   "{before} 件、比較期間は {after} 件({move})。分割日より前から学習したモデル"
                   "は最後に見た水準で続けるため、件数、イベントの時刻、待ち行列の誤差の一部は"
                   "この変化によるもので、モデルのせいではありません。",
    "closed_export": "このログには完了した案件だけが含まれています: 最後の {days} 日間に始まった "
                     "{recent} 件のうち未完了は {open} 件で、プロセスのスナップショットなら約 "
                     "{expected} 件あるはずです。そのため、ログの終わりにまだ続いている"
                     "シミュレーション上の案件は、エクスポートが実際の案件を除いたのと同じく"
                     "比較から除きます。",
}


def note_text(key: str, values: Mapping[str, object]) -> str:
    """What calibration found, worded in the chosen language."""
    from calibration.fit.calibrate import NOTE_TEXT

    template = NOTES_JA.get(key) if language() == "ja" else None
    return (template or NOTE_TEXT.get(key, key)).format(**values)
