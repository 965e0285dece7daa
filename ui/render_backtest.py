"""The backtest as one self-contained HTML page (every KPI, not only those that moved), in
English or Japanese."""

from __future__ import annotations

import html
from collections.abc import Callable

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from ui.render_evaluate import STYLE
from ui.report_format import WORDS, decimals, number, unit_suffix

COLUMNS = ("before", "after (real)", "predicted without", "predicted with", "real shift",
           "predicted shift", "explained")
COLUMN_LABELS = ("bt.col_before", "bt.col_after", "bt.col_without", "bt.col_with",
                 "bt.col_real_shift", "bt.col_predicted_shift", "bt.col_explained")  # in ja


def html_report(result: Backtest, language: str = "en") -> str:
    """The page; in Japanese (``language`` "ja") its words, KPI names and units, with the
    compared window worded from the backtest's facts where it kept them."""
    e = html.escape
    ja = language == "ja"
    rows = "".join(_row(row, ja) for row in sorted(result.rows, key=lambda r: not r.material))
    if ja:
        from ui.app.i18n import LABELS  # only a Japanese page needs the app's words

        def words(key: str) -> str:
            return LABELS[key][1]

        how = words("bt.how_given" if result.chosen_by == "given" else "bt.how_detected")
        scenario = e(words("bt.derived") if result.derived else result.scenario)
        title = f"「{scenario}」のバックテスト（{e(result.log)}）"
        about = words("bt.about").format(date=e(result.change_date), how=e(how),
                                         scenario=scenario, reps=result.reps,
                                         seed=result.seed)
        columns = tuple(words(key) for key in COLUMN_LABELS)
        note = "注記"
    else:
        title = f"Backtest of '{e(result.scenario)}' on {e(result.log)}"
        about = (f"Change on {e(result.change_date)} ({e(result.chosen_by)}); {result.reps} "
                 f"replications, seed {result.seed}.")
        columns, note = COLUMNS, "note"
    read = (("実際の変化量: 変化後の実績値から、変化なしのモデルの予測を引いたもの。説明できた"
             "割合: 予測した変化量を実際の変化量で割ったもの（反復による 95% 区間）。実際の変化"
             "量が実務上のしきい値を超えた KPI について示し、先に並べます。"
             '<span class="miss">赤</span>: 変化後の実績値がシナリオありの予測の外にあります。')
            if ja else
            ("Real shift: the real after-value less the unchanged model's prediction. "
             "Explained: the predicted shift over the real one (95% interval across "
             "replications), for the KPIs whose real shift passes its practical threshold "
             '(listed first). <span class="miss">Red</span>: the real after-value lies '
             "outside the prediction with the scenario."))
    if ja:
        from ui.scenario_words import note_ja

        said = [note_ja(n) for n in result.notes]
    else:
        said = result.notes
    notes = "".join(f'<p class="muted">{note}: {e(n)}</p>' for n in said)
    causes = _attributions(result, ja)
    header = "".join(f"<th>{e(column)}</th>" for column in columns)
    return f"""<!DOCTYPE html>
<html lang="{"ja" if ja else "en"}"><head><meta charset="utf-8"><title>{title}</title>
<style>{STYLE}</style></head><body>
<h1>{title}</h1>
<p>{about}</p>
<p class="muted">{e(window_text(result, ja))}</p>
<table><thead><tr><th>KPI</th>{header}</tr></thead><tbody>{rows}</tbody></table>
<p class="muted">{read}</p>{causes}{notes}
</body></html>"""


def _attributions(result: Backtest, japanese: bool) -> str:
    """Where each missed KPI's error comes from: a heading, what it measures, a list."""
    from ui.attribution_text import attributed, attribution_text, word

    rows = attributed(result)
    if not rows:
        return ""
    e = html.escape
    items = "".join(f"<li><b>{e(_name(row, japanese))}</b>: "
                    f"{e(attribution_text(row, japanese) or '')}</li>" for row in rows)
    return (f"<h2>{e(word('title', japanese))}</h2><p class=\"muted\">"
            f"{e(word('help', japanese))}</p><ul>{items}</ul>")


def _name(row: BacktestRow, japanese: bool) -> str:
    if not japanese:
        return row.label
    from ui.export_ja import kpi_label

    return kpi_label(row.kpi, row.label)


def window_text(result: Backtest, japanese: bool = False) -> str:
    """Which cases are compared and how long the simulation warms up: the sentence of
    ``calibration.evaluate.window``, or in Japanese the app's, from the facts kept."""
    if not japanese or not result.window_facts:
        return result.window
    from ui.app.i18n import LABELS

    return window_sentence(result.window_facts, lambda key: LABELS[key][1])


def window_sentence(facts: dict[str, object], words: Callable[[str], str]) -> str:
    """The compared window from its facts, in the words ``words`` looks up by label key."""
    return words("bt.window").format(
        **{k: v for k, v in facts.items() if k not in ("capped", "last_case_start")},
        capped=words("bt.window_capped") if facts.get("capped") else "",
        last=words("bt.window_last") if facts.get("last_case_start") else "")


def cells(row: BacktestRow, lang: str = "en") -> list[str]:
    """One row's values under ``COLUMNS``, with units, as every backtest report writes them
    in ``lang``: with the decimals that show its shifts (so a shift past its threshold never
    reads 0)."""
    digits = decimals(row.unit, row.real_shift, row.predicted_shift.mean)
    to = WORDS[lang]["to"]

    def value(v: float) -> str:
        return number(row.unit, v, digits=digits) + unit_suffix(row.unit, compact=True,
                                                                lang=lang)

    def shift(v: float) -> str:
        return (number(row.unit, v, signed=True, digits=digits)
                + unit_suffix(row.unit, difference=True, compact=True, lang=lang))

    def spread(interval: Interval, text: Callable[[float], str]) -> str:
        return f"{text(interval.mean)} ({text(interval.low)}{to}{text(interval.high)})"

    explained = ("—" if row.explained is None else
                 f"{row.explained.mean:.0%} ({row.explained.low:.0%}{to}"
                 f"{row.explained.high:.0%})")
    return [value(row.before), value(row.after), spread(row.without, value),
            spread(row.with_scenario, value), shift(row.real_shift),
            spread(row.predicted_shift, shift), explained]


def _row(row: BacktestRow, japanese: bool) -> str:
    e = html.escape
    cls = ' class="miss"' if row.missed else ""
    shown = cells(row, "ja" if japanese else "en")
    name = _name(row, japanese)
    return (f"<tr{cls}><th>{e(name)}</th>"
            + "".join(f'<td class="num">{e(c)}</td>' for c in shown) + "</tr>")
