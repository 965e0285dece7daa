"""Saved: the saved comparisons, opened, renamed, deleted and exported (CSV, Excel, HTML)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.errors import PlannerError
from sim.saved import SavedComparison, SavedStore
from ui import export
from ui import report_format as fmt
from ui.app import named, nav, shared, state
from ui.app.i18n import language, t, units
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
    st.caption(t("saved.where", path=str(store.path)))
    if not summaries:
        st.info(t("saved.none"))
        nav.link("compare")
        return
    table = pd.DataFrame([{t("saved.name"): s.name, t("saved.created"): named.when(s.created),
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
    st.caption(t("saved.about", created=named.when(saved.created),
                 model=named.model(saved.model_name),
                 reps=saved.replications, seed=saved.seed,
                 run=units(fmt.run_text(dict(saved.run)))))
    actions = st.container(horizontal=True)
    lang = language()  # the report speaks the page's language
    for kind in ("csv", "xlsx", "html"):
        actions.download_button(
            t(f"saved.export_{kind}"),
            data=lambda kind=kind: export.comparison_bytes(saved, kind, lang),
            file_name=f"{export.slugify(saved.name)}.{kind}", mime=MIME[kind],
            icon=":material/download:", key=f"saved.export.{kind}")
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
    with st.expander(t("saved.scenario_files")):
        for scenario in saved.scenarios:
            st.markdown(f"**{named.scenario(str(scenario.get('name', '')))}**")
            st.code(str(scenario.get("resolved") or scenario.get("text") or ""),
                    language="yaml")
    shared.comparison_results(saved.results, saved.charts, key=f"saved.{saved.name}")
