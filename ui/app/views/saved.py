"""Saved: the saved comparisons (and backtests and target answers), opened, renamed,
deleted and exported (CSV, Excel, HTML)."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from calibration.evaluate.backtest import Backtest
from sim.errors import PlannerError
from sim.saved import SavedComparison, SavedStore
from ui import export, export_backtest
from ui import report_format as fmt
from ui.app import (
    backtest_view,
    business_case_view,
    named,
    nav,
    segments_view,
    shared,
    state,
    target_saved_view,
)
from ui.app.i18n import language, t
from ui.app.safety import guarded

OPEN = "saved.open"
PENDING = "saved.pending_open"  # what to open after a rename (the selectbox is drawn)
MIME = {"csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html"}


def render() -> None:
    st.title(t("saved.title"))
    try:
        store = SavedStore(state.saved_db_path())
        summaries = store.list()
    except PlannerError as error:
        st.error(str(error))
        return
    if not summaries:
        st.info(t("saved.none"))
        nav.link("compare")
        return
    table = pd.DataFrame([{t("saved.name"): s.name, t("saved.created"): named.when(s.created),
                           t("saved.kind"): t("saved.kind_target" if s.is_target
                                              else "saved.kind_backtest" if s.is_backtest
                                              else "saved.kind_comparison"),
                           t("saved.scenarios"): ", ".join(map(named.scenario, s.scenarios)),
                           t("run.replications"): s.replications, t("run.seed"): s.seed}
                          for s in summaries])
    st.dataframe(table, hide_index=True)
    names = [s.name for s in summaries]
    pending = st.session_state.pop(PENDING, None)
    if pending in names:
        st.session_state[OPEN] = pending
    if st.session_state.get(OPEN) not in names:
        st.session_state[OPEN] = names[0]
    name = st.selectbox(t("saved.open"), names, key=OPEN)
    with guarded("open saved"):
        _show(store, store.load(name))


def _show(store: SavedStore, saved: SavedComparison) -> None:
    st.subheader(saved.name)
    result = Backtest.from_dict(saved.backtest) if saved.is_backtest else None
    actions = (_backtest_head(saved, result) if result is not None
               else target_saved_view.head(saved) if saved.is_target
               else _comparison_head(saved))
    with actions.popover(t("saved.rename"), icon=":material/edit:"):
        new = st.text_input(t("saved.new_name"), value=saved.name, key="saved.new_name")
        if st.button(t("saved.rename_button"), key="saved.rename"):
            with guarded("rename"):
                store.rename(saved.name, new)
                st.session_state[PENDING] = new.strip()
                state.flash("success", t("saved.renamed", old=saved.name, new=new.strip()))
                st.rerun()
    with actions.popover(t("saved.delete"), icon=":material/delete:"):
        st.caption(t("saved.delete_warning", name=saved.name))
        sure = st.checkbox(t("saved.sure"), key="saved.sure")
        if st.button(t("saved.delete_button"), type="primary", disabled=not sure,
                     key="saved.delete"):
            with guarded("delete"):
                store.delete(saved.name)
                state.flash("success", t("saved.deleted", name=saved.name))
                st.rerun()
    if result is not None:
        backtest_view.show(result, key=f"saved.bt.{saved.name}")
        return
    if saved.is_target:
        target_saved_view.show(saved)
        return
    with st.expander(t("saved.scenario_files")):
        for scenario in saved.scenarios:
            st.markdown(f"**{named.scenario(scenario.name)}**")
            text, own = named.scenario_yaml(scenario.resolved or scenario.text,
                                            scenario.source)
            if not own:
                st.caption(t("saved.file_as_written"))
            st.code(text, language="yaml")
    shared.comparison_results(saved.results, saved.charts, key=f"saved.{saved.name}")
    business_case_view.show(saved.business_case)
    segments_view.show_saved(saved.segments, key=f"saved.{saved.name}.seg")


def _comparison_head(saved: SavedComparison) -> DeltaGenerator:
    """What the comparison was, and its exports; the row of actions."""
    st.caption(t("saved.about", created=named.when(saved.created),
                 model=named.model(saved.model_name),
                 reps=saved.replications, seed=saved.seed,
                 run=fmt.run_text(dict(saved.run), language())))
    actions = st.container(horizontal=True)
    lang = language()  # the report speaks the page's language
    for kind in ("csv", "xlsx", "html"):
        actions.download_button(
            t(f"saved.export_{kind}"),
            data=partial(export.comparison_bytes, saved, kind, lang),
            file_name=f"{export.slugify(saved.name)}.{kind}", mime=MIME[kind],
            icon=":material/download:", key=f"saved.export.{kind}")
    return actions


def _backtest_head(saved: SavedComparison, result: Backtest) -> DeltaGenerator:
    """What the backtest was, and its exports in the page's language (the CSV of the table
    as the page words it; the workbook and the report as ``l2c saved export`` writes
    them); the row of actions."""
    st.caption(t("saved.about_backtest", created=named.when(saved.created),
                 about=backtest_view.about(result)))
    actions = st.container(horizontal=True)
    actions.download_button(t("bt.export_csv"), backtest_view.csv_bytes(result),
                            file_name=f"{export.slugify(saved.name)}.csv", mime=MIME["csv"],
                            icon=":material/download:", key="saved.export.csv")
    lang = language()
    for kind in ("xlsx", "html"):
        actions.download_button(
            t(f"saved.export_{kind}"),
            data=partial(export_backtest.backtest_bytes, saved, kind, lang),
            file_name=f"{export.slugify(saved.name)}.{kind}", mime=MIME[kind],
            icon=":material/download:", key=f"saved.export.{kind}")
    return actions
