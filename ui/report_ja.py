"""The HTML report's own words in Japanese, keyed by the English the report is written in.

The report is written in English (the command line's language); a Japanese reader of the
app exports it in Japanese. Names from the data and the user's scenarios stay as they are.
"""

from __future__ import annotations

from ui.report_format import moment_and_zone

SCENARIOS_JA = {  # the scenario library's names
    "Automated invoicing": "請求の自動化", "Best practice": "ベストプラクティス",
    "E-signature contracts": "電子署名による契約", "One more approver": "承認者を 1 人追加",
    "30% more leads": "リード 30% 増", "Quote approval 50% faster": "見積承認を 50% 短縮",
    "Quote rework halved": "見積の手戻りを半減", "Stricter collection": "回収の厳格化",
}
DESCRIPTIONS_JA = {  # the scenario library's descriptions
    "Automated invoicing": "施策: 受注の履行と同時にシステムが請求書を作成・送付します。待ちも請求"
                           "担当の作業もなくなるため、請求の遅れ（納品完了から請求書送付まで）は"
                           "なくなります。2% の請求書は検証に失敗し、請求担当が手作業で"
                           "修正します。",
    "Best practice": "施策: 見積承認の迅速化、請求の自動化、電子署名、見積の手戻り半減、回収の"
                     "厳格化をすべて組み合わせます。それぞれが単独の場合と同じように自分の KPI を"
                     "動かし、合わせるとリードから入金までが最も短くなります。",
    "E-signature contracts": "施策: 契約を電子署名で締結します。顧客の署名待ち（契約締結時間: "
                             "見積受諾から契約締結まで）は紙の 3 分の 1 になります。",
    "One more approver": "施策: 承認者が 1 人増えます。同じ承認を 1 人多い人数で分担するため、"
                         "承認者の稼働率は 3 分の 1 下がります。見積承認が短くなるのは、見積が"
                         "承認者を待って滞留している場合だけです。",
    "30% more leads": "施策: マーケティングが同じ構成の新規案件（リード、またはデータが商談から"
                      "始まる場合は商談）を同じ体制のまま 30% 増やします。月あたりの新規案件数は"
                      " 30% 増えます。プロセスのどこが詰まるかは、各プールの稼働率と各アクティビ"
                      "ティ前の待ち時間に表れます。",
    "Quote approval 50% faster": "施策: 承認者を待つところから判断までの見積承認を半分の時間で"
                                 "行います。承認前の待ちと承認者の作業をどちらも半分にします"
                                 "（承認チェックリストの簡素化、権限委譲、承認者へのリマインダー）。"
                                 "見積作成から数える見積承認時間は少なくとも半分になり、承認が夜を"
                                 "またいだり忙しい承認者を待ったりしている場合は、同じ日に判断される"
                                 "見積が増えるため、さらに短くなります。見積承認が半分の時間で済めば"
                                 "、営業サイクルはどれだけ短くなり、入金はどれだけ早まるかに答えます。",
    "Quote rework halved": "施策: より良いヒアリングと見積コンフィギュレーターにより、承認後に"
                           "修正で差し戻される見積の割合を半分にします。案件あたりの修正回数"
                           "（最初の見積を除く見積の数）は少なくとも半分になります。一度修正した"
                           "見積が再び修正されることも少なくなるためです。",
    "Stricter collection": "施策: 支払期日前のリマインダーと督促の仕組みにより、すべての顧客の"
                           "入金が 10 日早まり、入金日数（請求書送付から入金まで）は 10 日短く"
                           "なります（10 日未満で期日の入金は、請求書の到着と同時に入ります）。",
}
BASELINE_JA = "ベースライン"
MODEL_PREFIX = "process model of "  # how calibration names a model
FIX_JA = "（手作業の修正）"  # after an activity a scenario automated with errors

