"""Streamlit's own controls around the app's elements, on a Japanese page.

Streamlit writes the tooltips of its element toolbars (a table's "Search", "Download as
CSV", "Show/hide columns" and "Fullscreen", a chart's "Fullscreen") and its "Running…"
indicator in English whatever the page's language, and has no setting to translate them
(its issue #1353 asks for one). A Japanese page hides them: the tables and charts stay,
the app's own download buttons export what they show, Plotly's toolbar (in Japanese) stays
on every chart, and a long run shows the app's own progress bar. The link a keyboard user
meets first ("Skip to main content") reads in Japanese in its place.
"""

from __future__ import annotations

import streamlit as st

from ui.app.i18n import language, t

ENGLISH_ONLY = '[data-testid="stElementToolbar"], [data-testid="stStatusWidget"]'
SKIP = '[data-testid="stSkipToContent"]'


def style() -> None:
    """Hide Streamlit's English-only controls on a Japanese page and word its skip link in
    Japanese (nothing in English)."""
    if language() == "ja":
        st.html(f"<style>{ENGLISH_ONLY} {{ display: none !important; }}"
                f"{SKIP} {{ font-size: 0; }}"
                f'{SKIP}::after {{ content: "{t("app.skip_to_content")}"; font-size: 1rem; }}'
                "</style>")
