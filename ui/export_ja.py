"""The CSV and Excel exports in Japanese, for a reader who chose Japanese.

The exports are written in English (a script reading them relies on the column names);
a Japanese reader gets the same tables with Japanese column and sheet names, KPI names,
units, verdicts and yes/no, and the library's scenario names. Numbers are not touched.
Names from the data and the user's own scenarios stay as they are.
"""

from __future__ import annotations

import pandas as pd

from sim.kpi_roles import DEFAULT_NAMES
from sim.kpis import catalogue
from sim.study import BASELINE
from ui import kpi_definitions
from ui import report_format as fmt
from ui.report_ja import BASELINE_JA, SCENARIOS_JA, model_name

SHEETS = {"Comparison": "比較", "Scenarios": "シナリオ", "Charts data": "グラフのデータ",
          "Segments": "セグメント別", "About": "この比較について"}
COLUMNS = {
    "scenario": "シナリオ", "kpi": "KPI ID", "label": "KPI", "unit": "単位", "group": "区分",
    "baseline": "ベースライン", "value": "シナリオの値", "diff": "差", "pct_change": "変化率 (%)",
    "ci_low": "95% 区間の下限", "ci_high": "95% 区間の上限", "significant": "有意",
    "threshold": "実務上の閾値", "material": "実務上の差", "replications": "反復回数",
    "note": "注記", "headline": "主要 KPI", "effect": "判定",
    # the other sheets
    "name": "名前", "source": "ファイル", "text": "内容", "member": "対象", "chart": "グラフ",
    "item": "項目", "quantile": "分位", "segment": "セグメント", "by": "属性",
}
UNITS = {"days": "日", "share": "割合", "cases": "件", "count": "回", "per_month": "件 / 月",
         "money_per_month": "金額 / 月"}
EFFECTS = {fmt.BETTER: "改善", fmt.WORSE: "悪化", fmt.CHANGED: "変化あり",
           fmt.SAME: "実質的な変化なし", fmt.UNCLEAR: "判定保留(反復回数不足)"}
CHARTS = {"cycle_times": "所要日数の分布", "cycle_band": "所要日数の 95% 帯",
          "funnel": "ファネル", "funnel_ci": "ファネルの 95% 区間", "outcomes": "結果",
          "cash": "月ごとの入金", "cash_ci": "月ごとの入金の 95% 区間",
          "partial_months": "一部だけの月", "waiting": "待ち時間",
          "waiting_ci": "待ち時間の 95% 区間", "utilisation": "稼働率",
          "utilisation_ci": "稼働率の 95% 区間", "over_time": "週ごと",
          "over_time_history": "週ごと（実績）"}
WEEKLY = {"wip": "進行中の案件数", "queue": "{pool} の待ち案件数",
          "utilisation": "{pool} の稼働率"}
BOUNDS = {"_low": "（下限）", "_high": "（上限）"}
ABOUT = {"comparison": "比較", "created": "作成日時", "model": "モデル",
         "model fingerprint": "モデルの指紋", "scenarios": "シナリオ", "seed": "乱数シード",
         "replications": "反復回数", "run length": "実行期間"}
RUN = {"cases": "新規案件数", "days": "日数", "warmup_days": "ウォームアップ日数",
       "start": "開始日", "horizon_days": "期間（日）"}
YES_NO = {True: "はい", False: "いいえ"}
UNMEASURED = "計測できません"


def kpi_label(kpi: str, label: str) -> str:
    """A KPI's name in Japanese, with its activity, resource or stage (the label as it is
    for a KPI the catalogue does not know)."""
    name = kpi_definitions.name(kpi, japanese=True)
    if name is None:
        return label
    tail = " (P90)" if kpi.endswith(catalogue.TAIL) else ""
    item = catalogue.ref(kpi).item
    return f"{name}{tail}" if item is None else f"{name}: {item}{tail}"


def member(name: str) -> str:
    """The baseline and the library's scenarios by their Japanese names."""
    return BASELINE_JA if name == BASELINE else SCENARIOS_JA.get(name, name)


