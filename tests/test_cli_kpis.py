"""``l2c kpis``: the JSON/CSV interface, the table, role overrides and error messages.

Expected values on the bundled sample are worked out here from the log itself with plain
pandas, not with the KPI library, so a wrong KPI or a wrong wiring of the command fails.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from calibration.read import read_log
from calibration.sample import sample_path
from sim.kpis import KpiResult
from tests.conftest import GOOD_CSV
from ui.cli import app
from ui.render import print_kpis
from ui.report_format import value_text

runner = CliRunner()
DAY = pd.Timedelta(days=1)
SAMPLE = sample_path("d365")
RECORD_KEYS = {"id", "unit", "n", "value"}
DURATION_KEYS = {"mean", "median", "p90"}

# German activity names: no default role knows them.
GERMAN_CSV = """case_id,activity,start_time,end_time,outcome
A1,Angebot erstellt,2024-01-01 09:00,2024-01-01 10:00,Won
A1,Angebot freigegeben,2024-01-03 09:00,2024-01-03 10:00,Won
A2,Angebot erstellt,2024-01-02 09:00,2024-01-02 09:00,Lost
A2,Freigabe erteilt,2024-01-02 21:00,2024-01-03 09:00,Lost
"""


def invoke(*args: object):
    return runner.invoke(app, ["kpis", *map(str, args)])


def ok(result) -> None:
    """Exit 0, and no exception escaped the command."""
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.exception is None


def refused(result) -> None:
    """Exit 1 from a message, not from an exception escaping the command."""
    assert result.exit_code == 1, result.stdout + result.stderr
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr


def by_id(records: list[dict], group: str | None = None) -> dict[str, dict]:
    return {r["id"]: r for r in records if r["group"] == group}


@pytest.fixture(scope="module")
def sample_log():
    return read_log(SAMPLE).require_log()


@pytest.fixture(scope="module")
def sample_records() -> list[dict]:
    result = invoke(SAMPLE, "--format", "json")
    ok(result)
    return json.loads(result.stdout)


def span_days(events: pd.DataFrame, start: str, ends: tuple[str, ...]) -> pd.Series:
    """Per case: first ``start`` activity's start to the earliest end of an ``ends`` activity
    starting at or after it, in days."""
    events = events.assign(end_time=events["end_time"].fillna(events["start_time"]))
    since = events[events["activity"] == start].groupby("case_id")["start_time"].min()
    to = events[events["activity"].isin(ends)].join(since.rename("since"), on="case_id")
    until = to[to["start_time"] >= to["since"]].groupby("case_id")["end_time"].min()
    return (until - since.reindex(until.index)) / DAY


def win_share(outcomes: pd.Series) -> tuple[float, int]:
    won, lost = int((outcomes == "Won").sum()), int((outcomes == "Lost").sum())
    return won / (won + lost), won + lost


# --- JSON on the bundled sample -------------------------------------------------------------


def test_json_records_have_the_public_keys(sample_records):
    assert isinstance(sample_records, list) and len(sample_records) > 30
    for record in sample_records:
        assert record.keys() >= RECORD_KEYS, record
        assert (record.keys() >= DURATION_KEYS) == (record["unit"] == "days"), record
        assert record["group"] is None
    ids = [r["id"] for r in sample_records]
    assert len(ids) == len(set(ids))
    for kpi_id in ("sales_cycle", "win_rate", "payment_days", "lead_to_cash", "throughput",
                   "revenue_won"):
        assert kpi_id in ids
    assert any(i.startswith("waiting_time:") for i in ids)
    assert any(i.startswith("funnel:") for i in ids)


def test_win_rate_is_won_over_closed_cases(sample_records, sample_log):
    expected, closed = win_share(sample_log.cases["outcome"])
    win = by_id(sample_records)["win_rate"]
    assert win["unit"] == "share" and win["n"] == closed
    assert win["value"] == pytest.approx(expected, rel=1e-9)
    assert 0.2 < win["value"] < 0.6  # the sample wins roughly a third of its deals


def test_payment_days_is_invoice_sent_to_payment(sample_records, sample_log):
    days = span_days(sample_log.events, "Invoice Sent", ("Payment Received",))
    payment = by_id(sample_records)["payment_days"]
    assert payment["unit"] == "days" and payment["n"] == len(days)
    assert payment["value"] == payment["median"] == pytest.approx(days.median(), rel=1e-9)
    assert payment["mean"] == pytest.approx(days.mean(), rel=1e-9)
    assert payment["p90"] == pytest.approx(days.quantile(0.9), rel=1e-9)
    assert 10 < payment["value"] < 90


def test_sales_cycle_is_opportunity_to_win_of_won_deals(sample_records, sample_log):
    days = span_days(sample_log.events, "Opportunity Created",
                     ("Contract Signed", "Opportunity Won"))
    won = sample_log.cases.index[sample_log.cases["outcome"] == "Won"]
    days = days[days.index.isin(won)]
    cycle = by_id(sample_records)["sales_cycle"]
    assert cycle["n"] == len(days)
    assert cycle["value"] == pytest.approx(days.median(), rel=1e-9)
    assert cycle["p90"] >= cycle["value"] > 0


def test_json_stdout_stays_clean_when_reading_warns(write_file):
    # Three activities seen fewer than 5 times and an open case: warnings, on stderr only.
    result = invoke(write_file("log.csv", GOOD_CSV), "--format", "json")
    ok(result)
    records = json.loads(result.stdout)
    assert "still open" in result.stderr
    win = by_id(records)["win_rate"]
    assert win["value"] == pytest.approx(0.5) and win["n"] == 2
    missing = by_id(records)["sales_cycle"]  # no Opportunity Created in this log
    assert missing["available"] is False and missing["value"] is None
    assert "Opportunity Created" in missing["note"]


# --- --by, csv, table -----------------------------------------------------------------------


def test_by_gives_one_record_per_group(sample_log):
    result = invoke(SAMPLE, "--format", "json", "--by", "lead_source")
    ok(result)
    records = json.loads(result.stdout)
    sources = set(sample_log.cases["lead_source"].dropna().astype(str))
    assert len(sources) > 1
    assert {r["group"] for r in records} == sources
    for kpi_id in ("win_rate", "sales_cycle", "payment_days"):
        groups = [r["group"] for r in records if r["id"] == kpi_id]
        assert sorted(groups) == sorted(sources), kpi_id
    for source in sources:
        expected, closed = win_share(
            sample_log.cases.loc[sample_log.cases["lead_source"] == source, "outcome"])
        win = by_id(records, source)["win_rate"]
        assert win["value"] == pytest.approx(expected, rel=1e-9) and win["n"] == closed


def test_csv_parses_and_matches_json(sample_records):
    result = invoke(SAMPLE, "--format", "csv")
    ok(result)
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert {"id", "group", "label", "unit", "n", "value", "p90", "available", "note"
            } <= set(frame.columns)
    assert list(frame["id"]) == [r["id"] for r in sample_records]
    win = frame.set_index("id").loc["win_rate"]
    assert win["value"] == pytest.approx(by_id(sample_records)["win_rate"]["value"])


def test_table_shows_sections_in_order_with_formatted_values(sample_records):
    result = invoke(SAMPLE)
    ok(result)
    text = result.stdout
    records = by_id(sample_records)
    titles = ["Headline KPIs", "Waiting time before each activity",
              "Processing time of each activity", "Resource utilisation",
              "Funnel: closed cases reaching each stage"]
    positions = [text.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions)
    assert f"{records['win_rate']['value']:.1%}" in text
    assert f"{records['payment_days']['value']:.1f} days" in text
    assert f"{records['revenue_won']['value']:,.0f} / month" in text
    assert f"{records['payment_days']['n']:,}" in text
    assert "P90" in text
    assert "{" not in text  # the table, not JSON


def test_table_by_group_has_a_column_per_group():
    result = invoke(SAMPLE, "--by", "region")
    ok(result)
    header = next(line for line in result.stdout.splitlines() if "North" in line)
    for region in ("East", "North", "South", "West"):
        assert region in header


def test_unavailable_kpi_is_shown_dimmed_with_its_note():
    results = [
        KpiResult("sales_cycle", "Sales cycle (opportunity created to won)", "days", 3, 5.0,
                  6.0, 5.0, 8.2),
        KpiResult("payment_days", "Payment days (invoice sent to payment received)", "days",
                  0, float("nan"), available=False,
                  note="not available: no 'Invoice Sent' activity in this log"),
    ]
    console = Console(file=io.StringIO(), record=True, width=160, force_terminal=True,
                      color_system="standard")
    print_kpis(console, results, "KPIs")
    ansi = console.export_text(styles=True, clear=False)
    plain = console.export_text()
    assert "5.0 days" in plain and "8.2 days" in plain
    assert "no 'Invoice Sent' activity in this log" in plain
    dim = r"\x1b\[2m[^\x1b]*"  # text after the "dim" code, before any other code
    assert re.search(dim + "Payment days", ansi)
    assert re.search(dim + "—", next(line for line in ansi.splitlines() if "Payment" in line))
    assert not re.search(dim + "Sales cycle", ansi)


@pytest.mark.parametrize(("unit", "value", "text"), [
    ("days", 23.4567, "23.5 days"), ("days", 0.2, "0.2 days"), ("share", 0.3606, "36.1%"),
    ("money_per_month", 1981454.2, "1,981,454 / month"), ("per_month", 164.44, "164.4 / month"),
    ("count", 1.3189, "1.32"), ("share", float("nan"), "—"),
])
def test_values_are_formatted_with_their_unit(unit, value, text):
    """As a comparison writes them: a KPI in days stays in days (it read '4.8 h' here and
    '0.2 days' in ``l2c compare``)."""
    assert value_text(unit, value) == text


# --- --role ---------------------------------------------------------------------------------


def test_role_override_makes_a_kpi_available(write_file):
    path = write_file("de.csv", GERMAN_CSV)
    default = invoke(path, "--format", "json")
    ok(default)
    assert by_id(json.loads(default.stdout))["quote_approval"]["available"] is False

    result = invoke(path, "--format", "json", "--role", "quote_created=Angebot erstellt",
                    "--role", "quote_approved=Angebot freigegeben|Freigabe erteilt")
    ok(result)
    approval = by_id(json.loads(result.stdout))["quote_approval"]
    assert approval["available"] is True and approval["n"] == 2
    # A1: Jan 1 09:00 -> Jan 3 10:00 (2 days 1 hour); A2: Jan 2 09:00 -> Jan 3 09:00 (1 day)
    assert approval["value"] == pytest.approx((2 + 1 / 24 + 1) / 2)

    one = invoke(path, "--format", "json", "--role", "quote_created=Angebot erstellt",
                 "--role", "quote_approved=Angebot freigegeben")
    ok(one)
    approval = by_id(json.loads(one.stdout))["quote_approval"]
    assert approval["n"] == 1 and approval["value"] == pytest.approx(2 + 1 / 24)


def test_role_activity_not_in_the_log_is_a_warning(write_file):
    result = invoke(write_file("de.csv", GERMAN_CSV), "--format", "json",
                    "--role", "quote_approved=Angebot freigegebn")
    ok(result)
    assert "no activity 'Angebot freigegebn'" in result.stderr
    assert "Did you mean 'Angebot freigegeben'?" in result.stderr
    json.loads(result.stdout)


def test_unknown_role_is_refused_with_did_you_mean(write_file):
    result = invoke(write_file("de.csv", GERMAN_CSV), "--role",
                    "quote_aproved=Angebot freigegeben")
    refused(result)
    assert "unknown KPI role 'quote_aproved'" in result.stderr
    assert "Did you mean 'quote_approved'?" in result.stderr
    assert result.stdout == ""


def test_role_without_activity_is_refused(write_file):
    result = invoke(write_file("de.csv", GERMAN_CSV), "--role", "quote_approved")
    refused(result)
    assert "write it as role=activity" in result.stderr


# --- errors ---------------------------------------------------------------------------------


def test_missing_file_is_a_message(tmp_path: Path):
    result = invoke(tmp_path / "nope.csv", "--format", "json")
    refused(result)
    assert "nope.csv" in result.stderr and "no such file" in result.stderr
    assert result.stdout == ""


def test_unknown_group_attribute_is_a_message():
    result = invoke(SAMPLE, "--by", "regoin")
    refused(result)
    assert "Did you mean 'region'?" in result.stderr


def test_reading_options_are_passed_on(write_file):
    text = "Deal,Step,When,Result\n1,Lead Created,2024-01-01 10:00,Won\n" \
           "1,Opportunity Won,2024-01-03 10:00,Won\n2,Lead Created,2024-01-02 10:00,Lost\n" \
           "2,Opportunity Lost,2024-01-04 10:00,Lost\n"
    path = write_file("log.csv", text)
    refused(invoke(path, "--format", "json"))
    result = invoke(path, "--format", "json", "--map", "case_id=Deal", "--map", "activity=Step",
                    "--map", "timestamp=When", "--map", "outcome=Result")
    ok(result)
    assert by_id(json.loads(result.stdout))["win_rate"]["value"] == pytest.approx(0.5)
