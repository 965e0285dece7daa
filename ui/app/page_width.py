"""The page's side margins: 48 px instead of Streamlit's 80 px on either side.

At 1,400 px with the sidebar open, Streamlit's wide layout leaves 940 px between its
margins, and the KPI table with every KPI shown needs about 970: its columns of numbers
cannot give up a pixel without cutting a number, so the longest names (a wait before an
activity with a long name) were cut off. 32 px less on either side gives the table the
room (``table_widths`` sizes the columns to it).
"""

from __future__ import annotations

import streamlit as st

PADDING_PX = 48
MAIN = '[data-testid="stMainBlockContainer"]'


def style() -> None:
    """Narrower side margins for the page's main block."""
    st.html(f"<style>{MAIN} {{ padding-left: {PADDING_PX}px; "
            f"padding-right: {PADDING_PX}px; }}</style>")