PHRASES: dict[str, str] = {
    # header and navigation
    "Model": "モデル", "Fingerprint": "指紋", "Scenarios": "シナリオ",
    "{n} against {baseline}": "{n} 件（比較対象: {baseline}）",
    "Replications": "反復回数", "Precision": "精度",
    "{n} per member, paired (same seeds)": "各 {n} 回、対応あり（同じシード）",
    "Seed": "乱数シード", "Run length": "実行期間",
    "Lead-to-cash what-if comparison": "リードから入金までの what-if 比較",
    "Created {when}": "作成 {when}", "process model": "プロセスモデル",
    "At a glance": "概要", "Results by scenario": "シナリオ別の結果", "Charts": "グラフ",
    "Business case": "ビジネスケース",
    "How far to trust the baseline": "ベースラインをどこまで信頼できるか",
    "No KPI results were saved with this comparison.":
        "この比較には KPI の結果が保存されていません。",
    # tables
    "KPI": "KPI", "Scenario": "シナリオ", "Difference": "差", "Change": "変化率",
    "95% interval": "95% 区間", "Significant": "有意", "Yes": "はい", "No": "いいえ",
    "Not measurable here, as no activity plays the roles they need: {kpis}. Map activities "
    "to the roles {roles} to measure them.":
        "必要な役割を担うアクティビティがないため、ここでは計測できません: {kpis}。計測するには、"
        "{roles} の役割にアクティビティを割り当ててください。",
    "not available": "計測できません", "Activity": "アクティビティ", "Resource": "担当者",
    "Stage": "段階", "Last step": "最後の段階", "Item": "項目",
    "No results saved for this scenario.": "このシナリオの結果は保存されていません。",
    "{n} better": "改善 {n}", "{n} worse": "悪化 {n}",
    "of {n} headline KPIs, significant at 95% and beyond the practical threshold":
        "（主要 KPI {n} 件のうち、95% で有意かつ実務上の閾値を超えるもの）",
    "Other KPIs": "その他の KPI",
    "More KPIs: waiting and processing times, utilisation, funnel and losses":
        "その他の KPI: 待ち時間と作業時間、稼働率、ファネル、失注",
    "Waiting time before each activity": "各アクティビティ前の待ち時間",
    "Processing time of each activity": "各アクティビティの作業時間",
    "Resource utilisation": "担当者の稼働率",
    "Utilisation of each pool": "プールごとの稼働率",
    "Funnel: closed cases reaching each stage": "ファネル: 各段階に到達した完了案件",
    "Where lost deals stopped": "失注した商談が止まった段階",
    "Activity frequencies": "アクティビティの頻度",
    # scenarios
    "No scenario files were saved with this comparison.":
        "この比較にはシナリオファイルが保存されていません。",
    "Scenario file:": "シナリオファイル:",
    # charts
    "No chart data was saved with this comparison.":
        "この比較にはグラフのデータが保存されていません。",
    "No chart data was saved.": "グラフのデータは保存されていません。",
    " The {shown} activities with the longest waits of {total}; all are in the tables above.":
        " 待ち時間の長い {shown} 件（全 {total} 件中）。すべて上の表にあります。",
    "Cycle-time distributions": "サイクルタイムの分布",
    "The share of cases done within a number of days: a curve further left means faster. "
    "Averaged over the replications; the shaded band is the 95% interval, the baseline is "
    "dashed.":
        "指定日数以内に完了した案件の割合。曲線が左にあるほど速い。反復の平均で、帯は 95% 区間、"
        "ベースラインは破線です。",
    "Funnel": "ファネル",
    "The share of closed cases that reached each stage, with the 95% interval over the "
    "replications; outcomes (won, lost) are shown apart.":
        "完了した案件のうち各段階に到達した割合と、反復にわたる 95% 区間。結末（受注・失注）は"
        "別に示します。",
    "Cash received per month": "月ごとの入金額",
    "Payments received per calendar month (net of discounts), mean over the replications. "
    "Shaded months lie only partly inside the run: their lower cash is not a drop.":
        "暦月ごとの入金額（割引後）、反復の平均。網掛けの月は実行期間に一部しか含まれないため、"
        "入金が少ないのは減少ではありません。",
    "Bottlenecks: waiting before each activity": "ボトルネック: 各アクティビティ前の待ち時間",
    "Median wait before each activity starts, with the 95% interval over the replications.":
        "各アクティビティ開始前の待ち時間の中央値と、反復にわたる 95% 区間。",
    "Utilisation by resource pool": "プールごとの稼働率",
    "The busy share of each pool's working time.": "各プールの勤務時間のうち作業中の割合。",
    "Cases in progress week by week": "週ごとの進行中の案件数",
    # KPIs by segment
    "KPIs by segment": "セグメント別の KPI",
    "{kpi} by {by}": "{by} 別の{kpi}",
    "deal size band (amount tertiles)": "案件規模の帯（金額の三分位）",
    ("Each headline KPI of the cases of each {by}: the baseline's value → the scenario's, then "
     "the difference and its 95% interval, paired replication by replication. Bold where the "
     "interval excludes zero."): (
        "{by} ごとの案件の主要 KPI: ベースラインの値 → シナリオの値、その差と 95% 区間"
        "（反復ごとに対応あり）。区間が 0 を含まないものは太字です。"),
    "The mean over the replications week by week, with its 95% interval (shaded); the "
    "history in grey. The weekly queues and busy shares of each pool are in the "
    "workbook's chart data and on the app's Compare page.":
        "反復の週ごとの平均と 95% 区間（帯）、実績は灰色です。各プールの週ごとの待ち案件数と"
        "稼働率は、ワークブックのグラフのデータとアプリの比較ページにあります。",
    # trust
    "No KPI could be compared with the history.": "実績と比較できる KPI はありませんでした。",
    "9 in 10 cases take at most this long": "10 件中 9 件がこの日数以内に終わります",
    "History": "実績", "Simulated": "シミュレーション", "Error": "誤差", "Reproduced": "再現",
    "{n} more KPIs (waiting and processing times, funnel, …)":
        "その他の KPI {n} 件（待ち時間と作業時間、ファネルなど）",
    "<strong>{reproduced} of {total}</strong> KPIs of the history are reproduced by the "
    "simulated baseline: the real value lies in the simulated 95% interval, or within 10% of "
    "the simulated value. Where the baseline misses the history, read the scenarios' "
    "differences on that KPI with care.":
        "実績の KPI <strong>{total} 件中 {reproduced} 件</strong>をシミュレーションのベースラインが"
        "再現しています（実績値がシミュレーションの 95% 区間内、またはシミュレーション値の 10% "
        "以内）。ベースラインが実績から外れる KPI では、シナリオの差を慎重に読んでください。",
    # how to read, footer, title
    "Each scenario is simulated with the same random numbers as the baseline (the same leads "
    "arrive, the same deals are won), so a difference is the effect of the change, not of "
    "luck. The <strong>95% interval</strong> is the range the true difference lies in with "
    "95% confidence; a difference is <strong>significant</strong> (●) when that interval "
    "excludes zero. <span class=\"better\">Green</span> marks an improvement, "
    "<span class=\"worse\">red</span> a worsening, each significant and larger than the KPI's "
    "practical threshold (by default the smaller of half a day and 1% for durations, of a "
    "quarter day and 5% for the invoice lag, one percentage point for rates, 1% otherwise). "
    "Durations are medians in days; shares are in %, their differences in percentage points "
    "(pp); money is per month.":
        "各シナリオはベースラインと同じ乱数でシミュレーションします（同じリードが到着し、同じ商談"
        "が受注されます）。そのため差は偶然ではなく変更の効果です。<strong>95% 区間</strong>は"
        "真の差が 95% の信頼度で含まれる範囲で、区間が 0 を含まないとき差は<strong>有意</strong>"
        "（●）です。<span class=\"better\">緑</span>は改善、<span class=\"worse\">赤</span>は"
        "悪化で、いずれも有意かつ KPI の実務上の閾値（既定では所要日数は半日と 1% の小さい方、"
        "請求の遅れは 4 分の 1 日と 5% の小さい方、割合は 1 ポイント、その他は "
        "1%）を超えるものです。所要日数は日単位の中央値、割合は %、"
        "その差はポイント（pp）、金額は 1 か月あたりです。",
    "Lead-to-cash planner · {name} · model {fingerprint}… · seed {seed}, {reps} replications":
        "リードから入金までのプランナー · {name} · モデル {fingerprint}… · シード {seed}、"
        "反復 {reps} 回",
    "{name} — lead-to-cash comparison": "{name} — リードから入金までの比較",
}


