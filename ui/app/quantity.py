"""Numbers as the page shows them: each with its unit ("cases", the currency), in the chosen
language, and each KPI with its definition a hover away.

The currency is the data's when it has one currency column with one value; otherwise the
user's setting in the sidebar, whose default is shown there.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from sim.kpi_roles import name_key
from sim.kpis import catalogue
from ui import kpi_definitions
from ui import report_format as fmt
from ui.app import state
from ui.app.i18n import kpi_name, language, t

CURRENCY = "currency"
CURRENCY_FROM = "_currency.from"  # the data currency the setting was last seeded with
DEFAULT_CURRENCY = "USD"
CURRENCY_COLUMNS = frozenset({"currency", "currencycode", "transactioncurrency", "通貨"})
MONEY = ("money_per_month",)


def data_currency() -> str | None:
    """The one currency the loaded data names in a currency column, if it does."""
    loaded = state.data()
    log = loaded.result.log if loaded is not None else None
    if log is None:
        return None
    for column in log.cases.columns:
        if name_key(column) in CURRENCY_COLUMNS:
            values = log.cases[column].dropna().astype(str).str.strip().unique()
            if len(values) == 1 and values[0]:
                return str(values[0])
    return None


def field() -> str:
    """The setting's widget key, one per language: a widget whose label changes is a new
    widget, and would come up empty."""
    return f"currency.field.{language()}"


def currency_control() -> None:
    """The sidebar setting: seeded with the data's currency (else the default), changeable."""
    found = data_currency()
    if st.session_state.get(CURRENCY_FROM, "") != (found or "") or CURRENCY not in st.session_state:
        st.session_state[CURRENCY] = found or DEFAULT_CURRENCY
        st.session_state[CURRENCY_FROM] = found or ""
    key = field()
    st.session_state[key] = st.session_state[CURRENCY]  # what the user typed is already there
    help_text = (t("app.currency_from_data", currency=found) if found
                 else t("app.currency_default", currency=DEFAULT_CURRENCY))
    st.text_input(t("app.currency"), key=key, max_chars=12, help=help_text, on_change=_typed,
                  args=(key,))


def _typed(key: str) -> None:
    st.session_state[CURRENCY] = str(st.session_state[key]).strip() or DEFAULT_CURRENCY


def currency() -> str:
    return str(st.session_state.get(CURRENCY) or DEFAULT_CURRENCY).strip() or DEFAULT_CURRENCY


def _with_unit(unit: str, text: str, compact: bool = False) -> str:
    """Add what ``report_format`` leaves out: "cases" and the currency ("USD / month", or
    "USD/mo" where ``compact``)."""
    if text == fmt.MISSING:
        return text
    if unit == "cases":
        return t("unit.cases_value", n=text)
    if unit in MONEY:  # in a narrow cell '/mo' in English; Japanese is short already
        month = fmt.unit_suffix(unit, lang=language())
        short = fmt.unit_suffix(unit, compact=compact and language() != "ja",
                                lang=language())
        return text.replace(month, f" {currency()}{short}")
    return text


def value(unit: str, number: object, compact: bool = False) -> str:
    return _with_unit(unit, fmt.value_text(unit, number, lang=language()), compact)


def diff(unit: str, number: object, compact: bool = False) -> str:
    return _with_unit(unit, fmt.diff_text(unit, number, lang=language()), compact)


def interval(unit: str, low: object, high: object, compact: bool = False) -> str:
    return _with_unit(unit, fmt.ci_text(unit, low, high, lang=language()), compact)


def definition(kpi: str) -> str:
    return kpi_definitions.definition(kpi, language() == "ja")


def definitions_help(kpis: Iterable[tuple[str, str]]) -> str:
    """Markdown for a column's tooltip: each KPI (id, label) shown, with its definition; KPIs
    of one family (waiting before each activity) once."""
    lines: dict[str, str] = {}
    for kpi, label in kpis:
        found = catalogue.ref(kpi)
        family = found.kind
        if family in lines:
            continue
        name = kpi_name(kpi, label) if found.item is None else t(f"section.{family}")
        lines[family] = f"- **{name}**: {definition(kpi)}"
    return "\n".join([t("compare.definitions"), *lines.values()])
