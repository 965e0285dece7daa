"""The costs as a table: the currency, an hour of each pool, an occurrence of each activity.

A process owner should not have to write YAML to price a comparison. Every pool and activity
of the model gets a box; what is typed there is written into the costs text below it (the
costs file of the command line), which stays the one source the Compare page's business
case and the Targets page's prices are read from. The text keeps what the table does not
show (people's own rates, the changes' fixed costs, the levers' prices); typing in the text
redraws the table from it.
"""

from __future__ import annotations

import streamlit as st

from scenarios.comparison import costs_yaml
from scenarios.costs_file import parse_costs_text
from sim.costs import Costs
from sim.errors import PlannerError
from sim.model import ProcessModel
from ui.app import state
from ui.app.i18n import t

TEXT_KEY = "cmp.costs"  # the costs text (``business_case_view``'s box)
PREFIX = "cmp.cost."
CURRENCY = f"{PREFIX}currency"


def _key(kind: str, name: str) -> str:
    return f"{PREFIX}{kind}.{name}"


def _text() -> str:
    return str(st.session_state.get(TEXT_KEY, state.kept_value(TEXT_KEY, "")) or "")


def _current() -> Costs | None:
    """The costs the text says (none: empty costs; None: the text cannot be read)."""
    try:
        return parse_costs_text(_text(), t("bc.costs_file"))
    except PlannerError:
        return None


def _names(model: ProcessModel, costs: Costs) -> tuple[list[str], list[str]]:
    """The pools and activities to price: the model's, and any the costs name besides (a
    scenario's manual fix)."""
    pools = sorted(set(model.pools) | set(costs.pools))
    activities = sorted(set(model.activities) | set(costs.activities))
    return pools, activities


def _seed(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def table(model: ProcessModel) -> None:
    """The currency and a price box per pool and activity, seeded from the costs text."""
    costs = _current()
    if costs is None:
        st.caption(t("bc.table_unreadable"))
        return
    pools, activities = _names(model, costs)
    _seed(CURRENCY, costs.currency or "")
    st.text_input(t("app.currency"), key=CURRENCY, on_change=apply, args=(pools, activities),
                  max_chars=12)
    for kind, names, prices, label, step in (
            ("pool", pools, costs.pools, "bc.table_pools", 5.0),
            ("activity", activities, costs.activities, "bc.table_activities", 1.0)):
        st.markdown(f"**{t(label)}**")
        cells = st.columns(3)
        for number, name in enumerate(names):
            key = _key(kind, name)
            _seed(key, prices.get(name))
            with cells[number % 3]:
                st.number_input(name, key=key, value=None, min_value=0.0, step=step,
                                format="%.2f", on_change=apply, args=(pools, activities))


def _prices(kind: str, names: list[str]) -> dict[str, float]:
    found = {name: st.session_state.get(_key(kind, name)) for name in names}
    return {name: float(value) for name, value in found.items() if value is not None}


def apply(pools: list[str], activities: list[str]) -> None:
    """Write the table into the costs text (a callback: before the page is drawn again)."""
    costs = _current() or Costs()
    currency = str(st.session_state.get(CURRENCY) or "").strip() or None
    changed = costs.model_copy(update={"currency": currency,
                                       "pools": _prices("pool", pools),
                                       "activities": _prices("activity", activities)})
    write(costs_yaml(changed) if changed != Costs() else "")


def write(text: str) -> None:
    """Set the costs text (and its copy that outlives a page switch)."""
    st.session_state[TEXT_KEY] = st.session_state[f"_kept.{TEXT_KEY}"] = text


def forget() -> None:
    """The text was changed by hand or replaced: the table reads it again."""
    for key in [str(k) for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]

