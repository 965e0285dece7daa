"""The backtest as one self-contained HTML page (every KPI, not only those that moved), in
English or Japanese."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from ui.html_page import phrase, render, sentence
from ui.report_format import WORDS, decimals, number, unit_suffix

COLUMNS = ("before", "after (real)", "predicted without", "predicted with", "real shift",
           "predicted shift", "explained")
COLUMN_LABELS = ("bt.col_before", "bt.col_after", "bt.col_without", "bt.col_with",
                 "bt.col_real_shift", "bt.col_predicted_shift", "bt.col_explained")  # in ja


def html_report(result: Backtest, language: str = "en") -> str:
    """The page; in Japanese (``language`` "ja") its words, KPI names and units, with the
    compared window worded from the backtest's facts where it kept them (the template
    ``ui/templates/backtest.html``, which escapes every value)."""
    ja = language == "ja"
    rows = [{"missed": row.missed, "name": _name(row, ja), "cells": cells(row, language)}
            for row in sorted(result.rows, key=lambda r: not r.material)]
    if ja:
        from ui.app.i18n import LABELS  # only a Japanese page needs the app's words

        def words(key: str) -> str:
            return LABELS[key][1]

        how = words("bt.how_given" if result.chosen_by == "given" else "bt.how_detected")
        scenario = words("bt.derived") if result.derived else result.scenario
        title = sentence("「{scenario}」のバックテスト（{log}）", scenario=scenario,
                         log=result.log)
        about = phrase(words)("bt.about", date=result.change_date, how=how,
                              scenario=scenario, reps=result.reps, seed=result.seed)
        columns = tuple(words(key) for key in COLUMN_LABELS)
        note = "注記"
    else:
        title = sentence("Backtest of '{scenario}' on {log}", scenario=result.scenario,
                         log=result.log)
        about = sentence(
            "Change on {date} ({how}); {reps} replications, seed {seed}.",
            date=result.change_date, how=result.chosen_by, reps=result.reps, seed=result.seed)
        columns, note = COLUMNS, "note"
    read = Markup(
        "実際の変化量: 変化後の実績値から、変化なしのモデルの予測を引いたもの。説明できた"
        "割合: 予測した変化量を実際の変化量で割ったもの（反復による 95% 区間）。実際の変化"
        "量が実務上のしきい値を超えた KPI について示し、先に並べます。"
        '<span class="miss">赤</span>: 変化後の実績値がシナリオありの予測の外にあります。'
        if ja else
        "Real shift: the real after-value less the unchanged model's prediction. "
        "Explained: the predicted shift over the real one (95% interval across "
        "replications), for the KPIs whose real shift passes its practical threshold "
        '(listed first). <span class="miss">Red</span>: the real after-value lies '
        "outside the prediction with the scenario.")
    if ja:
        from ui.scenario_words import note_ja

        said = [note_ja(n) for n in result.notes]
    else:
        said = result.notes
    return str(render("backtest.html", language="ja" if ja else "en", title=title,
                      about=about, window=window_text(result, ja), columns=columns, rows=rows,
                      read=read, causes=_attributions(result, ja), note=note, notes=said))


def _attributions(result: Backtest, japanese: bool) -> dict[str, object] | None:
    """Where each missed KPI's error comes from: a heading, what it measures, a row per KPI
    (None: no KPI was missed)."""
    from ui.attribution_text import attributed, attribution_text, word

    rows = attributed(result)
    if not rows:
        return None
    return {"title": word("title", japanese), "help": word("help", japanese),
            "rows": [(_name(row, japanese), attribution_text(row, japanese) or "")
                     for row in rows]}


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
