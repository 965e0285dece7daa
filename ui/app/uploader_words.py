"""The file uploader's own words in Japanese.

Streamlit's browser code writes the uploader's button ("Upload") and its limits ("200MB per
file • CSV, ...") in English whatever the page's language; in Japanese a style sheet hides
those words and shows the Japanese ones in their place.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.app.i18n import language, t

ZONE = '[data-testid="stFileUploaderDropzone"]'
BUTTON = f'{ZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
LIMITS = f'{ZONE} [data-testid="stFileUploaderDropzoneInstructions"] span'


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def style(types: Sequence[str], scope: str = "") -> None:
    """Replace the uploader's English words on a Japanese page (nothing in English); with
    ``scope`` (a CSS selector of the uploader's container), only that uploader's."""
    if language() != "ja":
        return
    limits = t("data.upload_limits", mb=st.get_option("server.maxUploadSize"),
               types=", ".join(kind.upper() for kind in types))
    button, words = (f"{scope} {BUTTON}", f"{scope} {LIMITS}") if scope else (BUTTON, LIMITS)
    st.html(f"<style>{button}, {words} {{ font-size: 0; }}"
            f"{button}::after {{ content: {_css_text(t('data.upload_button'))}; "
            "font-size: 0.875rem; }"
            f"{words}::after {{ content: {_css_text(limits)}; font-size: 0.875rem; }}"
            "</style>")
