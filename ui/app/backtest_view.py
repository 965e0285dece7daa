"""A backtest on the page: what really happened after a change against what the planner
predicted, KPI by KPI, the same on the Model page and on the Saved page.

The table says, per KPI, the real value before and after the change, the after-period as
the model predicts it without the change and with the scenario (mean and 95% interval
across replications), the share of the real shift the scenario explains, and whether the
real after-value lies within the prediction. The KPIs whose real shift the scenario misses
are named above it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from sim.kpis import catalogue
from ui.app import named, quantity, wording
from ui.app.i18n import counted, language, t
from ui.app.shared import row_name
from ui.attribution_text import attributed, attribution_text, word
from ui.render_backtest import window_sentence

GIVEN = "given"  # Backtest.chosen_by of a date the user gave


def about(result: Backtest) -> str:
    """'Change on 2024-12-31 (the date picked); scenario …; 5 replications, seed 1.'"""
    how = t("bt.how_given") if result.chosen_by == GIVEN else t("bt.how_detected")
    scenario = t("bt.derived") if result.derived else named.scenario(result.scenario)
    return t("bt.about", date=result.change_date, how=how, scenario=scenario,
             reps=result.reps, seed=result.seed)


def window(result: Backtest) -> str | None:
    """Which cases are compared and how long the simulation warms up, in the page's
    language (None for a backtest saved before the facts were kept)."""
    facts = result.window_facts
    return window_sentence(facts, t) if facts else None


def verdict(result: Backtest) -> tuple[str, str]:
    """The headline: the lead-to-cash KPIs the scenario misses by name and those per
    activity, pool or person by count, or that it misses none ("warning" or "success"), or
    that nothing moved ("info")."""
    moved = [row for row in result.rows if row.material]
    if not moved:
        return "info", t("bt.nothing_moved")
    missed = [row for row in moved if row.missed]
    if not missed:
        return "success", t("bt.all_caught")
    by_name = [row_name(r.kpi, r.label) for r in missed if catalogue.is_headline(r.kpi)]
    detail = len(missed) - len(by_name)  # per activity, pool or person: counted, not listed
    if not by_name:
        return "warning", counted("bt.missed_detail_only", detail)
    text = t("bt.missed", kpis=", ".join(by_name))
    return "warning", text + (" " + counted("bt.missed_detail", detail) if detail else "")


def _spread(unit: str, interval: Interval) -> str:
    return (f"{quantity.value(unit, interval.mean)} "
            f"({quantity.interval(unit, interval.low, interval.high)})")


def _explained(row: BacktestRow) -> str:
    found = row.explained
    if found is None or found.mean is None:
        return "—"
    return f"{found.mean:.0%} ({found.low:.0%} – {found.high:.0%})"


def _verdict(row: BacktestRow) -> str:
    if not row.material:
        return t("bt.verdict_still")
    return t("bt.verdict_missed") if row.missed else t("bt.verdict_caught")


def frame(result: Backtest, everything: bool = False) -> pd.DataFrame:
    """The table as the page shows it (and its CSV download writes it): the KPIs that
    really moved, or every KPI; those that moved first."""
    rows = sorted((r for r in result.rows if everything or r.material),
                  key=lambda r: not r.material)
    return pd.DataFrame([{
        t("compare.col_kpi"): row_name(row.kpi, row.label),
        t("bt.col_before"): quantity.value(row.unit, row.before),
        t("bt.col_after"): quantity.value(row.unit, row.after),
        t("bt.col_without"): _spread(row.unit, row.without),
        t("bt.col_with"): _spread(row.unit, row.with_scenario),
        t("bt.col_explained"): _explained(row),
        t("bt.col_verdict"): _verdict(row),
    } for row in rows], columns=[t("compare.col_kpi"), t("bt.col_before"), t("bt.col_after"),
                                 t("bt.col_without"), t("bt.col_with"), t("bt.col_explained"),
                                 t("bt.col_verdict")])


def csv_bytes(result: Backtest) -> bytes:
    """Every KPI's row as the page words it, for a spreadsheet (UTF-8 with a byte-order
    mark, so Excel reads Japanese)."""
    return frame(result, everything=True).to_csv(index=False).encode("utf-8-sig")


def show(result: Backtest, key: str) -> None:
    """The headline, the table (with a switch to every KPI) and the derived scenario."""
    kind, text = verdict(result)
    {"info": st.info, "warning": st.warning, "success": st.success}[kind](
        text, icon=":material/warning:" if kind == "warning" else None)
    everything = st.toggle(t("bt.every"), key=f"{key}.every")
    table = frame(result, everything)
    st.caption(t("bt.rows_help"))
    compared = window(result)
    if compared is not None:
        st.caption(compared)
    definitions = quantity.definitions_help((r.kpi, r.label) for r in result.rows)
    st.dataframe(table, hide_index=True, key=f"{key}.table", column_config={
        t("compare.col_kpi"): st.column_config.TextColumn(help=definitions)})
    _error_sources(result)
    for note in result.notes:
        st.info(wording.for_app(named.note(note)), icon=":material/info:")
    if result.derived:
        with st.expander(t("bt.derived_yaml")):
            st.code(named.scenario_yaml(result.scenario_text)[0], language="yaml")


def error_sources(result: Backtest) -> list[str]:
    """Per KPI the scenario misses, where its error comes from, as the page says it (the
    KPI's name in bold; names from the data escaped so they print as written)."""
    japanese = language() == "ja"
    return [f"**{_plain(row_name(row.kpi, row.label))}**: "
            f"{_plain(attribution_text(row, japanese) or '')}" for row in attributed(result)]


def _error_sources(result: Backtest) -> None:
    lines = error_sources(result)
    if lines:
        japanese = language() == "ja"
        with st.expander(word("title", japanese), expanded=True):
            st.caption(word("help", japanese))
            st.markdown("\n".join(f"- {line}" for line in lines))


def _plain(text: str) -> str:
    """Text that Markdown shows as written."""
    return "".join(f"\\{c}" if c in MARKDOWN else c for c in text)


MARKDOWN = set("\\`*_{}[]<>()#+-.!|$~")
