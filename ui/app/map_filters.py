"""The Data page's process map of a part of the log, by frequency or by performance.

Which part: the cases of one value of a case attribute (a lead source, a region), of one
variant (the same activities in the same order), begun within a period; each filter is off
until chosen. The performance view is the map of ``ui.process_map_dot`` for one log: each
activity with its median work and each step with its median wait, the longest the reddest.
The page only reads the widgets; the cases are chosen by ``sim.process_map.select_cases``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from sim.eventlog import CASE_ID, START, EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis.observed import observe
from sim.process_map import process_map, select_cases, summarise, variants
from ui.app.i18n import language, t
from ui.process_map_dot import process_map_dot

MAX_VALUES = 30  # an attribute with more distinct values is an id, not a segment
TOP_VARIANTS = 10
FREQUENCY, PERFORMANCE = "frequency", "performance"
HISTORY = "History"


@dataclass(frozen=True)
class MapChoice:
    attribute: str | None = None
    value: str | None = None
    variant: str | None = None
    began: tuple[pd.Timestamp, pd.Timestamp] | None = None
    view: str = FREQUENCY

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.attribute, self.variant, self.began))

    @property
    def key(self) -> str:
        """What decides the map, for its cache."""
        return repr((self.attribute, self.value, self.variant, self.began))


def controls(log: EventLog) -> MapChoice:
    """The view and the filters, read from their widgets."""
    views = {t(f"data.map_{v}"): v for v in (FREQUENCY, PERFORMANCE)}
    shown = st.radio(t("data.map_view"), list(views), key="data.map_view", horizontal=True)
    with st.expander(t("data.map_filter"), icon=":material/filter_alt:"):
        cells = st.columns(2)
        columns = [c for c in log.cases.columns
                   if 2 <= log.cases[c].nunique(dropna=True) <= MAX_VALUES]
        none = t("data.map_all")
        with cells[0]:
            attribute = st.selectbox(t("data.map_attribute"), [none, *columns],
                                     key="data.map_attribute")
        value = None
        if attribute != none:
            values = sorted(log.cases[attribute].dropna().astype(str).unique())
            with cells[1]:
                value = st.selectbox(t("data.map_value"), values, key="data.map_value")
        counts = variants(log).value_counts()
        top = {f"{n / counts.sum():.0%} · {v}": v for v, n in counts.head(TOP_VARIANTS).items()}
        variant = st.selectbox(t("data.map_variant"), [none, *top], key="data.map_variant")
        first = log.events.groupby(CASE_ID)[START].min()
        low, high = first.min().date(), first.max().date()
        began = (st.slider(t("data.map_period"), min_value=low, max_value=high,
                           value=(low, high), key="data.map_period")
                 if high > low else (low, high))
    period = None
    if tuple(began) != (low, high):
        period = _period(began, first)
    return MapChoice(None if attribute == none else str(attribute),
                     None if value is None else str(value),
                     None if variant == none else top.get(str(variant)), period,
                     views.get(str(shown), FREQUENCY))


def _period(began: tuple[dt.date, dt.date], first: pd.Series) -> tuple[pd.Timestamp,
                                                                      pd.Timestamp]:
    """The chosen days as timestamps in the log's zone, the last day whole."""
    start, end = pd.Timestamp(began[0]), pd.Timestamp(began[1]) + pd.Timedelta(days=1)
    zone = first.dt.tz
    if zone is not None:
        start, end = start.tz_localize(zone), end.tz_localize(zone)
    return start, end - pd.Timedelta(microseconds=1)


def part(log: EventLog, choice: MapChoice) -> EventLog:
    return select_cases(log, choice.attribute, choice.value, choice.variant, choice.began)


def performance(log: EventLog, share: float) -> None:
    """The performance map of ``log``: median work and waits, the longest the reddest."""
    obs = observe(log.events, log.cases, log.roles or ActivityRoles.default())
    rows = summarise([process_map(obs)])
    dot = process_map_dot({HISTORY: {"process_map": rows}}, HISTORY, HISTORY, PERFORMANCE,
                          share, {"start": t("data.map_start"), "end": t("data.map_end")},
                          language())
    st.caption(t("data.map_performance_caption"))
    if dot is not None:
        st.graphviz_chart(dot)