def chart(name: str) -> str:
    if name.startswith("over_time"):
        return _weekly_chart(name)
    for bound, said in BOUNDS.items():
        if name.endswith(bound) and name.removesuffix(bound) in CHARTS:
            return CHARTS[name.removesuffix(bound)] + said
    return CHARTS.get(name, name)


def _weekly_chart(name: str) -> str:
    """'over_time:queue:Sales_ci_low' -> '時系列: Sales の待ち案件数の 95% 区間（下限）'."""
    tail = ""
    for bound, said in BOUNDS.items():
        if name.endswith(bound):
            name, tail = name.removesuffix(bound), said
    if name.endswith("_ci"):
        name, tail = name.removesuffix("_ci"), "の 95% 区間" + tail
    section, _, key = name.partition(":")
    measure, _, pool = key.partition(":")
    series = WEEKLY.get(measure, measure).format(pool=pool)
    return f"{CHARTS.get(section, section)}: {series}{tail}"


def _kpi_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of rows of KPIs with their names, scenarios and units in Japanese."""
    said = frame.copy()
    said["label"] = [kpi_label(str(k), str(n)) for k, n in zip(said["kpi"], said["label"],
                                                               strict=True)]
    said["scenario"] = said["scenario"].map(lambda s: member(str(s)))
    said["unit"] = said["unit"].map(lambda u: UNITS.get(str(u), u))
    return said


def differences(frame: pd.DataFrame) -> pd.DataFrame:
    """The KPI table (``report.differences_frame``) in Japanese."""
    said = _kpi_rows(frame)
    said["effect"] = said["effect"].map(lambda e: EFFECTS.get(str(e), e))
    said["note"] = said["note"].map(  # the reason is in English: said as the report says it
        lambda n: UNMEASURED if str(n).startswith("not available") else n)
    for column in ("significant", "material", "headline"):
        said[column] = said[column].map(lambda v: YES_NO.get(v, "") if pd.notna(v) else "")
    return said.rename(columns=COLUMNS)


def segments(frame: pd.DataFrame) -> pd.DataFrame:
    """The KPIs by segment in Japanese (segments are the data's own values)."""
    return _kpi_rows(frame).rename(columns=COLUMNS)


def scenarios(frame: pd.DataFrame) -> pd.DataFrame:
    said = frame.copy()
    said["name"] = said["name"].map(lambda s: member(str(s)))
    return said.rename(columns=COLUMNS)


def charts(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart data: members, charts, and the KPIs and funnel stages they show."""
    said = frame.copy()
    said["item"] = [_item(str(c), str(i)) for c, i in zip(said["chart"], said["item"],
                                                         strict=True)]
    said["member"] = said["member"].map(lambda s: member(str(s)))
    said["chart"] = said["chart"].map(lambda c: chart(str(c)))
    return said.rename(columns=COLUMNS | {"value": "値"})


def _item(chart_name: str, item: str) -> str:
    """A cycle-time curve's KPI, or a funnel stage's role, by its Japanese name (activities,
    pools and months are the data's own)."""
    if chart_name.startswith(("cycle_times", "cycle_band")):
        return kpi_label(item, item)
    if chart_name.startswith("funnel") and item in DEFAULT_NAMES:
        return next((n for n in DEFAULT_NAMES[item] if not n.isascii()), item)
    return item


def about(frame: pd.DataFrame) -> pd.DataFrame:
    """The About sheet: what each fact is, and the model and scenarios, in Japanese (the run
    length comes in Japanese from ``export.about_frame``)."""
    items, values = [], []
    for item, value in zip(frame["item"].astype(str), frame["value"], strict=True):
        if item.startswith("run: "):
            key = item.removeprefix("run: ")
            items.append(f"実行: {RUN.get(key, key)}")
        else:
            items.append(ABOUT.get(item, item))
        if item == "model":
            values.append(model_name(str(value)))
        elif item == "scenarios":
            values.append(", ".join(member(name) for name in str(value).split(", ")))
        else:
            values.append(value)
    return pd.DataFrame({"項目": items, "値": values})

