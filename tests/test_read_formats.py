"""Every supported format, encoding and header style reads into the same canonical log."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from calibration.read import read_log
from tests.conftest import GOOD_CSV

JAPANESE = """商談ID,アクティビティ,開始時刻,終了時刻,担当者,結果,金額
A-1,リード作成,2024/01/09 09:00,2024/01/09 09:00,田中,受注,"￥1,200,000"
A-1,見積作成,2024/01/10 10:00,2024/01/10 11:30,田中,受注,"￥1,200,000"
A-1,入金確認,2024/02/20 15:00,2024/02/20 15:00,顧客,受注,"￥1,200,000"
A-2,リード作成,2024/01/11 09:00,2024/01/11 09:00,佐藤,失注,"￥300,000"
A-2,失注,2024/01/15 17:00,2024/01/15 17:00,佐藤,失注,"￥300,000"
"""

D365 = """Opportunity ID,Activity,Start Time,End Time,Owner,Status,Est. Revenue,Lead Source,Sales Stage,Discount %
OPP-1,Quote Created,2024-05-02 09:00:00,2024-05-02 10:00:00,Ann,Won,12000,Web,Propose,10
OPP-1,Quote Approved,2024-05-03 09:00:00,2024-05-03 09:30:00,Approver 1,Won,12000,Web,Propose,10
"""
ORACLE = """OptyNumber,ActivityName,ActivityStartDate,ActivityEndDate,OwnerResourcePartyName,StatusCode,Revenue,LeadSourceCode,SalesStage,DiscountPercentage
OPP-1,Quote Created,05/02/2024 09:00:00,05/02/2024 10:00:00,Ann,WON,12000,Web,Propose,10
OPP-1,Quote Approved,05/03/2024 09:00:00,05/13/2024 09:30:00,Approver 1,WON,12000,Web,Propose,10
"""


def test_cp932_csv_with_japanese_headers_and_names(write_file):
    result = read_log(write_file("jp.csv", JAPANESE, encoding="cp932"))
    log = result.require_log()
    assert result.encoding == "cp932"
    assert set(log.events["activity"]) == {"リード作成", "見積作成", "入金確認", "失注"}
    assert log.cases.loc["A-1", "outcome"] == "Won"
    assert log.cases.loc["A-2", "outcome"] == "Lost"
    assert log.cases.loc["A-1", "amount"] == 1_200_000
    assert result.mapping["resource"] == "担当者"


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8-sig", "utf-8-sig"),
                                                    ("utf-8", "utf-8")])
def test_utf8_with_and_without_bom(write_file, encoding: str, expected: str):
    result = read_log(write_file("jp.csv", JAPANESE, encoding=encoding))
    assert result.encoding == expected
    assert result.mapping["case_id"] == "商談ID"
    assert result.require_log().n_cases == 2


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed(write_file, delimiter: str):
    text = GOOD_CSV.replace(",", delimiter)
    result = read_log(write_file("log.csv", text))
    assert result.delimiter == delimiter
    assert result.require_log().n_events == 8


@pytest.mark.parametrize(("text", "roles"), [
    (D365, {"case_id": "Opportunity ID", "outcome": "Status", "amount": "Est. Revenue",
            "discount": "Discount %", "stage": "Sales Stage"}),
    (ORACLE, {"case_id": "OptyNumber", "activity": "ActivityName",
              "start_time": "ActivityStartDate", "resource": "OwnerResourcePartyName",
              "lead_source": "LeadSourceCode", "discount": "DiscountPercentage"}),
])
def test_crm_exports_are_recognised(write_file, text: str, roles: dict[str, str]):
    result = read_log(write_file("export.csv", text))
    log = result.require_log()
    for role, column in roles.items():
        assert result.mapping[role] == column
    assert log.cases.loc["OPP-1", "outcome"] == "Won"
    assert log.cases.loc["OPP-1", "discount"] == pytest.approx(0.10)
    assert log.events["start_time"].iloc[1] == pd.Timestamp("2024-05-03 09:00")


def test_map_override_wins(write_file):
    text = "Deal,Step,When,Who\n1,A,2024-01-01 10:00,Ann\n1,B,2024-01-02 10:00,Bob\n"
    result = read_log(write_file("log.csv", text),
                      mapping={"case_id": "Deal", "activity": "Step", "timestamp": "When",
                               "resource": "Who"})
    log = result.require_log()
    assert list(log.events["resource"]) == ["Ann", "Bob"]


def test_single_timestamp_log_is_first_class(write_file):
    text = "case_id,activity,timestamp\n1,A,2024-01-01 10:00\n1,B,2024-01-02 10:00\n"
    log = read_log(write_file("log.csv", text)).require_log()
    assert (log.events["start_time"] == log.events["end_time"]).all()


def test_excel_dates_and_serial_numbers(tmp_path: Path):
    frame = pd.DataFrame({"case_id": ["1", "1", "2"], "activity": ["A", "B", "A"],
                          "start_time": [pd.Timestamp("2024-01-01 09:00"),
                                         pd.Timestamp("2024-01-02 10:00"),
                                         pd.Timestamp("2024-01-03 11:00")],
                          "end_time": [45292.5, 45293.5, 45294.5]})
    path = tmp_path / "log.xlsx"
    frame.to_excel(path, index=False)
    log = read_log(path).require_log()
    assert log.events["start_time"].tolist()[0] == pd.Timestamp("2024-01-01 09:00")
    assert log.events["end_time"].tolist()[0] == pd.Timestamp("2024-01-01 12:00")


def test_parquet_keeps_types(tmp_path: Path):
    frame = pd.read_csv(pd.io.common.StringIO(GOOD_CSV), parse_dates=["start_time", "end_time"])
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    log = read_log(path).require_log()
    assert log.n_events == 8
    assert log.cases.loc["C1", "amount"] == 1000


def test_xes_keys_and_case_attributes(tmp_path: Path):
    path = tmp_path / "log.xes"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
 <trace><string key="concept:name" value="c1"/><string key="region" value="EMEA"/>
  <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/>
   <string key="org:resource" value="Ann"/><date key="time:timestamp" value="2024-01-01T09:00:00"/></event>
  <event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="complete"/>
   <string key="org:resource" value="Ann"/><date key="time:timestamp" value="2024-01-01T10:00:00"/></event>
  <event><string key="concept:name" value="B"/><string key="lifecycle:transition" value="schedule"/>
   <date key="time:timestamp" value="2024-01-01T10:00:00"/></event>
  <event><string key="concept:name" value="B"/><string key="lifecycle:transition" value="complete"/>
   <date key="time:timestamp" value="2024-01-01T11:00:00"/></event>
 </trace>
</log>""", encoding="utf-8")
    result = read_log(path)
    log = result.require_log()
    assert result.mapping["case_id"] == "case:concept:name"
    events = log.events.set_index("activity")
    assert events.loc["A", "start_time"] == pd.Timestamp("2024-01-01 09:00")
    assert events.loc["A", "end_time"] == pd.Timestamp("2024-01-01 10:00")
    assert events.loc["B", "start_time"] == events.loc["B", "end_time"]
    assert log.cases.loc["c1", "region"] == "EMEA"
    assert "lifecycle_set_aside" in result.report.codes()
