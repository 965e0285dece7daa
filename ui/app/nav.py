"""The six pages, in reading order, and links between them.

A page is a function in ``ui.app.views``; ``page(name)`` builds the ``st.Page`` for it
(the same source and URL path every time, which is what ``st.page_link`` and
``st.switch_page`` need to find it).
"""

from __future__ import annotations

import importlib

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui.app.i18n import t

NAMES = ("data", "model", "scenarios", "compare", "targets", "saved")
ICONS = {
    "data": ":material/upload_file:", "model": ":material/account_tree:",
    "scenarios": ":material/tune:", "compare": ":material/compare_arrows:",
    "targets": ":material/flag:", "saved": ":material/bookmarks:",
}


def page(name: str, default: bool = False) -> StreamlitPage:
    module = importlib.import_module(f"ui.app.views.{name}")
    return st.Page(module.render, title=t(f"page.{name}"), icon=ICONS[name], url_path=name,
                   default=default)


def link(name: str, label: str | None = None) -> None:
    """A link to another page, labelled with its title unless told otherwise."""
    st.page_link(page(name), label=label or t(f"page.{name}"), icon=":material/arrow_forward:")
