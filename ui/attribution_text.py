"""Where a missed KPI's error comes from, worded as every backtest report says it (the
command line, the HTML page, the benchmark tables and the app), in English or Japanese.

One sentence per KPI: the error of the statistic split (the mean case duration, an
activity's occurrences per case, or the KPI's own figure), then each cause's total, the
largest first, with the step that weighs most in it.
"""

from __future__ import annotations

from calibration.evaluate.attribution import FREQUENCY, START_STEP, Attribution, Part
from calibration.evaluate.backtest import Backtest, BacktestRow
from ui.report_format import decimals, number, unit_suffix

MAX_CAUSES = 4  # causes named in a sentence; the others are summed as "other causes"

# key -> (English, Japanese)
WORDS: dict[str, tuple[str, str]] = {
    "before": ("model error before the change", "変化前からのモデルの誤差"),
    "own_step": ("its own step", "自身のステップ"),
    "routing": ("routing knock-on (how often other steps are reached)",
                "経路の波及（ほかのステップに至る頻度）"),
    "queue": ("queue knock-on (waits at other steps)", "待ちの波及（ほかのステップでの待ち）"),
    "work": ("work at other steps", "ほかのステップの作業時間"),
    "missing_step": ("a step the model does not have", "モデルにないステップ"),
    "rest": ("the change and its knock-ons, not split by step",
             "変化とその波及（ステップ別に分けられない分）"),
    "others": ("other causes", "その他"),
    "mean": ("error of the mean {error}", "平均の誤差 {error}"),
    "middle": ("error about the median {error}", "中央値付近の誤差 {error}"),
    "value": ("error {error}", "誤差 {error}"),
    "title": ("Where the error comes from", "誤差の出どころ"),
    "help": ("For each KPI the scenario misses: the prediction with the scenario less the "
             "real after-value, split into what it is measured on. The model error before "
             "the change is the unchanged model's error over as long a period before it, "
             "on the steps it has; the rest is split step by step for durations (the mean "
             "of the central tenth of the cases, 100 at least, which moves with the "
             "median) and an activity's occurrences per case (how often each step is "
             "reached, its wait and work). A step the model does not have carries its whole "
             "share. "
             "Its own step: the steps the scenario changes, or for a KPI of one activity "
             "that activity.",
             "シナリオが外した KPI ごとに、シナリオありの予測から変化後の実績値を引いた誤差を、"
             "測った内訳に分けます。変化前からのモデルの誤差は、変化前の同じ長さの期間を変化"
             "なしのモデルで再現したときの、モデルにあるステップでの誤差です。残りは、期間の"
             "KPI（中央値とともに動く、中央の 1 割（少なくとも 100 件）の案件の平均）と"
             "活動の案件あたり回数についてステップごとに（各ステップに至る頻度、待ちと作業）"
             "分けます。モデルに"
             "ないステップは、その分をすべて負います。自身のステップ: シナリオが変える"
             "ステップ（一つの活動の KPI ではその活動）。"),
}


def word(key: str, japanese: bool = False) -> str:
    return WORDS[key][1 if japanese else 0]


def attribution_text(row: BacktestRow, japanese: bool = False) -> str | None:
    """'error of the mean −2.0 d: a step the model does not have −1.9 d ('Legal check'
    −1.9 d); …' for a row with an attribution, else None."""
    found = row.attribution
    if found is None:
        return None
    totals = sorted(found.by_cause().items(), key=lambda kv: -abs(kv[1]))
    digits = decimals(row.unit, found.error, *(v for _, v in totals[:1]))

    def amount(value: float) -> str:
        return (number(row.unit, value, signed=True, digits=digits)
                + unit_suffix(row.unit, difference=True, compact=True,
                              lang="ja" if japanese else "en"))

    said = []
    for cause, total in totals[:MAX_CAUSES]:
        step = _heaviest(found, cause)
        detail = ""
        if step is not None and not row.kpi.endswith(f":{step.activity}"):  # not its own
            detail = _detail(row.kpi, str(step.activity), amount(step.value), japanese)
        said.append(f"{word(cause, japanese)} {amount(total)}{detail}")
    rest = sum(total for _, total in totals[MAX_CAUSES:])
    if len(totals) > MAX_CAUSES:
        said.append(f"{word('others', japanese)} {amount(rest)}")
    head = word(found.statistic, japanese).format(error=amount(found.error))
    return f"{head}{'：' if japanese else ': '}{'、'.join(said) if japanese else '; '.join(said)}"


def _detail(kpi: str, step: str, amount: str, japanese: bool) -> str:
    """The step a cause weighs most on: for an activity's occurrences, the step before it
    (how often it is reached, or the chance it leads on)."""
    if not kpi.startswith(FREQUENCY):
        return f"（「{step}」{amount}）" if japanese else f" ('{step}' {amount})"
    if step == START_STEP:
        return f"（案件の開始 {amount}）" if japanese else f" (at the start {amount})"
    return f"（「{step}」の後 {amount}）" if japanese else f" (after '{step}' {amount})"


def _heaviest(found: Attribution, cause: str) -> Part | None:
    """The step that weighs most in a cause (None for a cause measured on the KPI as a
    whole)."""
    steps = [p for p in found.parts if p.cause == cause and p.activity is not None]
    return max(steps, key=lambda p: abs(p.value)) if steps else None


def attributed(result: Backtest) -> list[BacktestRow]:
    """The rows with an attribution, in the report's order."""
    return [row for row in result.rows if row.attribution is not None]
