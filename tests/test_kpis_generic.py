"""KPIs of any process: a log with none of the lead-to-cash activities still gets case
durations, throughput, work in progress, new cases and per-activity times, computed by hand
here on a small log that is not lead-to-cash."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from calibration.read import read_log
from sim.kpis import catalogue, compute_kpis
from tests.test_kpis import MONTH, by_id, make_log
from ui.cli import app

P2P = Path(__file__).resolve().parents[2] / "shared" / "logs" / "PurchasingExample.csv.gz"
DURATIONS = (2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 9.0)  # Receive to Close, days


def service_log():
    """Ten requests received on days 0..9 and closed after DURATIONS; one more received on
    day 20 and checked, with nothing after: still open when the log ends (day 20.6)."""
    rows = []
    for number, days in enumerate(DURATIONS):
        rows += [(f"R{number}", "Receive", number), (f"R{number}", "Check", number + 1,
                                                       number + 1.5, "Ann"),
                 (f"R{number}", "Close", number + days)]
    rows += [("R10", "Receive", 20), ("R10", "Check", 20.5, 20.6, "Ann")]
    return make_log(rows)


def test_a_log_that_is_not_lead_to_cash_gets_the_generic_kpis() -> None:
    kpis = by_id(compute_kpis(service_log()))
    period = 20.6
    assert kpis["case_duration"].median == pytest.approx(np.median(DURATIONS))
    assert kpis["case_duration"].mean == pytest.approx(np.mean(DURATIONS))
    assert kpis["case_duration"].p90 == pytest.approx(np.quantile(DURATIONS, 0.9))
    assert kpis["case_duration"].n == 10  # the open request is left out
    assert kpis["throughput"].value == pytest.approx(10 / (period / MONTH))
    assert kpis["cases_started"].value == pytest.approx(11 / (period / MONTH))
    open_for = period - 20  # the open request counts until the end of the log
    assert kpis["wip"].value == pytest.approx((sum(DURATIONS) + open_for) / period)
    assert kpis["frequency:Close"].value == pytest.approx(10 / 11)
    assert kpis["waiting_time:Check"].median == pytest.approx(1.0)
    assert kpis["processing_time:Check"].median == pytest.approx(0.5)
    assert kpis["utilisation:Ann"].available
    assert not kpis["win_rate"].available and "outcome" in kpis["win_rate"].note


def test_no_headline_table_is_empty_whatever_the_activities() -> None:
    results = compute_kpis(service_log())
    available = {r.kind for r in results if r.item is None and r.available}
    assert {"case_duration", "throughput", "wip", "cases_started"} <= available
    assert catalogue.targets(set()) == ("throughput", "case_duration")


def test_a_four_year_log_measures_its_throughput_over_its_whole_period() -> None:
    log = make_log([("A", "Receive", 0), ("A", "Check", 400), ("A", "Close", 410),
                    ("B", "Receive", 1000), ("B", "Check", 1460)])  # B: open at the end
    kpis = by_id(compute_kpis(log))
    assert kpis["throughput"].value == pytest.approx(1 / (1460 / MONTH))
    assert (kpis["case_duration"].value, kpis["case_duration"].n) == (410, 1)
    assert kpis["cases_started"].value == pytest.approx(2 / (1460 / MONTH))


def test_a_log_whose_cases_are_all_open_says_so() -> None:
    log = make_log([("A", "Receive", 0), ("A", "Check", 1), ("A", "Receive", 2),
                    ("B", "Receive", 1), ("B", "Check", 2)])  # no activity ends its cases
    kpis = by_id(compute_kpis(log))
    assert kpis["frequency:Check"].available
    for kind in ("throughput", "case_duration"):
        assert kpis[kind].note == "not available: no case in this log has finished yet"


@pytest.mark.skipif(not P2P.exists(), reason="the shared real logs are not next to the repo")
def test_kpis_and_compare_on_a_purchasing_log(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["kpis", str(P2P), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    rows = {r["id"]: r for r in json.loads(shown.stdout[shown.stdout.index("["):])}
    log = read_log(P2P).require_log()
    first = log.events.groupby("case_id")["start_time"].min()
    last = log.events.groupby("case_id")["end_time"].max()
    spans = ((last - first).dt.total_seconds() / 86400).to_numpy()
    assert rows["case_duration"]["available"]
    n = rows["case_duration"]["n"]
    assert n >= 0.9 * len(spans)  # nearly every purchase has finished
    assert np.quantile(spans, 0.4) <= rows["case_duration"]["median"] <= np.quantile(spans, 0.6)

    scenario = tmp_path / "faster.yaml"
    scenario.write_text("name: Faster analysis\nchanges:\n  - duration: {activity: Analyze "
                        "Request for Quotation, scale: 0.5}\n  - delay: {activity: Analyze "
                        "Request for Quotation, scale: 0.5}\n", encoding="utf-8")
    compared = runner.invoke(app, ["compare", str(P2P), str(scenario), "--reps", "3",
                                   "--cases", "300", "--format", "json"])
    assert compared.exit_code == 0, compared.output
    found = json.loads(compared.stdout[compared.stdout.index("["):])
    differences = {r["kpi"]: r for r in found if r.get("scenario") == "Faster analysis"}
    assert differences["case_duration"]["diff"] < 0  # half the analysis: shorter cases
