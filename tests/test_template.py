"""The data template: every canonical column, explained, with examples that read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from calibration.schema import ROLE_BY_NAME
from calibration.template import COLUMNS_SHEET, example_rows, write_template
from calibration.writers import SHEET_NAME
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CANONICAL_COLUMNS, CASE_ATTRIBUTES, CASE_ID, END, START

DOMAIN_ACTIVITIES = {
    "Lead Created", "Lead Qualified", "Opportunity Created", "First Customer Contact",
    "Solution Proposed", "Quote Created", "Quote Approved", "Quote Accepted", "Contract Signed",
    "Sales Order Created", "Order Fulfilled", "Service Delivered", "Invoice Generated",
    "Invoice Sent", "Payment Received", "Opportunity Won", "Opportunity Lost",
}


def read_examples(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig", parse_dates=[START, END])
    return pd.read_excel(path, sheet_name=SHEET_NAME)


@pytest.fixture(params=[".csv", ".xlsx"])
def template(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write_template(tmp_path / f"template{request.param}")


def test_template_has_every_canonical_column_in_order(template: Path) -> None:
    assert list(read_examples(template).columns) == list(CANONICAL_COLUMNS)


def test_examples_are_one_won_and_one_lost_deal(template: Path) -> None:
    table = read_examples(template)
    assert 5 <= len(table) <= 10
    outcomes = table.groupby(CASE_ID)["outcome"].agg(set)
    assert sorted(outcomes.map(lambda s: s.pop())) == ["Lost", "Won"]
    assert set(table[ACTIVITY]) <= DOMAIN_ACTIVITIES


def test_examples_form_a_valid_log(template: Path) -> None:
    table = read_examples(template)
    required = [c for c in CANONICAL_COLUMNS if ROLE_BY_NAME[c].required]
    assert table[required].notna().all().all()
    assert (table[END] >= table[START]).all()
    assert table.groupby(CASE_ID)[START].is_monotonic_increasing.all()
    assert (table.groupby(CASE_ID)[list(CASE_ATTRIBUTES)].nunique(dropna=False) == 1).all().all()
    lost = table[table["outcome"] == "Lost"]
    assert lost["lost_reason"].notna().all()
    assert table.loc[table["outcome"] == "Won", "lost_reason"].isna().all()


def test_files_match_the_example_rows(template: Path) -> None:
    expected = example_rows()
    table = read_examples(template)
    assert table[CASE_ID].tolist() == expected[CASE_ID].tolist()
    assert table[ACTIVITY].tolist() == expected[ACTIVITY].tolist()
    assert table[START].tolist() == expected[START].tolist()
    assert table["account"].tolist() == expected["account"].tolist()  # Japanese survives


def test_csv_has_a_bom_for_excel(tmp_path: Path) -> None:
    data = write_template(tmp_path / "template.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b"case_id,activity,start_time")
    assert "山田商事株式会社".encode() in data


def test_xlsx_columns_sheet_explains_every_column(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == [SHEET_NAME, COLUMNS_SHEET]
    guide = pd.read_excel(path, sheet_name=COLUMNS_SHEET, dtype=str)
    assert guide["column"].tolist() == list(CANONICAL_COLUMNS)
    for row in guide.itertuples(index=False):
        role = ROLE_BY_NAME[row.column]
        assert row.meaning == role.meaning
        assert row.required == ("yes" if role.required else "no")
        assert row.example == role.example
    recognised = dict(zip(guide["column"], guide["also recognised"], strict=True))
    assert "opportunity id" in recognised[CASE_ID]
    assert "担当者" in recognised["resource"]


def test_xlsx_event_sheet_is_formatted(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_template(tmp_path / "template.xlsx"))
    for name in (SHEET_NAME, COLUMNS_SHEET):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold for c in sheet[1])
    sheet = book[SHEET_NAME]
    assert sheet.column_dimensions["B"].width >= len("Opportunity Created")
    assert sheet.cell(row=2, column=3).is_date


def test_unsupported_template_suffix(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match=r"'\.xes'.*\.xlsx or \.csv"):
        write_template(tmp_path / "template.xes")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_planner_reads_the_template(tmp_path: Path, suffix: str) -> None:
    from calibration.read import read_log

    result = read_log(write_template(tmp_path / f"template{suffix}"))
    log = result.require_log()
    assert log.n_cases == 2
    assert log.n_events == len(example_rows())
    assert set(log.cases["outcome"]) == {"Won", "Lost"}