def when(created: str) -> str:
    """A saved moment as Japanese writes it: '2025年3月1日 10:00 UTC'."""
    parsed = moment_and_zone(created)
    if parsed is None:
        return created or "日付不明"
    moment, zone = parsed
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}" + (
        f" {zone}" if zone else "")


def model_name(name: str) -> str:
    """Calibration's 'process model of <log>' as Japanese says it."""
    if name.startswith(MODEL_PREFIX):
        return f"{name.removeprefix(MODEL_PREFIX)} のプロセスモデル"
    return name


# Plotly's own words (toolbar tooltips, hover hints, month and day names on date axes): its
# Japanese locale, given with each chart's config since Plotly has only English built in.
PLOTLY_LOCALE_JA = {
    "dictionary": {
        "Autoscale": "自動で全体を表示", "Box Select": "矩形で選択",
        "Compare data on hover": "ホバーで各系列の値を比較",
        "Double-click to zoom back out": "ダブルクリックで元の表示に戻ります",
        "Double-click on legend to isolate one trace":
            "凡例をダブルクリックするとその系列だけを表示します",
        "Download plot": "グラフをダウンロード",
        "Download plot as a PNG": "グラフを PNG でダウンロード",
        "Download plot as a png": "グラフを PNG でダウンロード",
        "Lasso Select": "投げ縄で選択", "Pan": "移動", "Reset axes": "軸を元に戻す",
        "Reset view": "表示を元に戻す", "Reset views": "表示を元に戻す",
        "Show closest data on hover": "ホバーで最も近い値を表示",
        "Toggle show closest data on hover": "ホバーで最も近い値を表示（切り替え）",
        "Toggle Spike Lines": "補助線の表示を切り替え",
        "Snapshot succeeded": "画像を保存しました",
        "Sorry, there was a problem downloading your snapshot!":
            "申し訳ありません。画像を保存できませんでした。",
        "Taking snapshot - this may take a few seconds": "画像を作成しています（数秒かかります）",
        "Zoom": "ズーム", "Zoom in": "拡大", "Zoom out": "縮小",
        "trace": "系列", "min:": "最小:", "max:": "最大:", "median:": "中央値:",
        "mean:": "平均:", "q1:": "第 1 四分位:", "q3:": "第 3 四分位:",
    },
    "format": {
        "days": ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"],
        "shortDays": ["日", "月", "火", "水", "木", "金", "土"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y/%m/%d",
    },
}


def plotly_config(config: dict[str, object], language: str) -> dict[str, object]:
    """A chart's Plotly config, with Plotly's own words in ``language`` ("en" or "ja")."""
    if language != "ja":
        return config
    return config | {"locale": "ja", "locales": {"ja": PLOTLY_LOCALE_JA}}
