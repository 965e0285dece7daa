"""Packed formats as bombs: a small workbook or Parquet file that holds millions of rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calibration.xlsx_check import check_workbook
from sim.errors import PlannerError
from tests.hostile.cli import run_l2c

MAIN = "http://schemas.openxmlformats.org"
PARTS = {
    "[Content_Types].xml":
        f'<Types xmlns="{MAIN}/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main'
        '+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        f'<Relationships xmlns="{MAIN}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{MAIN}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<workbook xmlns="{MAIN}/spreadsheetml/2006/main" xmlns:r="{MAIN}/officeDocument/'
        '2006/relationships"><sheets><sheet name="Events" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>',
    "xl/_rels/workbook.xml.rels":
        f'<Relationships xmlns="{MAIN}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{MAIN}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
}


def _row(*cells: str) -> bytes:
    return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells)
            + "</row>").encode()


def bomb(path: Path, rows: int) -> Path:
    """A workbook of ``rows`` identical event rows: a few MB packed, far more expanded."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}/spreadsheetml/2006/main"><sheetData>'.encode())
            sheet.write(_row("case_id", "activity", "timestamp"))
            block = _row("C1", "Lead Created", "2024-01-01") * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_workbook_of_three_million_rows_is_refused_before_parsing(tmp_path: Path,
                                                                   xlsx_bomb: Path) -> None:
    assert xlsx_bomb.stat().st_size < 2 << 20
    run = run_l2c("inspect", xlsx_bomb, cwd=tmp_path, label="inspect: xlsx bomb, 3 million rows")
    run.assert_clear_error("bomb.xlsx: the sheet in xl/worksheets/sheet1.xml has more than "
                           "1,048,576 rows", "save the data as CSV")


def test_a_workbook_expanding_beyond_the_size_limit_is_refused(tmp_path: Path) -> None:
    book = bomb(tmp_path / "wide.xlsx", 20_000)
    with pytest.raises(PlannerError, match=r"expands to 3 MB, over the 1 MB limit"):
        check_workbook(book, 1 << 20)
    check_workbook(book, 1 << 30)


def test_a_parquet_file_of_millions_of_rows_is_refused_from_its_footer(tmp_path: Path) -> None:
    rows = 3_000_000
    table = pa.table({"case_id": pa.repeat("C1", rows), "activity": pa.repeat("Lead Created", rows),
                      "timestamp": pa.repeat("2024-01-01", rows)})  # no Python strings: fast
    path = tmp_path / "bomb.parquet"
    pq.write_table(table, path, compression="zstd")
    assert path.stat().st_size < 100_000
    run = run_l2c("inspect", path, cwd=tmp_path, label="inspect: Parquet, 3 million rows")
    run.assert_clear_error("bomb.parquet: the file has more than 2,000,000 rows",
                           "$L2C_MAX_ROWS")
