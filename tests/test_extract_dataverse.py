"""``l2c extract dynamics``: the bundled sample written as Dataverse tables (logical names,
display names, Web API JSON) comes back as the bundled log; broken exports give their
message and a report that accounts for every row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.extract.dataverse import extract_dynamics
from calibration.extract.dataverse_columns import DISPLAY, LOGICAL, WEBAPI
from calibration.extract.dataverse_sample import guid
from calibration.extract.report import ExtractionReport
from calibration.extract.sample_log import WINDOW_START, billed, full_sample
from calibration.read import read_log
from sim.errors import PlannerError
from sim.eventlog import CASE_ATTRIBUTES, CASE_ID, END, START, EventLog
from ui.cli import app

runner = CliRunner()
EVENT_FIELDS = ["activity", END, "resource", "stage"]


@pytest.fixture(scope="module")
def tables(dataverse_tables: dict[str, list[Path]]) -> dict[str, Path]:
    """The folder of the sample in each form."""
    return {form: files[0].parent for form, files in dataverse_tables.items()}


@pytest.fixture(scope="module")
def expected(sample_log: EventLog) -> pd.DataFrame:
    """The bundled log's events, plus the few whose work began before its window and was
    recorded after it (the bundled log keeps events by start, CRM tables date them by the
    moment they were saved)."""
    events, _ = full_sample()
    straddling = events[(events[START] < WINDOW_START) & (events[END] >= WINDOW_START)]
    bundled = sample_log.events[[CASE_ID, *EVENT_FIELDS]]
    both = pd.concat([bundled, straddling[[CASE_ID, *EVENT_FIELDS]]], ignore_index=True)
    return both.sort_values([CASE_ID, END], kind="stable").reset_index(drop=True)


def sample_ids(log: EventLog, sample_log: EventLog) -> pd.Series:
    """The extracted case ids (opportunity or lead GUIDs) as the sample's case ids."""
    names = {guid(table, case): case for case in sample_log.cases.index
             for table in ("opportunity", "lead")}
    return log.events[CASE_ID].map(names)


def assert_same_log(log: EventLog, report: ExtractionReport, sample_log: EventLog,
                    expected: pd.DataFrame) -> None:
    got = log.events.assign(**{CASE_ID: sample_ids(log, sample_log)})
    assert got[CASE_ID].notna().all()
    assert (got[START] == got[END]).all()  # CRM tables record moments, not work start
    got = got.sort_values([CASE_ID, END], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got[[CASE_ID, *EVENT_FIELDS]], expected,
                                  check_dtype=False)
    assert report.approximated == {} and report.undated == {}
    assert report.cases == sample_log.n_cases
    cases = log.cases.rename(index=dict(zip(log.events[CASE_ID], sample_ids(
        log, sample_log), strict=True)))
    columns = list(CASE_ATTRIBUTES)
    pd.testing.assert_frame_equal(
        cases.loc[sample_log.cases.index, columns].reset_index(drop=True),
        sample_log.cases[columns].reset_index(drop=True), check_dtype=False,
        check_exact=False, atol=1e-9)


def assert_every_row_counted(report: ExtractionReport) -> None:
    tables = report.to_dict()["tables"]
    assert isinstance(tables, dict)
    for name, table in tables.items():
        left_out = sum(reason["rows"] for reason in table["left_out"].values())
        assert table["used"] + left_out == table["rows"], name
        assert table["used"] >= 0


@pytest.mark.parametrize("form", [DISPLAY, WEBAPI])
def test_round_trip(form, tables, sample_log, expected):
    log, report = extract_dynamics([tables[form]], since=WINDOW_START)
    assert report.form == form
    assert_same_log(log, report, sample_log, expected)
    assert_every_row_counted(report)


