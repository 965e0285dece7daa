"""Bad input gives a message that names the problem, never a traceback."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from calibration.read import read_log
from tests.conftest import GOOD_CSV

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<log><trace><string key="concept:name" value="&lol3;"/></trace></log>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<log><trace><string key="concept:name" value="&xxe;"/></trace></log>
"""

ERROR_CASES = [
    # (file name, content, fragments the error message must contain)
    ("empty.csv", "", ["empty"]),
    ("header_only.csv", "case_id,activity,start_time\n", ["no rows"]),
    ("no_case.csv", "Deal,activity,start_time\n1,A,2024-01-01\n",
     ["case id", "'Deal'", "--map case_id=Deal"]),
    ("no_activity.csv", "case_id,Stepp,start_time\n1,A,2024-01-01\n",
     ["activity", "Columns found", "'Stepp'"]),
    ("no_time.csv", "case_id,activity,owner\n1,A,Ann\n", ["timestamp", "Columns found"]),
    ("bad_dates.csv",
     "case_id,activity,start_time\n1,A,2024-01-01 10:00\n1,B,soon\n2,A,2024-02-30 10:00\n",
     ["could not be read as dates", "rows 3, 4", "'soon'", "--date-format"]),
    ("laughs.xes", BILLION_LAUGHS, ["DTD", "refused"]),
    ("xxe.xes", EXTERNAL_ENTITY, ["DTD", "refused"]),
    ("broken.xes", "<log><trace>", ["not well-formed"]),
    ("fake.xlsx", "this is not a workbook", ["Excel"]),
]


@pytest.mark.parametrize(("name", "content", "fragments"), ERROR_CASES,
                         ids=[c[0] for c in ERROR_CASES])
def test_bad_file_is_explained(write_file, name: str, content: str, fragments: list[str]):
    result = read_log(write_file(name, content))
    assert result.log is None
    message = " ".join(result.report.errors)
    for fragment in fragments:
        assert fragment in message


def test_missing_file_is_explained(tmp_path: Path):
    result = read_log(tmp_path / "nowhere.csv")
    assert result.log is None
    assert "no such file" in result.report.errors[0]


def test_oversized_file_is_refused_before_reading(write_file):
    path = write_file("big.csv", GOOD_CSV * 200)
    result = read_log(path, max_size_mb=0.01)
    assert result.log is None
    assert "over the 0 MB limit" in result.report.errors[0] or "limit" in result.report.errors[0]
    assert result.rows == 0  # refused before any row was read


def test_gzip_bomb_is_refused(tmp_path: Path):
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(b"case_id,activity,start_time\n")
        stream.write(b"0" * (3 * 2**20))
    assert path.stat().st_size < 2**20 / 10
    result = read_log(path, max_size_mb=1)
    assert result.log is None
    assert "decompressed" in result.report.errors[0]


def test_size_limit_from_environment(write_file, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("L2C_MAX_FILE_MB", "0.0001")
    result = read_log(write_file("log.csv", GOOD_CSV))
    assert "limit" in result.report.errors[0]


def test_unknown_map_column_suggests_the_closest(write_file):
    result = read_log(write_file("log.csv", GOOD_CSV), mapping={"resource": "resorce"})
    assert "Did you mean 'resource'?" in result.report.errors[0]


def test_missing_excel_sheet_lists_sheets(tmp_path: Path):
    path = tmp_path / "log.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.read_csv(pd.io.common.StringIO(GOOD_CSV)).to_excel(writer, sheet_name="Events",
                                                              index=False)
    result = read_log(path, sheet="Event")
    assert "Did you mean 'Events'?" in result.report.errors[0]
    assert read_log(path, sheet="Events").log is not None


