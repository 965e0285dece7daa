"""Writing event logs: every format reads back to the same events, safely and reproducibly."""

from __future__ import annotations

import csv
import gzip
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from calibration.read import read_log
from calibration.writers import SHEET_NAME, SUPPORTED_SUFFIXES, neutralise_formulas, write_log
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.log_meta import LogMeta

TABULAR = (".csv", ".csv.gz", ".xlsx", ".parquet")


def make_log(source_path: str | None = None) -> EventLog:
    """Two deals: one won with a timed activity, one lost with a Japanese rep and activity
    (read from ``source_path`` if given)."""
    events = pd.DataFrame({
        CASE_ID: ["OPP-1", "OPP-1", "OPP-1", "OPP-2", "OPP-2"],
        ACTIVITY: ["Lead Created", "Quote Created", "Quote Approved", "Lead Created", "失注"],
        START: pd.to_datetime(["2025-03-03 09:00:00", "2025-03-04 10:00:00",
                               "2025-03-04 11:30:00", "2025-03-05 08:00:00",
                               "2025-03-09 17:45:30"]),
        END: pd.to_datetime(["2025-03-03 09:00:00", "2025-03-04 11:30:00",
                             "2025-03-06 16:20:05", "2025-03-05 08:00:00",
                             "2025-03-09 17:45:30"]),
        "resource": ["Aiko Tanaka", "Aiko Tanaka", "Kenji Sato", "佐藤 健", None],
        "stage": ["Qualify", "Propose", "Propose", "Qualify", "Close"],
    })
    cases = pd.DataFrame(
        {"outcome": ["Won", "Lost"], "amount": [48000.0, 125000.5],
         "lead_source": ["Web", "Event"], "lost_reason": [None, "Price too high"]},
        index=pd.Index(["OPP-1", "OPP-2"], name=CASE_ID))
    return EventLog(events, cases, name="test log", meta=LogMeta(source_path=source_path))


