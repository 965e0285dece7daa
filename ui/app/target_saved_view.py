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
from ui import target_text as words
from ui.app import business_case_view, named
from ui.app.i18n import language, t

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
    target = saved.target
    st.markdown(f"**{t('saved.target_goal')}** {words.goal_text(target)}")
    unit, lang = str(words.question(target).get("unit") or "days"), language()
    answers = words.answer_frame(target)
    st.dataframe(pd.DataFrame([{
        t("saved.target_answer"): row["answer"], t("targets.step"): row["setting"],
        t("saved.target_value"): fmt.value_text(unit, row["value"], lang=lang),
        t("compare.col_interval"): (f"{fmt.value_text(unit, row['ci_low'], lang=lang)} – "
                                    f"{fmt.value_text(unit, row['ci_high'], lang=lang)}"),
        t("saved.target_sure"): fmt.pct_text(row["confidence"]).lstrip("+"),
        t("saved.target_cost"): words.cost_text(row["cost"], row["cost_unit"])}
        for row in answers.to_dict("records")]), hide_index=True)
    mix = words.mix_frame(target)
    if not mix.empty:
        st.markdown(f"**{t('targets.mix')}**")
        unit_of = str(target.get("cost_unit") or "")
        st.dataframe(pd.DataFrame([{
            t("targets.lever"): row["lever"], t("targets.step"): row["setting"],
            t("saved.target_cost"): words.cost_text(row["cost"], unit_of)}
            for row in mix.to_dict("records")]), hide_index=True)
    left = words.left_out(target)
    if left:
        st.caption(t("saved.target_left_out", levers=", ".join(left)))
    for _, case in words.cases(target):
        business_case_view.show(case)

