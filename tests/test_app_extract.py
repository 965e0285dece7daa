"""The Data page takes a CRM's own tables (a zip, or several files) and builds the log as
``l2c extract`` does, showing the extraction report before the validation report, in
English and Japanese; a broken export gets its message, never a traceback
(``streamlit.testing``, no browser)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from calibration.extract.dataverse import extract_dynamics
from calibration.extract.dataverse_columns import LOGICAL
from calibration.extract.dataverse_schema import BY_NAME
from calibration.extract.oracle import extract_oracle
from calibration.extract.oracle_schema import INVOICE_NUMBERS
from calibration.extract.report import ExtractionReport
from tests.test_app_language import WORD, english, page_texts
from tests.test_app_pages import go, isolated, ok, open_app  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def dataverse(dataverse_tables: dict[str, list[Path]]) -> list[Path]:
    return dataverse_tables[LOGICAL]


@pytest.fixture(scope="module")
def oracle(oracle_tables: list[Path]) -> list[Path]:
    return oracle_tables


def zipped(paths: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, f"export/{path.name}")
    return buffer.getvalue()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def upload_tables(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader(key="data.tables").set_value(files)
    return ok(at.run())


def test_a_zip_of_dynamics_tables_becomes_the_log_with_its_report_first(
        dataverse: list[Path]) -> None:
    _, expected = extract_dynamics(dataverse)
    at = upload_tables(open_app(), [("dynamics.zip", zipped(dataverse), "application/zip")])
    titles = subheaders(at)
    assert titles[:2] == ["Extraction report: Dynamics 365 Sales / Dataverse",
                          "File: dynamics_log.csv"], titles
    assert "What is in the log" in titles
    headline = at.success[0].value
    assert f"{expected.cases:,} cases ({expected.lead_only_cases:,} from leads never " \
           f"converted), {sum(expected.events.values()):,} events" in headline
    assert at.metric[0].value == f"{expected.cases:,}"  # the log read has every case
    tables = at.dataframe[0].value
    assert list(tables["table"]) == list(expected.tables)
    assert tables["rows"].sum() == expected.rows_read
    assert all(f.startswith("dynamics.zip/export/") for f in tables["file"])


def _export_names(at: AppTest, files: list[tuple[str, bytes, str]]) -> set[str]:
    """Words of the names the export and its log bring: files, tables (and the names
    Dataverse knows them by), columns, activities, people, case ids and attribute values,
    shown as they are in either language."""
    loaded = at.session_state["data"]
    log = loaded.result.log
    names = {*BY_NAME, *loaded.columns, *log.events["activity"],
             *log.events["resource"].dropna(), *log.cases.index, *log.cases.columns,
             *(value for column in log.cases.columns if log.cases[column].dtype == object
               for value in log.cases[column].dropna().unique())}
    for name, data, _ in files:
        names |= {name, Path(name).stem, *data.decode("utf-8").split("\n", 1)[0].split(",")}
    return {word.lower() for name in map(str, names) for word in WORD.findall(name)}


def test_the_report_reads_in_japanese(dataverse: list[Path]) -> None:
    """The frame and the extraction's own sentences. Tables without the audit table, a file
    that is no table, an invoice whose order was not exported and a record read twice: every
    reason, approximation, link and warning reads in Japanese, with only the export's own
    names left as they are; the English page keeps the extraction's words."""
    files = []
    for path in dataverse:
        text = path.read_text(encoding="utf-8")
        if path.stem == "invoice":
            header, first, second, rest = text.split("\n", 3)
            cells = first.split(",")
            cells[header.split(",").index("salesorderid")] = "00000000-0000-0000-0000-0000dead"
            text = "\n".join([header, ",".join(cells), second, second, rest])
        files.append((path.name, text.encode("utf-8"), "text/csv"))
    audit = next(f for f in files if f[0] == "audit.csv")
    files.remove(audit)
    files.append(("notes.csv", b"note,author\nhello,me\n", "text/csv"))
    at = upload_tables(open_app(lang="ja"), files)
    assert subheaders(at)[0] == "抽出レポート: Dynamics 365 Sales / Dataverse"
    assert list(at.dataframe[0].value.columns) == ["テーブル", "ファイル", "行数", "使用",
                                                   "除外"]
    warnings = [w.value for w in at.warning]
    assert "件の案件" in warnings[0] and "レコード間のリンクが 1 件切れています。" in warnings[0]
    assert any(w.startswith("監査テーブル（audit）がありません。") for w in warnings), warnings
    assert any(w.startswith("notes.csv: 抽出で読むテーブルではない") for w in warnings), warnings
    links = at.dataframe[1].value.set_index("リンク")
    assert "invoice.csv:2: salesorder 00000000-0000-0000-0000-0000dead がない" in \
        links.loc["請求書 → 受注", "例"]
    reasons = next(d.value for d in at.dataframe if "理由" in d.value.columns)
    assert list(reasons["理由"]) == ["invoiceid の重複（二度読まれたレコードの古いほう）"]
    shown = english(page_texts(at), _export_names(at, [*files, audit]))
    assert not shown, "\n".join(sorted(shown))
    at.sidebar.radio[0].set_value("en")
    english_page = ok(at.run())
    assert any(w.startswith("No audit table: state changes") for w in
               (w.value for w in english_page.warning))


def test_several_oracle_files_with_oracle_chosen(oracle: list[Path]) -> None:
    _, expected = extract_oracle(oracle)
    at = open_app()
    at.radio(key="data.crm").set_value("oracle")
    files = [(p.name, p.read_bytes(), "text/csv") for p in oracle]
    at = upload_tables(ok(at.run()), files)
    assert subheaders(at)[:2] == ["Extraction report: Oracle CX Sales", "File: oracle_log.csv"]
    assert at.metric[0].value == f"{expected.cases:,}"
    approximated = sum(expected.approximated.values())
    assert approximated and at.info[0].value.startswith(f"{approximated:,} event times are "
                                                       "approximated")