def event_keys(frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """Case, activity, start and end to the second: what a round trip must keep."""
    start = pd.to_datetime(frame[START]).dt.strftime("%Y-%m-%d %H:%M:%S")
    end = pd.to_datetime(frame[END]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return sorted(zip(frame[CASE_ID].astype(str), frame[ACTIVITY], start, end, strict=True))


def read_table(path: Path) -> pd.DataFrame:
    name = path.name
    if name.endswith((".csv", ".csv.gz")):
        return pd.read_csv(path, parse_dates=[START, END], encoding="utf-8")
    if name.endswith(".xlsx"):
        return pd.read_excel(path, sheet_name=SHEET_NAME)
    return pd.read_parquet(path)


def case_attributes(frame: pd.DataFrame, prefix: str = "") -> dict[str, dict[str, object]]:
    """Case id -> attributes, checking they are constant within each case."""
    columns = [f"{prefix}{c}" for c in ("outcome", "amount", "lead_source", "lost_reason")]
    per_case = frame.groupby(frame[f"{prefix}{CASE_ID}" if prefix else CASE_ID].astype(str))
    assert (per_case[columns].nunique(dropna=False) == 1).all().all()
    first = per_case[columns].first()
    first.columns = [c.removeprefix(prefix) for c in first.columns]
    return {case: {k: (None if pd.isna(v) else v) for k, v in row.items()}
            for case, row in first.to_dict("index").items()}


EXPECTED_CASES = {
    "OPP-1": {"outcome": "Won", "amount": 48000.0, "lead_source": "Web", "lost_reason": None},
    "OPP-2": {"outcome": "Lost", "amount": 125000.5, "lead_source": "Event",
              "lost_reason": "Price too high"},
}


# --- round trips ----------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", TABULAR)
def test_tabular_round_trip_keeps_events_and_case_attributes(tmp_path: Path, suffix: str) -> None:
    log = make_log()
    path = write_log(log, tmp_path / f"out{suffix}")
    back = read_table(path)
    assert list(back.columns[:6]) == [CASE_ID, ACTIVITY, START, END, "resource", "stage"]
    assert event_keys(back) == event_keys(log.events)
    assert case_attributes(back) == EXPECTED_CASES


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_binary_formats_store_real_datetimes(tmp_path: Path, suffix: str) -> None:
    back = read_table(write_log(make_log(), tmp_path / f"out{suffix}"))
    assert pd.api.types.is_datetime64_any_dtype(back[START])
    assert pd.api.types.is_datetime64_any_dtype(back[END])


def test_csv_timestamps_are_written_to_the_second(tmp_path: Path) -> None:
    rows = list(csv.DictReader(write_log(make_log(), tmp_path / "out.csv").open(
        encoding="utf-8", newline="")))
    assert rows[2][START] == "2025-03-04 11:30:00"
    assert rows[2][END] == "2025-03-06 16:20:05"


def test_csv_gz_is_gzip_and_reproducible(tmp_path: Path) -> None:
    first = write_log(make_log(), tmp_path / "a.csv.gz").read_bytes()
    second = write_log(make_log(), tmp_path / "b.csv.gz").read_bytes()
    assert first == second
    assert gzip.decompress(first) == write_log(make_log(), tmp_path / "c.csv").read_bytes()


def read_xes(path: Path) -> pd.DataFrame:
    """pm4py's own reader, with naive timestamps like the log that was written."""
    import pm4py

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pm4py recommends its optional Rust backend
        frame = pm4py.read_xes(str(path), variant="iterparse", show_progress_bar=False)
    frame["time:timestamp"] = frame["time:timestamp"].dt.tz_convert(None)
    return frame


def xes_sequence(frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return list(zip(frame["case:concept:name"], frame["concept:name"],
                    frame["lifecycle:transition"],
                    frame["time:timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S"), strict=True))


def test_xes_has_start_and_complete_per_timed_activity(tmp_path: Path) -> None:
    frame = read_xes(write_log(make_log(), tmp_path / "out.xes"))
    assert xes_sequence(frame) == [
        ("OPP-1", "Lead Created", "complete", "2025-03-03 09:00:00"),
        ("OPP-1", "Quote Created", "start", "2025-03-04 10:00:00"),
        # a completion and a start at the same moment: the completion comes first
        ("OPP-1", "Quote Created", "complete", "2025-03-04 11:30:00"),
        ("OPP-1", "Quote Approved", "start", "2025-03-04 11:30:00"),
        ("OPP-1", "Quote Approved", "complete", "2025-03-06 16:20:05"),
        ("OPP-2", "Lead Created", "complete", "2025-03-05 08:00:00"),
        ("OPP-2", "失注", "complete", "2025-03-09 17:45:30"),
    ]


def test_xes_without_lifecycle_has_one_complete_event_at_end(tmp_path: Path) -> None:
    log = make_log()
    frame = read_xes(write_log(log, tmp_path / "out.xes", lifecycle=False))
    assert set(frame["lifecycle:transition"]) == {"complete"}
    expected = log.events[END].dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
    assert xes_sequence(frame) == list(zip(log.events[CASE_ID], log.events[ACTIVITY],
                                           ["complete"] * 5, expected, strict=True))


def test_xes_keeps_case_and_event_attributes(tmp_path: Path) -> None:
    frame = read_xes(write_log(make_log(), tmp_path / "out.xes"))
    canonical = frame.rename(columns={"case:concept:name": CASE_ID})
    canonical.columns = [c.removeprefix("case:") for c in canonical.columns]
    assert case_attributes(canonical) == EXPECTED_CASES
    assert frame["org:resource"].iloc[:5].tolist() == ["Aiko Tanaka"] * 3 + ["Kenji Sato"] * 2
    assert pd.isna(frame["org:resource"].iloc[-1])
    assert frame["stage"].tolist()[:3] == ["Qualify", "Propose", "Propose"]


def test_xes_declares_the_standard_extensions(tmp_path: Path) -> None:
    text = write_log(make_log(), tmp_path / "out.xes").read_text(encoding="utf-8")
    for prefix in ("concept", "time", "org", "lifecycle"):
        assert f'prefix="{prefix}"' in text
    assert '<string key="concept:name" value="test log" />' in text


def test_xes_gz_is_the_same_xes_compressed_and_reproducible(tmp_path: Path) -> None:
    plain = write_log(make_log(), tmp_path / "out.xes").read_bytes()
    first = write_log(make_log(), tmp_path / "a.xes.gz").read_bytes()
    second = write_log(make_log(), tmp_path / "b.xes.gz").read_bytes()
    assert first == second
    assert gzip.decompress(first) == plain
    assert xes_sequence(read_xes(tmp_path / "a.xes.gz")) == xes_sequence(read_xes(
        tmp_path / "out.xes"))


# --- formula injection ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"),
    ("+SUM(A1)", "'+SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"),
    ("\t=x", "'\t=x"),
    ("\r=x", "'\r=x"),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_neutralise_formulas_prefixes_formula_text(text: str, written: str) -> None:
    out = neutralise_formulas(pd.DataFrame({"note": [text]}))
    assert out["note"].tolist() == [written]


def test_neutralise_formulas_leaves_numbers_timestamps_and_missing_values() -> None:
    frame = pd.DataFrame({
        "amount": [-5.0, 3.5], "count": [-1, 2],
        "when": pd.to_datetime(["2025-03-03 09:00:00", "2025-03-04 10:00:00"]),
        "mixed": [-1, "-1"], "text": [None, "=x"],
    })
    before = frame.copy(deep=True)
    out = neutralise_formulas(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    for column in ("amount", "count", "when"):
        pd.testing.assert_series_equal(out[column], frame[column])
    assert out["mixed"].tolist() == [-1, "'-1"]
    assert out["text"].iloc[0] is None
    assert out["text"].iloc[1] == "'=x"


def test_neutralise_formulas_also_defuses_header_names() -> None:
    out = neutralise_formulas(pd.DataFrame({"=HYPERLINK(x)": ["a"], "ok": ["b"]}))
    assert list(out.columns) == ["'=HYPERLINK(x)", "ok"]


def hostile_log() -> EventLog:
    log = make_log()
    log.events.loc[0, ACTIVITY] = "=1+1"
    log.events.loc[1, "resource"] = "@cmd"
    log.cases.loc["OPP-2", "lost_reason"] = "-2+3"
    log.cases.loc["OPP-1", "amount"] = -5.0
    return log


def test_written_csv_cells_are_neutralised(tmp_path: Path) -> None:
    path = write_log(hostile_log(), tmp_path / "out.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert rows[0][ACTIVITY] == "'=1+1"
    assert rows[1]["resource"] == "'@cmd"
    assert rows[3]["lost_reason"] == "'-2+3"
    assert rows[0]["amount"] == "-5.0"
    assert rows[0][START] == "2025-03-03 09:00:00"


def test_written_xlsx_cells_are_text_not_formulas(tmp_path: Path) -> None:
    path = write_log(hostile_log(), tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)[SHEET_NAME]
    header = [c.value for c in sheet[1]]
    first, second, fourth = sheet[2], sheet[3], sheet[5]
    activity = first[header.index(ACTIVITY)]
    assert (activity.value, activity.data_type) == ("'=1+1", "s")
    assert second[header.index("resource")].value == "'@cmd"
    assert fourth[header.index("lost_reason")].value == "'-2+3"
    amount = first[header.index("amount")]
    assert (amount.value, amount.data_type) == (-5.0, "n")
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_sheet_is_formatted_for_reading(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(write_log(make_log(), tmp_path / "out.xlsx"))[SHEET_NAME]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    start = sheet.cell(row=2, column=3)
    assert start.is_date
    assert start.number_format == "yyyy-mm-dd hh:mm:ss"


# --- refusals -------------------------------------------------------------------------------

def test_unknown_suffix_names_it_and_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match=r"'\.json'") as error:
        write_log(make_log(), tmp_path / "out.json")
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(error.value)
    assert not (tmp_path / "out.json").exists()


def test_near_miss_suffix_gets_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match=r"'\.xls'.*Did you mean"):
        write_log(make_log(), tmp_path / "out.xls")


def test_missing_suffix_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match="no suffix"):
        write_log(make_log(), tmp_path / "out")


@pytest.mark.parametrize("spelling", ["in.csv", "sub/../in.csv"])
def test_never_overwrites_the_file_the_log_was_read_from(tmp_path: Path, spelling: str) -> None:
    (tmp_path / "sub").mkdir()
    source = tmp_path / "in.csv"
    source.write_text("original export", encoding="utf-8")
    log = make_log(source_path=str(source))
    with pytest.raises(PlannerError, match=r"read from.*in_canonical\.csv"):
        write_log(log, tmp_path / spelling)
    assert source.read_text(encoding="utf-8") == "original export"


def test_other_paths_are_fine_when_the_source_is_known(tmp_path: Path) -> None:
    log = make_log(source_path=str(tmp_path / "in.csv"))
    assert write_log(log, tmp_path / "out.csv").exists()


def test_missing_folder_is_reported_not_created(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match="does not exist"):
        write_log(make_log(), tmp_path / "nowhere" / "out.csv")
    assert not (tmp_path / "nowhere").exists()


# --- through the planner's own reader -------------------------------------------------------

@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_planner_reads_back_what_it_wrote(tmp_path: Path, suffix: str) -> None:
    log = make_log()
    back = read_log(write_log(log, tmp_path / f"out{suffix}")).require_log()
    assert event_keys(back.events) == event_keys(log.events)
    flat = back.flat()
    assert case_attributes(flat) == EXPECTED_CASES


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_planner_undoes_the_formula_escaping_on_reading(tmp_path: Path, suffix: str) -> None:
    back = read_log(write_log(hostile_log(), tmp_path / f"out{suffix}")).require_log()
    assert back.events[ACTIVITY].iloc[0] == "=1+1"
    assert back.events["resource"].iloc[1] == "@cmd"
    assert back.cases.loc["OPP-2", "lost_reason"] == "-2+3"
