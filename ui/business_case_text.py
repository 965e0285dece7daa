"""How a business case reads, in English or Japanese: one row of words per figure.

Shared by the terminal table, the HTML report and the app's Compare page, so a staff cost
or a payback period reads the same everywhere. Presentation only: the figures come from
``sim.business_case`` (a saved comparison's is read back with ``BusinessCase.from_dict``).
"""

from __future__ import annotations

import pandas as pd

from sim.business_case import MONTHS, BusinessCase
from ui import report_format as fmt

UNITS_WORD = ("units", "単位")  # money when neither the costs nor the data name a currency
LABELS: dict[str, tuple[str, str]] = {
    "staff_cost": ("Staff cost", "人件費"),
    "activity_cost": ("Cost of activities", "アクティビティのコスト"),
    "fixed_cost": ("Fixed cost of the change", "変更の固定費"),
    "running_cost": ("Running cost", "運営コスト"),
    "cost_per_won_deal": ("Cost per won deal", "受注 1 件あたりのコスト"),
    "revenue_won": ("Revenue won", "受注額"),
    "cash_collected": ("Cash collected", "入金額"),
    "days_to_cash": ("Days to cash", "入金までの日数"),
    "working_capital_freed": ("Working capital freed", "解放される運転資本"),
    "payback": ("Payback of the one-off cost", "一時費用の回収期間"),
}
SUFFIXES: dict[str, tuple[str, str]] = {
    "money_per_month": (" {c} / month", " {c} / 月"), "money_per_deal": (" {c} per deal",
                                                                      " {c} / 件"),
    "money": (" {c}", " {c}"), "days": (" days", " 日"), "months": (" months", " か月"),
}
COMPACT = {"money_per_month": "/mo", "money_per_deal": "/deal", "money": "", "days": " d",
           "months": " mo"}  # the terminal's: the currency is in the table's title
NOTES: dict[str, str] = {  # sim.business_case's notes, as Japanese reads them
    "no one-off cost": "一時費用はありません",
    "the change saves no running cost per month, so its one-off cost never pays back":
        "この変更は月々の運営コストを削減しないため、一時費用は回収されません",
    "the saving's 95% interval reaches zero: payback may never come":
        "削減額の 95% 区間が 0 に達しています。回収されない可能性があります",
    "not available: no case went from fulfilment (or its invoice) to a payment with an "
    "amount": "計測できません: 履行（または請求）から金額のある入金に至った案件がありません",
    "not available": "計測できません",
}
SHEET = ("Business case", "ビジネスケース")  # the workbook's sheet
COLUMNS: dict[str, tuple[str, str]] = {  # its columns: the figures as numbers
    "scenario": ("scenario", "シナリオ"), "measure": ("measure", "項目"),
    "unit": ("unit", "単位"), "currency": ("currency", "通貨"),
    "baseline": ("baseline", "ベースライン"), "value": ("scenario value", "シナリオの値"),
    "diff": ("difference", "差"), "ci_low": ("95% interval low", "95% 区間の下限"),
    "ci_high": ("95% interval high", "95% 区間の上限"),
    "replications": ("replications", "反復回数"), "note": ("note", "注記"),
}
HEADERS: dict[str, tuple[str, str]] = {
    "measure": ("Business case", "ビジネスケース"), "baseline": ("Baseline", "ベースライン"),
    "scenario": ("Scenario", "シナリオ"), "change": ("Difference", "差"),
    "interval": ("95% interval", "95% 区間"),
}
EXPLAIN = (
    "Per month over the simulated period, in {currency}; each difference is paired over "
    "the replications (the same seeds), with its 95% interval. Staff cost: working hours "
    "on the pools' calendars times the hourly rates; running cost adds the activities' "
    "costs and the change's monthly fixed cost. Days to cash: from fulfilment (else the "
    "invoice) to payment, weighted by amount. Working capital freed: days to cash saved "
    "times the baseline's cash collected per day. Payback: the one-off cost of {one_off} "
    "over the running cost saved per month (the working capital freed is not counted in "
    "it).",
    "シミュレーション期間の 1 か月あたり、通貨は {currency}。差は同じシードの反復どうしで"
    "対にして求め、95% 区間を添えています。人件費: プールのカレンダー上の作業時間 × 時間単価。"
    "運営コストはこれにアクティビティのコストと変更の月額固定費を加えたものです。入金までの"
    "日数: 履行（なければ請求）から入金までの日数を金額で加重したもの。解放される運転資本: "
    "短縮された入金までの日数 × ベースラインの 1 日あたり入金額。回収期間: 一時費用 "
    "{one_off} ÷ 月々の運営コスト削減額（解放される運転資本は含みません）。")


