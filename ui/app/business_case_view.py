"""The Compare page's business case: the costs the user gives, and what each scenario costs
and earns against the baseline.

Costs are written as the costs file of the command line (``l2c compare --costs``) in a box
that starts empty or from the sample's costs; the comparison prices its replications with
them (``sim.business_case``). The table's words are ``ui.business_case_text``'s, so the page
reads as the terminal and the HTML report do.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from scenarios import LIBRARY
from scenarios.costs_file import parse_costs_text
from sim.business_case import BusinessCase
from sim.costs import Costs
from sim.errors import PlannerError
from sim.model import ProcessModel
from ui import business_case_text as words
from ui.app import costs_editor, named, quantity, state, wording
from ui.app.i18n import language, t

SAMPLE_COSTS = LIBRARY / "costs" / "sample_costs.yaml"
TEXT_KEY = costs_editor.TEXT_KEY


def _use_sample() -> None:
    costs_editor.write(SAMPLE_COSTS.read_text(encoding="utf-8"))
    costs_editor.forget()


def costs_input(model: ProcessModel | None = None) -> tuple[str, Costs | None, bool]:
    """The costs box: a table of prices for ``model`` over the costs text, the text, the
    costs it says (None when empty) and whether it can be used (a broken file is named with
    its key path and stops the run)."""
    with st.expander(t("bc.costs"), icon=":material/payments:"):
        st.caption(t("bc.costs_help"))
        if model is not None:
            costs_editor.table(model)
        text = state.kept(st.text_area, t("bc.costs_file"), key=TEXT_KEY, default="",
                          height=220, on_change=costs_editor.forget)
        st.button(t("bc.use_sample"), on_click=_use_sample, key="cmp.costs_sample")
        if not str(text).strip():
            return "", None, True
        try:
            return str(text), parse_costs_text(str(text), t("bc.costs_file")), True
        except PlannerError as error:
            st.error(wording.for_app(str(error)), icon=":material/error:")
            return str(text), None, False


def show(case: BusinessCase | None) -> None:
    """Each scenario's business case as a table with its explanation."""
    if case is None:
        return
    japanese = language() == "ja"
    shown = replace(case, currency=case.currency or quantity.currency())
    st.subheader(t("bc.title"))
    heads = words.headers(japanese)
    for scenario in words.scenarios_of(shown):
        st.markdown(f"#### {named.scenario(scenario)}")
        rows = words.case_rows(shown, scenario, japanese)
        table = pd.DataFrame([{heads[k]: row[k] for k in heads} | {t("bc.note"): row["note"]}
                              for row in rows])
        st.dataframe(table, hide_index=True, use_container_width=True)
        st.caption(words.explanation(shown, scenario, japanese))