def test_round_trip_through_the_command_line(tables, sample_log, expected, tmp_path):
    output = tmp_path / "log.csv"
    result = runner.invoke(app, ["extract", "dynamics", str(tables[LOGICAL]), "-o",
                                 str(output), "--since", "2024-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["form"] == LOGICAL and report["rows_left_out"] == 0
    assert report["events_left_out"] == {"before --since 2024-01-01": 2442}
    log = read_log(output).require_log()
    assert_same_log(log, _report_of(report), sample_log, expected)


def _report_of(data: dict[str, Any]) -> ExtractionReport:
    """The report again from the JSON the command printed (JSON values: Any)."""
    report = ExtractionReport(str(data["source"]))
    report.cases = int(data["cases"])
    report.approximated.update(data["approximated"])
    report.undated.update(data["undated"])
    return report


def test_a_zip_reads_like_the_folder(tables, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", tables[LOGICAL])
    log, report = extract_dynamics([Path(archive)], since=WINDOW_START)
    assert report.cases == 3064 and log.n_events == sum(report.events.values())
    assert all(count.file.startswith("export.zip/") for count in report.tables.values())


def copy_of(folder: Path, tmp_path: Path) -> Path:
    """A copy of an export to break."""
    target = tmp_path / "export"
    shutil.copytree(folder, target)
    return target


def test_a_missing_table_is_named(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    (export / "quote.csv").rename(export / "quotes_export_final.csv")
    with pytest.raises(PlannerError, match=r"Missing table: quote .*quotes_export_final"):
        extract_dynamics([export])


def test_an_unknown_column_gets_a_did_you_mean(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    frame = pd.read_csv(export / "opportunity.csv", dtype=str)
    frame.rename(columns={"createdon": "created_on"}).to_csv(export / "opportunity.csv",
                                                             index=False)
    with pytest.raises(PlannerError, match=r"table opportunity \(opportunity.csv\): no column "
                                           r"'createdon'.*Did you mean 'created_on'\?"):
        extract_dynamics([export])


def test_broken_links_are_counted_with_examples(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    orders = pd.read_csv(export / "salesorder.csv", dtype=str)
    gone = orders.head(5)
    orders.iloc[5:].to_csv(export / "salesorder.csv", index=False)
    opportunities = pd.read_csv(export / "opportunity.csv", dtype=str)
    lost_opportunity = opportunities["opportunityid"].iloc[0]
    opportunities.iloc[1:].to_csv(export / "opportunity.csv", index=False)
    log, report = extract_dynamics([export])
    invoice_link = report.links["invoice -> order"]
    assert invoice_link.broken == 5
    assert gone["salesorderid"].iloc[0] in invoice_link.examples[0]
    quotes = pd.read_csv(export / "quote.csv", dtype=str)
    orphans = int((quotes["opportunityid"] == lost_opportunity).sum())
    assert report.links["quote -> opportunity"].broken == orphans
    assert report.tables["quote"].left_out["no link to a case in the export"] == orphans
    assert lost_opportunity not in set(log.events[CASE_ID])
    assert_every_row_counted(report)


def test_duplicate_keys_are_counted_and_named(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    path = export / "opportunity.csv"
    frame = pd.read_csv(path, dtype=str)
    pd.concat([frame, frame.head(2)]).to_csv(path, index=False)
    _, report = extract_dynamics([export])
    count = report.tables["opportunity"]
    reason = "duplicate opportunityid: an older copy of a record read twice"
    assert count.rows == len(frame) + 2 and count.left_out[reason] == 2
    assert count.examples[reason][0].startswith("opportunity.csv:")
    assert frame["opportunityid"].iloc[0] in " ".join(count.examples[reason])
    assert report.cases == extract_dynamics([tables[LOGICAL]])[1].cases
    assert_every_row_counted(report)


@pytest.mark.parametrize("encoding", ["cp1252", "cp932", "utf-8-sig"])
def test_tables_in_other_encodings_keep_their_names(tables, tmp_path, encoding):
    export = copy_of(tables[LOGICAL], tmp_path)
    name = {"cp1252": "Café Nordique", "cp932": "株式会社さくら", "utf-8-sig": "Zürich AG"}[
        encoding]
    frame = pd.read_csv(export / "opportunity.csv", dtype=str)
    frame.loc[0, "customeridname"] = name
    (export / "opportunity.csv").write_bytes(frame.to_csv(index=False).encode(encoding))
    log, _ = extract_dynamics([export])
    assert log.cases.loc[frame["opportunityid"].iloc[0], "account"] == name


def test_a_json_page_in_the_wrong_encoding_is_named(tables, tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    for path in tables[LOGICAL].iterdir():
        shutil.copy(path, export)
    (export / "quote.csv").unlink()
    (export / "quotes.json").write_bytes('{"value": [{"name": "Café"}]}'.encode("cp1252"))
    with pytest.raises(PlannerError, match=r"quotes.json: not a Web API JSON page"):
        extract_dynamics([export])


def test_without_audit_times_are_approximated_and_marked(tables, sample_log, expected,
                                                         tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    (export / "audit.csv").unlink()
    (export / "opportunityclose.csv").unlink()
    log, report = extract_dynamics([export], since=WINDOW_START)
    marked = log.events["time_source"] != "as recorded"
    assert int(marked.sum()) == sum(report.approximated.values()) > 0
    assert report.approximated["Opportunity Won: from actualclosedate (a date without time)"]
    assert sum(report.undated.values()) > 0  # e.g. quotes activated, then won
    got = log.events.assign(**{CASE_ID: sample_ids(log, sample_log)})
    exact = got.loc[~marked, [CASE_ID, "activity", END]]
    truth = set(map(tuple, expected[[CASE_ID, "activity", END]].to_numpy()))
    assert all(tuple(row) in truth for row in exact.to_numpy())
    assert any("No audit table" in w for w in report.warnings)
    assert_every_row_counted(report)


def test_a_payments_file_dates_payments(tables, sample_log, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    (export / "audit.csv").unlink()
    invoices = pd.read_csv(export / "invoice.csv", dtype=str)
    events, _ = full_sample()
    paid = events[events["activity"] == "Payment Received"]
    numbers = "INV-" + paid[CASE_ID].str.removeprefix("OPP-")
    payments = pd.DataFrame({"Invoice Number": [*numbers, "INV-999999"],
                             "Date Paid": [*paid[END].dt.strftime("%Y-%m-%d %H:%M:%S"),
                                           "2024-05-01 10:00:00"],
                             "Amount": 1000.0})
    payments.to_csv(tmp_path / "payments.csv", index=False)
    log, report = extract_dynamics([export], payments=tmp_path / "payments.csv")
    link = report.links["payment -> invoice"]
    assert link.resolved == len(paid) and link.broken == 1 and "INV-999999" in link.examples[0]
    received = log.events[log.events["activity"] == "Payment Received"]
    assert len(received) == len(paid) and (received["time_source"] == "as recorded").all()
    by_case = dict(zip(sample_ids(log, sample_log).loc[received.index], received[END],
                       strict=True))
    assert all(by_case[c] == t for c, t in zip(paid[CASE_ID], paid[END], strict=True)
               if c in by_case)
    assert len(invoices) == report.tables["invoice"].used
    assert_every_row_counted(report)


def test_a_payments_file_inside_the_zip_is_the_payments_file(tables, sample_log, tmp_path):
    """payments.csv zipped with the tables dates the payments as ``--payments`` does, and
    given twice (in the zip and with --payments) it is named, not read twice."""
    import zipfile

    export = copy_of(tables[LOGICAL], tmp_path)
    (export / "audit.csv").unlink()
    events, _ = full_sample()
    paid = events[events["activity"] == "Payment Received"]
    pd.DataFrame({"Invoice Number": "INV-" + paid[CASE_ID].str.removeprefix("OPP-"),
                  "Date Paid": paid[END].dt.strftime("%Y-%m-%d %H:%M:%S"),
                  "Amount": 1000.0}).to_csv(tmp_path / "payments.csv", index=False)
    beside, beside_report = extract_dynamics([export], payments=tmp_path / "payments.csv")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(export.iterdir()):
            zipped.write(path, f"crm/{path.name}")
        zipped.write(tmp_path / "payments.csv", "crm/payments.csv")
    inside, report = extract_dynamics([archive])
    assert report.tables["payments"].file == "export.zip/crm/payments.csv"
    assert report.tables["payments"].used == len(paid)
    assert report.links["payment -> invoice"].resolved == len(paid)
    assert not any("payments" in w for w in report.warnings)
    pd.testing.assert_frame_equal(inside.events, beside.events)
    pd.testing.assert_series_equal(inside.cases["amount_paid"], beside.cases["amount_paid"])
    assert report.approximated == beside_report.approximated
    assert_every_row_counted(report)
    with pytest.raises(PlannerError, match=r"Two payments files: payments\.csv .* and "
                                           r"export\.zip/crm/payments\.csv"):
        extract_dynamics([archive], payments=tmp_path / "payments.csv")


def test_the_command_line_gives_messages_not_tracebacks(tmp_path):
    result = runner.invoke(app, ["extract", "dynamics", str(tmp_path / "nothing"), "-o",
                                 str(tmp_path / "log.csv")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output and "Traceback" not in result.output


def test_export_to_excel_workbooks_read_like_csv(tables, tmp_path):
    export = copy_of(tables[DISPLAY], tmp_path)
    for name in ("Opportunities", "Quotes"):
        frame = pd.read_csv(export / f"{name}.csv", dtype=str)
        for column in ("Created On", "Modified On", "Closed On"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])  # Excel keeps dates as dates
        frame.to_excel(export / f"{name}.xlsx", index=False)
        (export / f"{name}.csv").unlink()
    from_excel, report = extract_dynamics([export], since=WINDOW_START)
    from_csv, _ = extract_dynamics([tables[DISPLAY]], since=WINDOW_START)
    assert report.tables["opportunity"].file == "Opportunities.xlsx"
    pd.testing.assert_frame_equal(from_excel.events, from_csv.events)
    pd.testing.assert_frame_equal(from_excel.cases, from_csv.cases)


def test_choices_exported_as_labels_read_like_values(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    frame = pd.read_csv(export / "opportunity.csv", dtype=str)
    for column in ("statecode", "statuscode"):
        frame[column] = frame.pop(column + "name")
    frame.to_csv(export / "opportunity.csv", index=False)
    log, _ = extract_dynamics([export])
    reference, _ = extract_dynamics([tables[LOGICAL]])
    pd.testing.assert_frame_equal(log.cases, reference.cases)
    assert len(log.events) == len(reference.events)


def test_an_existing_log_is_replaced_only_with_force(tables, tmp_path):
    output = tmp_path / "log.csv"
    output.write_text("mine")
    command = ["extract", "dynamics", str(tables[LOGICAL]), "-o", str(output)]
    refused = runner.invoke(app, command)
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert output.read_text() == "mine"
    assert runner.invoke(app, [*command, "--force"]).exit_code == 0
    assert output.read_text() != "mine"


def test_the_report_as_a_table_names_every_part(tables, tmp_path):
    export = copy_of(tables[LOGICAL], tmp_path)
    (export / "audit.csv").unlink()
    result = runner.invoke(app, ["extract", "dynamics", str(export), "-o",
                                 str(tmp_path / "log.csv")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for part in ("Tables read", "Links between records", "Cases built: 3,332",
                 "Events by type", "Approximated timestamps", "Lead Qualified: from modifiedon",
                 "No audit table", "Event log written to"):
        assert part in result.stdout, part


def test_a_zip_too_large_once_expanded_is_refused(tables, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", tables[LOGICAL])
    with pytest.raises(PlannerError, match=r"expand to more than 1 MB; raise --max-size"):
        extract_dynamics([Path(archive)], max_size_mb=1)


def test_invoice_totals_and_payments_become_amounts(tables, tmp_path):
    """The invoices' ``totalamount`` is the case's ``invoice_amount``; the payments file's
    amounts, summed per case (a part payment and its rest), its ``amount_paid``."""
    events, cases = full_sample()
    invoiced = events.loc[events["activity"] == "Invoice Generated", CASE_ID].unique()
    first, second = sorted(invoiced)[:2]
    payments = pd.DataFrame({"Invoice Number": [f"INV-{c.removeprefix('OPP-')}" for c in
                                                (first, first, second)],
                             "Date Paid": ["2024-03-01", "2024-04-01", "2024-03-02"],
                             "Amount": [100.0, 250.5, 4000.0]})
    payments.to_csv(tmp_path / "payments.csv", index=False)
    log, _ = extract_dynamics([tables[LOGICAL]], payments=tmp_path / "payments.csv")
    amounts = log.cases.loc[[guid("opportunity", c) for c in invoiced]].set_axis(invoiced)
    assert log.cases["invoice_amount"].notna().sum() == len(invoiced)
    for case in invoiced:
        assert amounts.loc[case, "invoice_amount"] == pytest.approx(billed(cases.loc[case]))
    assert amounts.loc[first, "amount_paid"] == pytest.approx(350.5)
    assert amounts.loc[second, "amount_paid"] == pytest.approx(4000.0)
    assert log.cases["amount_paid"].notna().sum() == 2
