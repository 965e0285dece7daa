"""Hostile event-log files: huge cells, long names, odd encodings and dates.

Each file is made here, small in the repository and as big as needed in the test's folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from calibration.read import read_log
from tests.hostile.cli import run_l2c

HEADER = "case_id,activity,start_time,end_time,resource,notes\n"
ROWS = [f"C{case},{activity},2024-0{month}-0{day} 09:00,2024-0{month}-0{day} 10:00,Ann,ok\n"
        for case in range(1, 5) for month, day, activity in
        ((1, 2, "Lead Created"), (1, 3, "Quote Created"), (1, 5, "Quote Sent"))]


def _log(folder: Path, name: str, rows: list[str] | None = None, header: str = HEADER,
         encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes((header + "".join(rows if rows is not None else ROWS)).encode(encoding))
    return path


def _with(row: int, column: int, value: str) -> list[str]:
    """ROWS with one cell replaced (row 0 is the first data row)."""
    rows = list(ROWS)
    cells = rows[row].rstrip("\n").split(",")
    cells[column] = value
    rows[row] = ",".join(cells) + "\n"
    return rows


def test_a_50_mb_activity_name_is_refused_at_once(tmp_path: Path) -> None:
    log = _log(tmp_path, "huge.csv", _with(0, 1, "A" * (50 << 20)))
    run = run_l2c("inspect", log, cwd=tmp_path, label="inspect: one 50 MB field")
    run.assert_clear_error("huge.csv: row 2 (the header is row 1) is longer than 1,024 KB",
                           "$L2C_MAX_LINE_KB")
    assert len(run.stdout + run.stderr) < 3000


def test_a_50_mb_quoted_cell_over_many_lines_is_refused(tmp_path: Path) -> None:
    log = _log(tmp_path, "quoted.csv", _with(1, 5, '"' + ("B" * 99 + "\n") * 500_000 + '"'))
    run = run_l2c("inspect", log, cwd=tmp_path, label="inspect: 50 MB quoted field, many lines")
    run.assert_clear_error("quoted.csv: row 3 (the header is row 1) is longer than 1,024 KB")
    assert len(run.stdout + run.stderr) < 3000


def test_an_unclosed_quote_is_named(tmp_path: Path) -> None:
    rows = _with(1, 5, '"never closed') + ["C9,Lead Created,2024-01-02,2024-01-02,Ann,x\n"] * 30_000
    errors = read_log(_log(tmp_path, "quote.csv", rows)).report.errors
    assert "row 3 (the header is row 1) is longer than" in errors[0]
    assert "a quote is never closed" in errors[0]


def test_a_long_cell_names_its_row_and_column(tmp_path: Path) -> None:
    errors = read_log(_log(tmp_path, "note.csv", _with(4, 5, "x" * 40_000))).report.errors
    assert "note.csv: row 6, column 'notes': a value of 40,000 characters" in errors[0]
    assert "over the limit of 32,767" in errors[0] and "$L2C_MAX_CELL_CHARS" in errors[0]
    assert len(errors[0]) < 400


def test_a_long_activity_name_names_its_row_and_column(tmp_path: Path) -> None:
    errors = read_log(_log(tmp_path, "name.csv", _with(2, 1, "Quote " * 50))).report.errors
    assert "name.csv: row 4, column 'activity': a value of 300 characters" in errors[0]
    assert "over the limit of 200" in errors[0] and "$L2C_MAX_NAME_CHARS" in errors[0]


def test_a_long_column_name_is_cut_in_the_message(tmp_path: Path) -> None:
    log = _log(tmp_path, "header.csv", header=HEADER.replace("notes", "n" * 100_000))
    errors = read_log(log).report.errors
    assert "the name of column 6 has 100,000 characters" in errors[0]
    assert len(errors[0]) < 400


def test_limits_are_raised_by_environment_variables(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    log = _log(tmp_path, "name.csv", _with(2, 1, "Quote " * 50))
    assert "over the limit of 200" in read_log(log).report.errors[0]
    monkeypatch.setenv("L2C_MAX_NAME_CHARS", "400")
    assert read_log(log).log is not None
    monkeypatch.setenv("L2C_MAX_ROWS", "5")
    assert "more than 5 rows" in read_log(log).report.errors[0]
    monkeypatch.setenv("L2C_MAX_ROWS", "lots")
    assert "$L2C_MAX_ROWS must be a whole number above 0" in read_log(log).report.errors[0]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_and_named(tmp_path: Path, encoding: str) -> None:
    log = _log(tmp_path, "wide.csv", encoding=encoding)
    assert not log.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    if encoding == "utf-16-be":  # the same reader; the command line once is enough
        result = read_log(log)
        assert result.encoding == encoding and result.log is not None
        return
    run = run_l2c("inspect", log, cwd=tmp_path, label="inspect: UTF-16 without BOM")
    assert run.code == 0, run.stderr
    run.assert_bounded()
    assert f"csv {encoding}" in run.stdout


def test_dates_before_1970_and_far_ahead_are_warned(tmp_path: Path) -> None:
    rows = _with(0, 2, "1900-01-02 09:00")
    rows[4] = rows[4].replace("2024-01-03 10:00", "2099-01-03 10:00")
    result = read_log(_log(tmp_path, "dates.csv", rows))
    assert result.log is not None
    text = " ".join(result.report.warnings)
    assert "1 event dated before 1970 (row 2; e.g. 1900-01-02" in text
    assert "1 event dated after" in text and "(row 6; e.g. 2024-01-03 to 2099-01-03)" in text


def test_running_out_of_memory_is_a_message(tmp_path: Path) -> None:
    """The size limit raised past what the machine can hold (here: a 650 MB address space
    for a 27 MB file): a message, not a MemoryError traceback."""
    rows = [f"C{case},{activity},2024-01-0{day} 09:00,2024-01-0{day} 10:00,Ann,ok\n"
            for case in range(150_000) for day, activity in
            ((1, "Lead Created"), (2, "Quote Created"), (3, "Quote Sent"))]
    log = _log(tmp_path, "big.csv", rows)
    run = run_l2c("inspect", log, "--max-size", "100000", cwd=tmp_path, memory_cap=650 << 20,
                  label="inspect: 27 MB in a 650 MB address space")
    run.assert_clear_error("out of memory")
