"""The scenario map of a part of the cases, on the Compare and Saved pages.

As on the Data page, the map can show the cases of one value of a case attribute, of one
variant or begun in one month; a study measured each such part of every run
(``sim.process_map.summarise_parts``), so a filter picks a part and draws its map, the
scenario's against the baseline's part, with the changes its runs show.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from sim.chart_data import MemberCharts
from sim.process_map import ATTRIBUTE, MONTH, VARIANT
from ui.app.i18n import t

Part = tuple[str, str, str]  # ``sim.process_map.PART``: filter, attribute (or ""), value
SHOWN = ("all", ATTRIBUTE, VARIANT, MONTH)


def _parts(charts: Mapping[str, MemberCharts], baseline: str) -> dict[Part, float]:
    """Every part some member has, with the baseline's cases a run (0 where it has none)."""
    found: dict[Part, float] = {}
    for member, data in charts.items():
        for part in data.get("process_map_parts", []):
            cases = part.cases if member == baseline else 0.0
            found[part.part] = max(found.get(part.part, 0.0), cases)
    return found


def choose_part(charts: Mapping[str, MemberCharts], baseline: str, key: str) -> Part | None:
    """The part of the cases the map shows, from its widgets (None: every case)."""
    parts = _parts(charts, baseline)
    if not parts:
        return None
    with st.expander(t("data.map_filter"), icon=":material/filter_alt:"):
        words = {t(f"chart.map_by_{s}"): s for s in SHOWN
                 if s == "all" or any(p[0] == s for p in parts)}
        cells = st.columns(2)
        with cells[0]:
            shown = words.get(str(st.selectbox(t("chart.map_cases"), list(words),
                                               key=f"{key}.map_by")), "all")
        if shown == "all":
            return None
        with cells[1]:
            if shown == ATTRIBUTE:
                attribute = st.selectbox(t("data.map_attribute"),
                                         sorted({p[1] for p in parts if p[0] == ATTRIBUTE}),
                                         key=f"{key}.map_attribute")
                values = sorted(p[2] for p in parts if p[:2] == (ATTRIBUTE, attribute))
                value = st.selectbox(t("data.map_value"), values,
                                     key=f"{key}.map_value.{attribute}")
                return ATTRIBUTE, str(attribute), str(value)
            if shown == VARIANT:
                ranked = sorted((p for p in parts if p[0] == VARIANT),
                                key=lambda p: (-parts[p], p[2]))
                labels = {t("chart.map_variant_label", cases=f"{parts[p]:.0f}",
                            path=p[2]): p[2] for p in ranked}
                picked = st.selectbox(t("data.map_variant"), list(labels),
                                      key=f"{key}.map_variant")
                return VARIANT, "", labels[str(picked)]
            months = sorted(p[2] for p in parts if p[0] == MONTH)
            month = st.selectbox(t("chart.map_month"), months, key=f"{key}.map_month")
            return MONTH, "", str(month)


def part_charts(charts: Mapping[str, MemberCharts], part: Part
                ) -> tuple[dict[str, MemberCharts], dict[str, tuple[float, int]]]:
    """Each member's map of ``part`` as the map reads a whole map (``process_map`` and
    ``process_map_diff``), and its cases a run and runs; members without it are left out."""
    found: dict[str, MemberCharts] = {}
    sizes: dict[str, tuple[float, int]] = {}
    for member, data in charts.items():
        for row in data.get("process_map_parts", []):
            if row.part == part:
                found[member] = {"process_map": row.map, "process_map_diff": row.diff or []}
                sizes[member] = (row.cases, row.runs)
    return found, sizes
