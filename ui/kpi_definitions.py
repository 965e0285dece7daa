"""What every KPI is called and means, in English and Japanese, for every tooltip.

A process owner who sees "Sales cycle 23.3 days" must be able to find, without leaving the
page, where it starts and ends and whether it is a median or a mean. KPIs per activity,
resource or stage ("waiting_time:Quote Approved") share the definition of their family.
The English words are ``sim.kpis.catalogue``'s; this module holds their translation.
"""

from __future__ import annotations

from sim.kpis import catalogue

MEDIAN = ("Median over cases (half take longer), averaged over the replications.",
          "案件の中央値（半数はこれより長い）を反復で平均した値。")
P90 = ("P90: 9 in 10 cases take at most this long, averaged over the replications.",
       "P90: 10 件中 9 件がこの日数以内に終わる値を、反復で平均した値。")

# kind -> (short name, definition) in Japanese; the English is the catalogue's.
JAPANESE: dict[str, tuple[str, str]] = {
    "lead_to_opportunity": ("リードから商談化まで", "リード作成から商談作成までの日数。"),
    "sales_cycle": ("営業サイクル", "商談作成から商談の終了（受注または失注）までの日数。"),
    "quote_approval": ("見積承認時間", "見積作成から見積承認までの日数（見積ごと）。"),
    "quote_revisions": ("案件あたりの見積回数",
                        "完了した案件あたりの見積作成回数の平均（1 = 修正なし）。"),
    "quote_to_order": ("見積から受注まで", "最初の見積から受注登録までの日数。"),
    "contract_time": ("契約締結時間", "見積受諾から契約締結までの日数。"),
    "fulfilment_time": ("納品時間", "受注登録から納品完了までの日数。"),
    "invoice_lag": ("請求の遅れ", "納品完了から請求書送付までの日数。"),
    "payment_days": ("入金日数", "請求書送付から入金までの日数。"),
    "order_to_cash": ("受注から入金まで", "受注登録から入金までの日数。"),
    "lead_to_cash": ("リードから入金まで", "リード作成（なければ商談作成）から入金までの日数。"),
    "win_rate": ("受注率", "完了した案件（受注・失注）のうち受注した割合。"),
    "rework_rate": ("手戻り率", "完了した案件のうち、いずれかのアクティビティを繰り返した割合。"),
    "throughput": ("スループット",
                   "期間中に 1 か月あたり完了した案件数（結果のないログでは、ログの終了時点で"
                   "未完了でない案件）。"),
    "wip": ("仕掛り案件数",
            "仕掛かり: 同時に進行中の案件数の平均。各案件は最初のイベントから終了までを数えます。"),
    "revenue_won": ("月あたり受注額", "受注した案件の金額（1 か月あたり、データの通貨）。"),
    "cash_collected": ("月あたり入金額", "入金額（割引後、1 か月あたり、データの通貨）。"),
    "case_duration": ("案件の所要時間",
                      "完了した案件の最初のイベントから最後のイベントまでの日数（結果のないログでは、"
                      "ログの終了時点で未完了でない案件）。"),
    "cases_started": ("新規案件数",
                      "期間中に 1 か月あたり始まった案件数（案件数を指定した実行では、"
                      "案件が到着した期間で数える）。プロセスへの需要。"),
    "custom": ("独自の KPI",
               "KPI ファイルの定義どおり、ある段階から別の段階までの日数（中央値、平均、P90）。"),
    "waiting_time": ("開始前の待ち",
                     "前のアクティビティの終了から、そのアクティビティ開始までの待ち日数。"),
    "processing_time": ("作業時間", "そのアクティビティ自体の作業時間（日）。"),
    "utilisation": ("稼働率", "担当者の最初と最後のイベントの間で作業していた時間の割合。"),
    "pool_utilisation": ("プールの稼働率",
                         "シミュレーションでプールの勤務時間（カレンダーと全メンバー）のうち"
                         "作業していた時間の割合を、日ごとに平均した値。"),
    "funnel": ("ファネル", "完了した案件のうち、その段階に到達した割合。"),
    "loss_at": ("失注した段階",
                "失注した案件のうち、失注直前の段階がこのアクティビティだった割合。"),
    "frequency": ("案件あたり", "案件あたりのアクティビティ実行回数の平均。"),
}


def definition(kpi: str, japanese: bool = False) -> str:
    """The KPI's definition and, for durations, which statistic the number is."""
    found = catalogue.ref(kpi)
    if found.definition is None:
        return ""
    text = JAPANESE[found.kind][1] if japanese else found.definition.definition
    if found.tail:
        return f"{text} {P90[japanese]}"
    if found.definition.unit == "days":
        return f"{text} {MEDIAN[japanese]}"
    return text


def name(kpi: str, japanese: bool = False) -> str | None:
    """A KPI's short name (a family's name for one of its items), None when unknown."""
    found = catalogue.ref(kpi)
    if found.definition is None:
        return None
    return JAPANESE[found.kind][0] if japanese else found.definition.name

