"""The practical thresholds a difference must pass to earn a verdict, as the user sets them.

The defaults are ``sim.materiality``'s. Changing one re-judges the rows already computed
(nothing is simulated again), on the Compare and Saved pages alike, and a comparison saved
from the Compare page keeps the verdicts the user saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from sim.compare import Difference
from sim.materiality import DEFAULT, Rule, Thresholds, judge
from ui.app import state
from ui.app.i18n import t

DAYS, DAYS_PCT, POINTS, AMOUNTS_PCT = "thr.days", "thr.days_pct", "thr.points", "thr.amounts_pct"
DEFAULTS: dict[str, float] = {
    DAYS: DEFAULT.durations.absolute or 0.0,
    DAYS_PCT: 100 * (DEFAULT.durations.relative or 0.0),
    POINTS: DEFAULT.rates.absolute or 0.0,
    AMOUNTS_PCT: 100 * (DEFAULT.amounts.relative or 0.0),
}


def _thresholds(values: Mapping[str, float]) -> Thresholds:
    if all(values[key] == default for key, default in DEFAULTS.items()):
        return DEFAULT
    return Thresholds(durations=Rule(values[DAYS], values[DAYS_PCT] / 100),
                      rates=Rule(values[POINTS]),
                      amounts=Rule(relative=values[AMOUNTS_PCT] / 100))


def current() -> Thresholds:
    """The thresholds as last set (the defaults until the user changes one)."""
    return _thresholds({key: float(state.kept_value(key, default))
                        for key, default in DEFAULTS.items()})


def control() -> Thresholds:
    """The four thresholds as number inputs in a folded box; returns what they say."""
    steps = {DAYS: 0.25, DAYS_PCT: 0.5, POINTS: 0.5, AMOUNTS_PCT: 0.5}
    values: dict[str, float] = {}
    with st.expander(t("thr.title"), icon=":material/tune:"):
        st.caption(t("thr.help"))
        for cell, key in zip(st.columns(len(DEFAULTS)), DEFAULTS, strict=True):
            with cell:
                values[key] = float(state.kept(st.number_input, t(key), key=key,
                                               default=DEFAULTS[key], min_value=0.0,
                                               step=steps[key], format="%.2f"))
    return _thresholds(values)


def applied(rows: Iterable[Difference], thresholds: Thresholds) -> list[Difference]:
    """The rows as computed, or judged again when the user changed the thresholds (rows
    judged with a command line's ``--threshold`` keep those until then)."""
    if thresholds == DEFAULT:
        return list(rows)
    return [judge(row, thresholds) for row in rows]