def test_a_zip_without_orders_says_which_tables_are_missing(dataverse: list[Path]) -> None:
    kept = [p for p in dataverse if p.stem not in ("salesorder", "invoice")]
    at = upload_tables(open_app(), [("partial.zip", zipped(kept), "application/zip")])
    errors = [e.value for e in at.error]
    assert any("Missing tables: salesorder, invoice" in e for e in errors), errors
    assert not any("/tmp" in e or "l2c-uploads" in e for e in errors), errors
    assert not subheaders(at)  # nothing loaded, nothing half-shown


def test_a_broken_link_is_counted_and_shown(dataverse: list[Path], tmp_path: Path) -> None:
    broken = []
    for path in dataverse:
        copy = tmp_path / path.name
        text = path.read_text(encoding="utf-8")
        if path.stem == "invoice":  # the first invoice points at an order not exported
            header, first, rest = text.split("\n", 2)
            column = header.split(",").index("salesorderid")
            cells = first.split(",")
            cells[column] = "00000000-0000-0000-0000-00000000dead"
            text = "\n".join([header, ",".join(cells), rest])
        copy.write_text(text, encoding="utf-8")
        broken.append(copy)
    report: ExtractionReport = extract_dynamics(broken)[1]
    assert report.links["invoice -> order"].broken == 1
    at = upload_tables(open_app(), [(p.name, p.read_bytes(), "text/csv") for p in broken])
    assert "1 link between records is broken." in at.warning[0].value
    links = at.dataframe[1].value
    row = links[links["link"] == "invoice -> order"].iloc[0]
    assert row["broken"] == 1 and "invoice.csv:2" in row["examples"]


def test_the_report_stays_with_its_log_after_another_page(dataverse: list[Path]) -> None:
    """Streamlit empties the uploaders when the Data page is drawn again after another page;
    the page says the log in use was built from tables, and still shows their report."""
    at = upload_tables(open_app(), [("dynamics.zip", zipped(dataverse), "application/zip")])
    at = go(at, "model")
    at = go(at, "data")
    assert not at.file_uploader(key="data.tables").value
    captions = [c.value for c in at.caption]
    assert any("In use: dynamics_log.csv, built from tables" in c for c in captions), captions
    assert not any("uploaded earlier. Upload another file" in c for c in captions), captions
    assert subheaders(at)[0] == "Extraction report: Dynamics 365 Sales / Dataverse"


def test_a_payments_file_beside_dynamics_tables_is_joined(dataverse: list[Path]) -> None:
    """payments.csv uploaded with the tables is the extraction's payments file: its rows are
    counted in the report and its amount is the case's amount paid."""
    invoice = next(p for p in dataverse if p.stem == "invoice")
    number = invoice.read_text(encoding="utf-8").split("\n")[1].split(",")[2]
    payments = f"Invoice Number,Date Paid,Amount\n{number},2024-05-02 10:00:00,1234.5\n"
    files = [(p.name, p.read_bytes(), "text/csv") for p in dataverse]
    at = upload_tables(open_app(), [*files, ("payments.csv", payments.encode(), "text/csv")])
    tables = at.dataframe[0].value.set_index("table")
    assert tables.loc["payments", "rows"] == 1 and tables.loc["payments", "used"] == 1
    log = at.session_state["data"].result.log
    assert log.cases["amount_paid"].dropna().tolist() == [1234.5]


def test_the_newest_warnings_read_in_the_pages_language(dataverse: list[Path],
                                                       oracle: list[Path],
                                                       tmp_path: Path) -> None:
    """Oracle invoices without an invoice number (their totals left out, with a warning)
    and a Dynamics payments file given twice (beside the tables and inside their zip): on
    a Japanese page both read in Japanese, naming the files as they are; on an English page
    the second names the upload instead of a command-line flag."""
    files = []
    for path in oracle:
        data = path.read_bytes()
        if path.name == "invoices.csv":
            table = pd.read_csv(io.BytesIO(data), dtype=str)
            data = table.drop(columns=["TransactionNumber"]).to_csv(index=False).encode()
        files.append((path.name, data, "text/csv"))
    at = open_app(lang="ja")
    at.radio(key="data.crm").set_value("oracle")
    at = upload_tables(ok(at.run()), files)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("請求書（") and "TransactionNumber" in w for w in warnings), warnings
    looked_for = {w.lower() for n in INVOICE_NUMBERS for w in WORD.findall(n)}  # columns
    shown = english(page_texts(at), _export_names(at, files) | looked_for)
    assert not shown, "\n".join(sorted(shown))
    payments = b"Invoice Number,Date Paid,Amount\nINV-1,2024-05-02 10:00:00,1234.5\n"
    inside = tmp_path / "payments.csv"
    inside.write_bytes(payments)
    both = [("dynamics.zip", zipped([*dataverse, inside]), "application/zip"),
            ("payments.csv", payments, "text/csv")]
    for lang, expected in (("ja", "入金ファイルが 2 つあります: payments.csv（テーブルと一緒に"),
                           ("en", "Two payments files: payments.csv (uploaded beside the "
                                  "tables) and dynamics.zip/export/payments.csv among")):
        at = upload_tables(open_app(lang=lang), both)
        said = [e.value for e in at.error]
        assert any(e.startswith(expected) for e in said), said
        assert not any("--payments" in e for e in said), said
        if lang == "ja":  # only the files' names are not Japanese
            assert set(WORD.findall(said[0])) <= {"payments", "csv", "dynamics", "zip",
                                                  "export"}, said