WARNING_CASES = [
    # (rows appended to a good log, finding code, fragments of the message)
    ("C9,Quote Created,2024-01-05 10:00,2024-01-05 09:00,Ann,,1\n"
     "C9,Quote Approved,2024-01-05 11:00,2024-01-05 11:00,Ann,,1\n",
     "end_before_start", ["End before start in 1 event", "row 10"]),
    ("C1,Quote Created,2024-01-02 10:00,2024-01-02 11:00,Ann,Won,1000\n",
     "duplicate_events", ["1 row repeat", "row 10"]),
    ("C8,Lead Created,2024-01-04 09:00,2024-01-04 09:00,System,,1\n",
     "one_event_cases", ["1 case with a single event", "C8"]),
    ("C7,Quote Createdd,2024-01-04 09:00,2024-01-04 09:00,Ann,,1\n"
     "C7,Opportunity Lost,2024-01-05 09:00,2024-01-05 09:00,Ann,Lost,1\n",
     "rare_activity", ["'Quote Createdd'", "Did you mean 'Quote Created'?"]),
    (",Quote Created,2024-01-04 09:00,2024-01-04 09:00,Ann,,1\n",
     "missing_case_id", ["1 row set aside", "no case id", "row 10"]),
]


@pytest.mark.parametrize(("extra", "code", "fragments"), WARNING_CASES,
                         ids=[c[1] for c in WARNING_CASES])
def test_warnings_do_not_stop_the_import(write_file, extra: str, code: str,
                                         fragments: list[str]):
    result = read_log(write_file("log.csv", GOOD_CSV + extra), min_activity_count=2)
    assert result.log is not None
    messages = [f.message for f in result.report.findings if f.code == code]
    assert any(all(fragment in m for fragment in fragments) for m in messages), messages


def test_open_cases_are_reported_not_dropped(write_file):
    result = read_log(write_file("log.csv", GOOD_CSV))
    assert result.log is not None
    assert result.log.n_cases == 3
    message = next(f.message for f in result.report.findings if f.code == "open_cases")
    assert message.startswith("1 cases (33%)") or "1 cases" in message or "1 case" in message
    assert "Opportunity Lost" in message and "Payment Received" in message


def test_mixed_time_zones_are_normalised_and_reported(write_file):
    text = ("case_id,activity,start_time\n"
            "1,A,2024-03-01T09:00:00+09:00\n1,B,2024-03-01T01:00:00Z\n"
            "2,A,2024-03-01T10:00:00+09:00\n2,B,2024-03-01T11:00:00+09:00\n")
    result = read_log(write_file("tz.csv", text))
    log = result.log
    assert log is not None and log.timezone == "UTC+09:00"
    assert "mixed_time_zones" in result.report.codes()
    times = log.events.set_index(["case_id", "activity"])["start_time"]
    assert times[("1", "B")] == pd.Timestamp("2024-03-01 10:00")  # 01:00Z is 10:00 in +09:00
    assert times[("1", "A")] == pd.Timestamp("2024-03-01 09:00")


def test_ambiguous_day_month_order_is_reported(write_file):
    text = "case_id,activity,start_time\n1,A,01/02/2024 09:00\n1,B,03/04/2024 10:00\n"
    result = read_log(write_file("dates.csv", text))
    assert result.log is not None
    message = next(f.message for f in result.report.findings if f.code == "ambiguous_dates")
    assert "month/day/year" in message and "day/month/year" in message
    forced = read_log(write_file("dates2.csv", text), date_format="%d/%m/%Y %H:%M")
    assert forced.log is not None
    assert forced.log.events["start_time"].iloc[0] == pd.Timestamp("2024-02-01 09:00")


def test_every_row_is_accounted_for(write_file):
    extra = ("C1,Quote Created,2024-01-02 10:00,2024-01-02 11:00,Ann,Won,1000\n"
             ",X,2024-01-04 09:00,2024-01-04 09:00,Ann,,1\n"
             "C5,,2024-01-04 09:00,2024-01-04 09:00,Ann,,1\n")
    result = read_log(write_file("log.csv", GOOD_CSV + extra))
    assert result.log is not None
    dropped = sum(len(f.rows) for f in result.report.findings
                  if f.code in {"duplicate_events", "missing_case_id", "missing_activity"})
    assert result.rows == result.log.n_events + dropped