def _pick(pair: tuple[str, str], japanese: bool) -> str:
    return pair[1] if japanese else pair[0]


def headers(japanese: bool = False) -> dict[str, str]:
    """The table's column heads by ``HEADERS`` key, in the language asked for."""
    return {key: _pick(pair, japanese) for key, pair in HEADERS.items()}


def currency_word(case: BusinessCase, japanese: bool = False) -> str:
    return case.currency or _pick(UNITS_WORD, japanese)


def _suffix(unit: str, currency: str, japanese: bool, compact: bool) -> str:
    return COMPACT[unit] if compact else _pick(SUFFIXES[unit], japanese).format(c=currency)


def _number(unit: str, value: object, signed: bool) -> str:
    """Days and months with one decimal, money without decimals."""
    return fmt.number("days" if unit in ("days", "months") else "money_per_month", value,
                      signed=signed)


def amount(unit: str, value: object, currency: str, japanese: bool = False,
           signed: bool = False, compact: bool = False) -> str:
    """A figure with its unit: ``12,300 EUR / month``, ``−4.1 days``, ``5.5 months``."""
    text = _number(unit, value, signed)
    if text == fmt.MISSING:
        return text
    return text + _suffix(unit, currency, japanese, compact)


def interval(unit: str, low: object, high: object, currency: str, japanese: bool = False,
             signed: bool = True, compact: bool = False) -> str:
    """``−2,350 to −2,050 EUR / month``; an interval with no upper end (a saving that may
    be nothing) as ``at least 2.0 months``."""
    if fmt.finite_number(low) is None:
        return fmt.MISSING
    suffix = "" if compact else _suffix(unit, currency, japanese, compact)
    if fmt.finite_number(high) is None:
        return _pick(("at least {v}", "{v}以上"), japanese).format(
            v=_number(unit, low, signed) + _suffix(unit, currency, japanese, compact))
    return (_number(unit, low, signed) + _pick((" to ", " 〜 "), japanese)
            + _number(unit, high, signed) + suffix)


def note_text(note: object, japanese: bool = False) -> str:
    text = str(note or "")
    return NOTES.get(text, text) if japanese else text


def case_rows(case: BusinessCase, scenario: str, japanese: bool = False,
              compact: bool = False) -> list[dict[str, str]]:
    """The rows of one scenario's business case, each a dict by ``HEADERS`` key (and
    ``note``): a figure of both members has baseline, scenario and difference; a figure of
    the change alone (working capital freed, payback) its value in the difference column."""
    currency = currency_word(case, japanese)
    rows = []
    for line in case.lines:
        if line.scenario != scenario:
            continue
        alone = fmt.finite_number(line.diff) is None and fmt.finite_number(line.baseline) is None
        shown = line.value if alone else line.diff
        signed = line.unit != MONTHS  # a payback period has no direction
        rows.append({
            "measure": _measure(line.measure, japanese),
            "baseline": amount(line.unit, line.baseline, currency, japanese, compact=compact),
            "scenario": fmt.MISSING if alone else amount(line.unit, line.value, currency,
                                                         japanese, compact=compact),
            "change": amount(line.unit, shown, currency, japanese, signed, compact),
            "interval": interval(line.unit, line.ci_low, line.ci_high, currency, japanese,
                                 signed, compact),
            "note": note_text(line.note, japanese),
        })
    return rows


def _measure(measure: str, japanese: bool) -> str:
    return _pick(LABELS.get(measure, (measure, measure)), japanese)


def explanation(case: BusinessCase, scenario: str, japanese: bool = False) -> str:
    """What the figures mean, with the scenario's one-off cost."""
    currency = currency_word(case, japanese)
    return _pick(EXPLAIN, japanese).format(
        currency=currency,
        one_off=amount("money", case.one_off.get(scenario, 0.0), currency, japanese))


def scenarios_of(case: BusinessCase) -> list[str]:
    """The scenarios a business case covers, in its order."""
    return list(dict.fromkeys(line.scenario for line in case.lines))


def case_frame(case: BusinessCase, japanese: bool = False) -> tuple[str, pd.DataFrame]:
    """The workbook's sheet: its name, and one row per figure with its numbers."""
    currency = currency_word(case, japanese)
    lines = [line.to_dict() for line in case.lines]  # not finite: None, as saved
    rows = [{key: (_measure(str(line["measure"]), japanese) if key == "measure"
                   else currency if key == "currency"
                   else note_text(line.get("note"), japanese) if key == "note"
                   else line.get(key))
             for key in COLUMNS}
            for line in lines]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return _pick(SHEET, japanese), frame.rename(
        columns={key: _pick(pair, japanese) for key, pair in COLUMNS.items()})
