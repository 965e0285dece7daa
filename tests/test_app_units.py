"""Every number with its unit and every KPI with its definition a hover away
(``streamlit.testing``): work in progress in cases, money in the data's currency or the
user's, durations said to be medians, definitions from one catalogue in the tooltips."""

from __future__ import annotations

import gzip
import json

import pandas as pd

from calibration.sample import sample_path
from sim.kpis.catalogue import BY_KIND
from tests.test_app_pages import (
    _run_automated_invoicing,
    isolated,  # noqa: F401 (autouse: each test runs in it)
    ok,
    open_app,
    with_model,
)


def row(table: pd.DataFrame, kpi: str) -> pd.Series:
    return table[table["KPI"] == kpi].iloc[0]


def test_compare_numbers_carry_units_and_kpis_their_definitions() -> None:
    at = _run_automated_invoicing(with_model("compare"))
    table = at.dataframe[0].value
    assert row(table, "Work in progress")["Baseline"].endswith(" cases")
    assert row(table, "Cash collected")["Baseline"].endswith(" USD/mo")  # a narrow cell
    assert at.sidebar.text_input(key="currency.field.en").value == "USD"
    assert "medians" in "\n".join(c.value for c in at.caption)
    columns = json.loads(at.dataframe[0].proto.columns)
    kpi_help = columns["KPI"]["help"]
    assert BY_KIND["sales_cycle"].definition in kpi_help and BY_KIND["wip"].definition in kpi_help
    assert "median" in kpi_help.lower()
    cash = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert "(USD)" in cash["layout"]["yaxis"]["title"]["text"]

    at.sidebar.text_input(key="currency.field.en").set_value("EUR")
    ok(at.run())
    table = at.dataframe[0].value
    assert row(table, "Cash collected")["Baseline"].endswith(" EUR/mo")
    assert row(table, "Cash collected")["Difference"].split(" (")[0].endswith("EUR/mo")
    cash = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert "(EUR)" in cash["layout"]["yaxis"]["title"]["text"]


def test_the_currency_comes_from_the_data_when_it_names_one() -> None:
    text = gzip.decompress(sample_path("d365").read_bytes()).decode("utf-8")
    lines = text.splitlines()
    csv = "\n".join([lines[0] + ",Currency", *(f"{line},JPY" for line in lines[1:])])
    at = open_app()
    at.file_uploader(key="data.upload").upload("deals.csv", csv.encode(), "text/csv")
    ok(at.run())
    assert at.sidebar.text_input(key="currency.field.en").value == "JPY"


def test_targets_kpi_choice_has_the_definitions_a_hover_away() -> None:
    at = with_model("targets")
    assert BY_KIND["sales_cycle"].definition in at.selectbox(key="tg.kpi").help
