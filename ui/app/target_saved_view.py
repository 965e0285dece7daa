"""A saved target's answer on the Saved page: the goal, the answer with how sure it is and
what it costs, the proposed mix, the levers left out, the business case; its exports."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from sim.saved import SavedComparison
from ui import export
from ui import report_format as fmt
from ui.app import business_case_view, named
from ui.app.i18n import language, t
from ui.target_text import KeptTarget, cost_text

MIME = {"csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html"}


def head(saved: SavedComparison) -> DeltaGenerator:
    """What was asked, and the answer's exports; the row of actions."""
    st.caption(t("saved.about_target", created=named.when(saved.created),
                 model=named.model(saved.model_name), reps=saved.replications,
                 seed=saved.seed, run=fmt.run_text(dict(saved.run), language())))
    actions = st.container(horizontal=True)
    lang = language()
    for kind in ("csv", "xlsx", "html"):
        actions.download_button(
            t(f"saved.export_{kind}"),
            data=partial(export.comparison_bytes, saved, kind, lang),
            file_name=f"{export.slugify(saved.name)}.{kind}", mime=MIME[kind],
            icon=":material/download:", key=f"saved.export.{kind}")
    return actions


def show(saved: SavedComparison) -> None:
    """The answer as it was given."""
    kept = KeptTarget.of(saved.target)
    st.markdown(f"**{t('saved.target_goal')}** {kept.goal_text()}")
    unit, lang = kept.unit, language()
    st.dataframe(pd.DataFrame([{
        t("saved.target_answer"): a.title, t("targets.step"): a.setting,
        t("saved.target_value"): fmt.value_text(unit, a.value, lang=lang),
        t("compare.col_interval"): (f"{fmt.value_text(unit, a.ci_low, lang=lang)} – "
                                    f"{fmt.value_text(unit, a.ci_high, lang=lang)}"),
        t("saved.target_sure"): fmt.pct_text(a.confidence).lstrip("+"),
        t("saved.target_cost"): cost_text(a.cost, a.cost_unit)}
        for a in kept.answers]), hide_index=True)
    if kept.mix:
        st.markdown(f"**{t('targets.mix')}**")
        st.dataframe(pd.DataFrame([{
            t("targets.lever"): x.label, t("targets.step"): x.setting,
            t("saved.target_cost"): cost_text(x.cost, kept.cost_unit)}
            for x in kept.mix]), hide_index=True)
    if kept.left_out:
        st.caption(t("saved.target_left_out", levers=", ".join(kept.left_out)))
    for _, case in kept.cases():
        business_case_view.show(case)

