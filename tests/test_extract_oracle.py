"""``l2c extract oracle``: the bundled sample written as Oracle CX Sales extracts and event
tables comes back as the bundled log (close dates, known only as dates, marked
approximated); broken extracts give their message and a report that accounts for every
row."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.extract.oracle import extract_oracle
from calibration.extract.oracle_sample import SALES_STAGES
from calibration.extract.sample_log import WINDOW_START, billed, full_sample
from calibration.read import read_log
from sim.errors import PlannerError
from sim.eventlog import CASE_ATTRIBUTES, CASE_ID, END, START, EventLog
from tests.test_extract_dataverse import assert_every_row_counted, copy_of
from ui.cli import app

runner = CliRunner()
FIELDS = [CASE_ID, "activity", END, "resource", "stage"]


@pytest.fixture(scope="module")
def extracts(oracle_tables: list[Path]) -> Path:
    return oracle_tables[0].parent


@pytest.fixture(scope="module")
def expected(sample_log: EventLog) -> pd.DataFrame:
    """The bundled events plus those begun before the window and recorded after it."""
    events, _ = full_sample()
    straddling = events[(events[START] < WINDOW_START) & (events[END] >= WINDOW_START)]
    both = pd.concat([sample_log.events, straddling], ignore_index=True)
    both[CASE_ID] = both[CASE_ID].str.removeprefix("OPP-")
    return both[[*FIELDS, START]]


def test_round_trip_through_the_command_line(extracts, expected, sample_log, tmp_path):
    output = tmp_path / "log.csv"
    result = runner.invoke(app, ["extract", "oracle", str(extracts), "-o", str(output),
                                 "--since", "2024-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_left_out"] == 0 and report["cases"] == sample_log.n_cases
    log = read_log(output).require_log()
    events = log.events.assign(**{CASE_ID: sample_numbers(log.events[CASE_ID])})
    marked = events["time_source"] != "as recorded"
    assert int(marked.sum()) == sum(report["approximated"].values())
    assert set(events.loc[marked, "activity"]) == {"Opportunity Won", "Opportunity Lost"}
    exact = events.loc[~marked]
    truth = expected.set_index([CASE_ID, "activity", END])
    joined = exact.join(truth, on=[CASE_ID, "activity", END], rsuffix="_true", how="left")
    assert joined["resource_true"].notna().all()  # every exact event is in the sample
    assert (joined["resource"] == joined["resource_true"]).all()
    assert (joined["stage"] == joined["stage_true"]).all()
    entered = ["Lead Created", "Opportunity Created", *SALES_STAGES]  # moments, not spans
    from_tables = ~joined["activity"].isin(entered)
    assert (joined.loc[from_tables, START] == joined.loc[from_tables, f"{START}_true"]).all()
    closes = expected[expected["activity"].isin(["Opportunity Won", "Opportunity Lost"])]
    approximate = events.loc[marked]
    assert sorted(zip(approximate[CASE_ID], approximate["activity"],
                      approximate[END].dt.date, strict=True)) == sorted(
        zip(closes[CASE_ID], closes["activity"], closes[END].dt.date, strict=True))
    assert len(events) == len(expected)
    cases = log.cases.set_axis(sample_numbers(log.cases.index.to_series()))
    truth_cases = sample_log.cases.set_axis(sample_log.cases.index.str.removeprefix("OPP-"))
    columns = list(CASE_ATTRIBUTES)
    pd.testing.assert_frame_equal(cases.loc[truth_cases.index, columns], truth_cases[columns],
                                  check_dtype=False, check_names=False)


def sample_numbers(case_ids: pd.Series) -> pd.Series:
    """Opportunity numbers as they are, lead numbers (leads never converted) without the L."""
    return case_ids.astype(str).str.removeprefix("L")


def test_a_missing_opportunities_table_is_named(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    (export / "opportunities.csv").rename(export / "deals_export.csv")
    with pytest.raises(PlannerError, match=r"Missing table: opportunities .*deals_export"):
        extract_oracle([export])


def test_an_unknown_attribute_gets_a_did_you_mean(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    frame = pd.read_csv(export / "opportunities.csv", dtype=str)
    frame.rename(columns={"StatusCode": "Status_Code"}).to_csv(
        export / "opportunities.csv", index=False)
    with pytest.raises(PlannerError, match=r"no attribute 'StatusCode'.*Did you mean "
                                           r"'Status_Code'\?"):
        extract_oracle([export])


def test_broken_links_and_duplicates_are_counted(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    quotes = pd.read_csv(export / "quotes.csv", dtype=str)
    quotes.loc[:2, CASE_ID] = "999999"
    quotes.to_csv(export / "quotes.csv", index=False)
    opportunities = pd.read_csv(export / "opportunities.csv", dtype=str)
    pd.concat([opportunities, opportunities.head(1)]).to_csv(export / "opportunities.csv",
                                                             index=False)
    lines = pd.read_csv(export / "revenueItems.csv", dtype=str)
    lines.loc[0, "OptyNumber"] = "888888"
    lines.to_csv(export / "revenueItems.csv", index=False)
    _, report = extract_oracle([export])
    assert report.links["revenue line -> opportunity"].broken == 1
    assert report.tables["revenueItems"].left_out["its opportunity is not in the export"] == 1
    link = report.links["quotes -> opportunity or lead"]
    assert link.broken == 3 and "999999" in link.examples[0]
    assert report.tables["quotes"].left_out[
        "no opportunity or lead of that number in the export"] == 3
    assert report.tables["opportunities"].left_out[
        "duplicate OptyNumber: an older copy of a record read twice"] == 1
    assert_every_row_counted(report)


def test_rest_pages_read_like_csv(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    frame = pd.read_csv(export / "opportunities.csv", dtype=str)
    half = len(frame) // 2
    for page, part in (("opportunities", frame.iloc[:half]), ("opportunities_2",
                                                              frame.iloc[half:])):
        records = part.astype(object).where(part.notna(), None).to_dict("records")
        (export / f"{page}.json").write_text(json.dumps(
            {"items": records, "count": len(records), "hasMore": page == "opportunities"}))
    (export / "opportunities.csv").unlink()
    from_rest, report = extract_oracle([export])
    from_csv, _ = extract_oracle([extracts])
    assert report.tables["opportunities"].file == "opportunities.json, opportunities_2.json"
    pd.testing.assert_frame_equal(from_rest.events, from_csv.events)
    pd.testing.assert_frame_equal(from_rest.cases, from_csv.cases)


def test_the_product_comes_from_the_primary_revenue_line(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    lines = pd.read_csv(export / "revenueItems.csv", dtype=str)
    number = lines.loc[0, "OptyNumber"]
    extra = lines.iloc[[0]].assign(RevnId="1", ProdGroupName="Consulting", PrimaryFlag="false",
                                   RevnAmount="99999999")
    lines.loc[0, "ProdGroupName"] = "Training"
    pd.concat([lines, extra]).to_csv(export / "revenueItems.csv", index=False)
    log, report = extract_oracle([export])
    assert log.cases.loc[number, "product_category"] == "Training"
    assert report.tables["revenueItems"].used == len(lines) + 1


def test_a_stage_entered_again_is_a_loop_and_broken_stage_links_are_counted(extracts,
                                                                           tmp_path):
    export = copy_of(extracts, tmp_path)
    snapshots = pd.read_csv(export / "opportunityStageSnapshots.csv", dtype=str)
    first = snapshots.iloc[0]
    again = first.copy()
    again["OptyStgSnapshotId"] = "1"
    again["StgEnterDate"] = "2025-06-30T10:00:00"  # after everything else of the deal
    unknown_opportunity = first.copy()
    unknown_opportunity[["OptyStgSnapshotId", "OptyId"]] = ["2", "777"]
    unknown_stage = first.copy()
    unknown_stage[["OptyStgSnapshotId", "StgId"]] = ["3", "555"]
    pd.concat([snapshots, pd.DataFrame([again, unknown_opportunity, unknown_stage])]).to_csv(
        export / "opportunityStageSnapshots.csv", index=False)
    log, report = extract_oracle([export])
    opportunities = pd.read_csv(export / "opportunities.csv", dtype=str)
    number = opportunities.set_index("OptyId").loc[first["OptyId"], "OptyNumber"]
    stage = pd.read_csv(export / "salesStages.csv", dtype=str).set_index("StgId").loc[
        first["StgId"], "Name"]
    case = log.events[log.events[CASE_ID] == number]
    entries = case[case["activity"] == stage]
    assert len(entries) == 2 and entries[END].max() == pd.Timestamp("2025-06-30 10:00")
    assert case["activity"].iloc[-1] == stage  # the loop back is the case's last step
    assert report.links["stage snapshot -> opportunity"].broken == 1
    assert "no opportunity OptyId 777" in report.links["stage snapshot -> opportunity"].examples[0]
    assert report.links["stage snapshot -> sales stage"].broken == 1
    left_out = report.tables["opportunityStageSnapshots"].left_out
    assert left_out == {"its opportunity is not in the export": 1,
                        "its sales stage is not in the sales stages extract": 1}
    assert_every_row_counted(report)


def test_stage_snapshots_without_the_sales_stages_are_named(extracts, tmp_path):
    export = copy_of(extracts, tmp_path)
    (export / "salesStages.csv").unlink()
    with pytest.raises(PlannerError, match=r"opportunityStageSnapshots: stages are named by "
                                           r"the sales stages extract \(salesStages.csv"):
        extract_oracle([export])


def test_receipts_give_the_amount_paid(extracts, sample_log):
    """A receipts table's amount column, summed per case, is the case's ``amount_paid``."""
    log, _ = extract_oracle([extracts])
    events, cases = full_sample()
    paid = events.loc[events["activity"] == "Payment Received", CASE_ID].unique()
    amounts = log.cases["amount_paid"].dropna()
    assert sorted(amounts.index) == sorted(c.removeprefix("OPP-") for c in paid)
    for case in paid:
        assert amounts[case.removeprefix("OPP-")] == pytest.approx(billed(cases.loc[case]))


def test_invoice_totals_count_each_invoice_once(extracts, tmp_path):
    """Each invoice's total stands on its Generated and its Sent row: by its number it is
    the case's ``invoice_amount`` once, not twice; without a number it is left out, said."""
    log, report = extract_oracle([extracts])
    events, cases = full_sample()
    invoiced = events.loc[events["activity"] == "Invoice Generated", CASE_ID].unique()
    totals = log.cases["invoice_amount"].dropna()
    assert sorted(totals.index) == sorted(c.removeprefix("OPP-") for c in invoiced)
    for case in invoiced:
        assert totals[case.removeprefix("OPP-")] == pytest.approx(billed(cases.loc[case]))
    assert not any("invoice totals" in w for w in report.warnings)
    export = copy_of(extracts, tmp_path)
    table = pd.read_csv(export / "invoices.csv", dtype=str)
    table.drop(columns=["TransactionNumber"]).to_csv(export / "invoices.csv", index=False)
    unnumbered, said = extract_oracle([export])
    assert "invoice_amount" not in unnumbered.cases
    assert any("not taken as invoice totals" in w and "invoices.csv" in w
               for w in said.warnings)
    pd.testing.assert_frame_equal(unnumbered.events, log.events)
