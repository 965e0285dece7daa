"""What every KPI means, in English and Japanese: one catalogue for every tooltip.

A process owner who sees "Sales cycle 23.3 days" must be able to find, without leaving the
page, where it starts and ends and whether it is a median or a mean. KPIs per activity,
resource or stage ("waiting_time:Quote Approved") share the definition of their family.
"""

from __future__ import annotations

from ui import report_format as fmt

MEDIAN = ("Median over cases (half take longer), averaged over the replications.",
          "案件の中央値（半数はこれより長い）を反復で平均した値。")
P90 = ("P90: 9 in 10 cases take at most this long, averaged over the replications.",
       "P90: 10 件中 9 件がこの日数以内に終わる値を、反復で平均した値。")

# kpi id or family -> (English, Japanese)
DEFINITIONS: dict[str, tuple[str, str]] = {
    "lead_to_opportunity": ("Days from the lead's creation to the opportunity's creation.",
                            "リード作成から商談作成までの日数。"),
    "sales_cycle": ("Days from the opportunity's creation to its close (won or lost).",
                    "商談作成から商談の終了（受注または失注）までの日数。"),
    "quote_approval": ("Days from a quote's creation to its approval, per quote.",
                       "見積作成から見積承認までの日数（見積ごと）。"),
    "quote_revisions": ("Quotes created per closed case, mean over cases (1 = no revision).",
                        "完了した案件あたりの見積作成回数の平均（1 = 修正なし）。"),
    "quote_to_order": ("Days from the first quote to the sales order.",
                       "最初の見積から受注登録までの日数。"),
    "contract_time": ("Days from the quote's acceptance to the signed contract.",
                      "見積受諾から契約締結までの日数。"),
    "fulfilment_time": ("Days from the sales order to its fulfilment.",
                        "受注登録から納品完了までの日数。"),
    "invoice_lag": ("Days from fulfilment to the invoice being sent.",
                    "納品完了から請求書送付までの日数。"),
    "payment_days": ("Days from the invoice being sent to the payment received.",
                     "請求書送付から入金までの日数。"),
    "order_to_cash": ("Days from the sales order to the payment received.",
                      "受注登録から入金までの日数。"),
    "lead_to_cash": ("Days from the lead (else the opportunity) being created to the "
                     "payment received.",
                     "リード作成（なければ商談作成）から入金までの日数。"),
    "win_rate": ("Won cases as a share of closed cases (won or lost).",
                 "完了した案件（受注・失注）のうち受注した割合。"),
    "rework_rate": ("Share of closed cases in which some activity was repeated.",
                    "完了した案件のうち、いずれかのアクティビティを繰り返した割合。"),
    "throughput": ("Cases closed per month over the period.",
                   "期間中に 1 か月あたり完了した案件数。"),
    "wip": ("Work in progress: the mean number of cases open at a time, each counted from its "
            "first event to its end.",
            "仕掛かり: 同時に進行中の案件数の平均。各案件は最初のイベントから終了までを数えます。"),
    "revenue_won": ("Amount of the deals won, per month, in the currency of the data.",
                    "受注した案件の金額（1 か月あたり、データの通貨）。"),
    "cash_collected": ("Payments received (net of discounts), per month, in the currency of "
                       "the data.",
                       "入金額（割引後、1 か月あたり、データの通貨）。"),
    "waiting_time": ("Days a case waits before the activity starts, after the previous one "
                     "ends.",
                     "前のアクティビティの終了から、そのアクティビティ開始までの待ち日数。"),
    "processing_time": ("Working time the activity itself takes, in days.",
                        "そのアクティビティ自体の作業時間（日）。"),
    "utilisation": ("Busy share of a person's time between their first and last event.",
                    "担当者の最初と最後のイベントの間で作業していた時間の割合。"),
    "funnel": ("Share of closed cases that reached the stage.",
               "完了した案件のうち、その段階に到達した割合。"),
    "loss_at": ("Share of lost deals whose last step before the loss was this activity.",
                "失注した案件のうち、失注直前の段階がこのアクティビティだった割合。"),
    "frequency": ("How many times the activity happens per case, mean over cases.",
                  "案件あたりのアクティビティ実行回数の平均。"),
}


DURATIONS = frozenset({"lead_to_opportunity", "sales_cycle", "quote_approval", "quote_to_order",
                       "contract_time", "fulfilment_time", "invoice_lag", "payment_days",
                       "order_to_cash", "lead_to_cash", "waiting_time", "processing_time"})


def definition(kpi: str, japanese: bool = False) -> str:
    """The KPI's definition and, for durations, which statistic the number is."""
    base = fmt.base_kpi(kpi)
    family = base.split(":", 1)[0]
    found = DEFINITIONS.get(base) or DEFINITIONS.get(family)
    if found is None:
        return ""
    text = found[japanese]
    if kpi.endswith(".p90"):
        return f"{text} {P90[japanese]}"
    if family in DURATIONS:
        return f"{text} {MEDIAN[japanese]}"
    return text

