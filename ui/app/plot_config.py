"""The Plotly config of every chart in the app: no Plotly logo, and Plotly's own words
(toolbar tooltips, month names on date axes) in the page's language."""

from __future__ import annotations

from ui.app.i18n import language
from ui.report_ja import plotly_config


def config() -> dict[str, object]:
    return plotly_config({"displaylogo": False}, language())
