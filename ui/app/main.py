"""The process owner's workbench: ``streamlit run ui/app/main.py`` (or ``l2c ui``).

The entry script is the frame around every page: page setup, the language switch, what is
loaded (data, model), and the navigation between the six pages. Each page is one function
in ``ui.app.views``; everything they compute comes from ``calibration``, ``sim`` and
``scenarios``.
"""

from __future__ import annotations

import os

import streamlit as st

from ui.app import memory, nav, page_width, quantity, state, toolbar_words
from ui.app.i18n import LANGUAGES, t
from ui.app.launch import SAMPLE_ENV
from ui.app.safety import guarded
from ui.app.views import data

PRELOADED = "sample_preloaded"
LANGUAGE_CHOICE = "lang.choice"  # the sidebar radio; state.LANG is the language in use


def _chosen() -> None:
    st.session_state[state.LANG] = st.session_state[LANGUAGE_CHOICE]
    state.redraw_kept()


def _language() -> None:
    """The switch keeps the language in a key of its own: a page switch that drops the
    widget's state (it does in a switch_page run) cannot drop the language."""
    if LANGUAGE_CHOICE not in st.session_state:
        st.session_state[LANGUAGE_CHOICE] = st.session_state[state.LANG]
    with st.sidebar:
        st.radio(t("app.language"), list(LANGUAGES), key=LANGUAGE_CHOICE, horizontal=True,
                 format_func=LANGUAGES.get, on_change=_chosen)


def _status() -> None:
    """What is loaded and the currency it is in, drawn after the page so an upload on this
    run shows at once."""
    with st.sidebar:
        st.divider()
        st.markdown(f"**{t('app.status')}**")
        loaded = state.data()
        if loaded is None:
            st.caption(t("app.no_data"))
        elif loaded.summary.get("events"):
            st.caption(t("app.data_status", name=loaded.name,
                         cases=f"{loaded.summary['cases']:,}",
                         events=f"{loaded.summary['events']:,}"))
        else:
            st.caption(t("app.data_unusable", name=loaded.name))
        st.caption(t("app.model_ready") if state.model() is not None else t("app.no_model"))
        quantity.currency_control()  # after the page: an upload on this run seeds it


def main() -> None:
    st.set_page_config(page_title="l2c — lead-to-cash planner", page_icon=":material/route:",
                       layout="wide")
    state.init()
    memory.keep_releasing()
    if os.environ.get(SAMPLE_ENV) and not st.session_state.get(PRELOADED):
        st.session_state[PRELOADED] = True  # once per session: the user may load other data
        if state.data() is None:
            with guarded("sample"):
                data.load_sample()
    start = st.session_state.get(state.START_PAGE, "data")
    current = st.navigation([nav.page(name, default=name == start) for name in nav.NAMES])
    goto = st.session_state.pop(state.GOTO, None)
    if goto in nav.NAMES:
        st.switch_page(nav.page(goto))
    _language()
    toolbar_words.style()
    page_width.style()
    message = state.take_flash()
    if message is not None:
        kind, text = message
        (st.success if kind == "success" else st.info)(text)
    with guarded("page"):
        current.run()
    _status()


main()
