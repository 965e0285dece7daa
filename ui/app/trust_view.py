"""The trust summary on the page: one verdict per test, said the same way wherever it
appears, the worst finding first, and a check mark only when nothing was missed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.fidelity_row import FidelityRow
from sim.kpis import catalogue
from ui import report_format as fmt
from ui.app import plot_config, quantity, wording
from ui.app.charts import fidelity_dots
from ui.app.i18n import kpi_name, note_text, t
from ui.app.trust import COMPARE, Holdout, Replay, Trust, error_size

WARNING_ICON, OK_ICON = ":material/warning:", ":material/verified:"
SHOWN_MISSES = 3


def icon(missed: bool) -> str:
    """The icon of a trust verdict: never a check mark on a warning."""
    return WARNING_ICON if missed else OK_ICON


def _miss(row: FidelityRow) -> str:
    return t("trust.miss", kpi=kpi_name(row.kpi, row.label),
             simulated=quantity.value(row.unit, row.simulated),
             real=quantity.value(row.unit, row.real), error=fmt.pct_text(row.error))


def replay_text(replay: Replay) -> str:
    """'Against the history (… replications, seed …): n of m KPIs reproduced. Largest
    errors first: …' — the one wording of the check, on every page."""
    where = t("trust.where_compare") if replay.source == COMPARE else t("trust.where_check")
    text = t("trust.replay", reps=replay.reps, seed=replay.seed, where=where,
             reproduced=replay.reproduced, total=replay.total)
    misses = replay.misses()
    if misses:
        items = t("trust.join").join(_miss(r) for r in misses[:SHOWN_MISSES])
        text = t("trust.worst", verdict=text, items=items)
    return text


def holdout_text(holdout: Holdout) -> str:
    text = t("trust.holdout", reps=holdout.reps, seed=holdout.seed, split=holdout.split,
             reproduced=holdout.reproduced, compared=holdout.compared,
             near=holdout.near_floor, distances=holdout.distances, floor=f"{holdout.floor:g}")
    if holdout.with_past:
        text += " " + t("trust.holdout_past", within=holdout.within_past,
                        distances=holdout.with_past)
    if holdout.worst:
        text += " " + t("trust.holdout_worst", text=holdout.worst)
    return text


def _verdict(text: str, missed: bool) -> None:
    (st.warning if missed else st.success)(text, icon=icon(missed))


def header(trust: Trust) -> None:
    """The Model page's trust line: every test the model has been through, or what to do."""
    if trust.replay is None and trust.holdout is None:
        st.caption(t("trust.none"))
        return
    if trust.replay is not None:
        _verdict(replay_text(trust.replay), bool(trust.replay.misses()))
    if trust.holdout is not None:
        _verdict(holdout_text(trust.holdout),
                 trust.holdout.reproduced < trust.holdout.compared)


def replay(check: Replay) -> None:
    """The check against the history: the verdict, the headline KPIs as a chart, every KPI
    in a table."""
    rows = list(check.rows)
    if not rows:
        st.caption(t("fidelity.none"))
        return
    _verdict(replay_text(check), bool(check.misses()))
    headline = [r for r in rows if catalogue.is_headline(r.kpi)]
    headline.sort(key=lambda r: (catalogue.headline_rank(catalogue.ref(r.kpi).kind),
                                 catalogue.ref(r.kpi).tail))
    figure = fidelity_dots([(r, kpi_name(r.kpi, r.label)) for r in headline],
                           {"axis": t("fidelity.axis")})
    if figure is not None:
        st.caption(t("fidelity.chart_help"))
        st.plotly_chart(figure, config=plot_config.config())
    table = pd.DataFrame([{
        t("compare.col_kpi"): kpi_name(r.kpi, r.label),
        t("fidelity.history"): quantity.value(r.unit, r.real),
        t("fidelity.simulated"): quantity.value(r.unit, r.simulated),
        t("compare.col_interval"): (f"{quantity.value(r.unit, r.ci_low)} – "
                                    f"{quantity.value(r.unit, r.ci_high)}"),
        t("fidelity.error"): fmt.pct_text(r.error),
        t("fidelity.reproduced"): "✓" if r.reproduced else "✗",
    } for r in sorted(rows, key=lambda r: (bool(r.reproduced), -error_size(r)))])
    definitions = quantity.definitions_help((r.kpi, r.label) for r in rows)
    with st.expander(t("fidelity.table")):
        st.caption(t("compare.statistics"))
        st.dataframe(table, hide_index=True, column_config={t("compare.col_kpi"): (
            st.column_config.TextColumn(help=definitions))})


def holdout(found: Holdout) -> None:
    """The holdout verdict, then what the test period did that the model could not know
    (the process or the volume changed after the split; an export of finished cases only),
    so a miss is not read as the model's alone."""
    _verdict(holdout_text(found), found.reproduced < found.compared)
    for key, values in found.context:
        st.info(wording.for_app(note_text(key, values)), icon=":material/info:")
    st.caption(t("trust.noise_floor"))
