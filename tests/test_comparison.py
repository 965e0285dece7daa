"""Comparisons of scenario files against the calibrated sample: the effects the domain
expects, exact zeros where nothing changed, and saved comparisons that re-run identically."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scenarios import LIBRARY
from scenarios.comparison import Baseline, rerun, run_comparison, to_saved
from sim.model import ProcessModel
from sim.saved import SavedStore
from ui.cli import app

RUN = {"days": 365.0, "warmup_days": 60.0}
JSON_KEYS = {"scenario", "kpi", "baseline", "value", "diff", "pct_change", "ci_low",
             "ci_high", "significant"}


@pytest.fixture(scope="module")
def model_file(tmp_path_factory, sample_model):
    return sample_model.save(tmp_path_factory.mktemp("model") / "model.json")


@pytest.fixture(scope="module")
def baseline(model_file) -> Baseline:
    return Baseline(ProcessModel.load(model_file))


def by_kpi(comparison, scenario: str) -> dict:
    return {d.kpi: d for d in comparison.study.differences if d.scenario == scenario}


def test_null_scenario_differs_by_exactly_zero(baseline, tmp_path):
    null = tmp_path / "null.yaml"
    null.write_text("name: Nothing changes\nchanges: []\n")
    result = run_comparison(baseline, [null], replications=3, seed=2, run=RUN)
    diffs = [d for d in result.study.differences if d.diff is not None]
    assert len(diffs) > 50
    assert all(d.diff == 0 and d.ci_low == 0 and d.ci_high == 0 for d in diffs)


def test_automated_invoicing_removes_the_invoice_lag(baseline):
    result = run_comparison(baseline, [LIBRARY / "automated_invoicing.yaml"],
                            replications=4, seed=3, run=RUN)
    kpis = by_kpi(result, "Automated invoicing")
    lag = kpis["invoice_lag"]
    assert lag.value < 0.1 * lag.baseline  # ~0: only the 2% manual fixes still wait
    cash = kpis["order_to_cash"]
    assert cash.significant and cash.diff < 0
    # order-to-cash shortens by about the lag removed (medians of sums need not add up
    # exactly: within a quarter of the lag)
    assert cash.diff == pytest.approx(-lag.baseline, rel=0.25)
    assert kpis["sales_cycle"].diff == 0  # the sales part of the cases is untouched


def test_an_extra_approver_helps_only_when_approvers_are_busy(baseline, tmp_path):
    busy = run_comparison(baseline, [LIBRARY / "extra_approver.yaml"], replications=4,
                          seed=4, run=RUN)
    waiting = by_kpi(busy, "One more approver")["waiting_time:Quote Approved"]
    assert waiting.significant and waiting.diff < 0
    quiet_model = baseline.model.model_copy(update={"arrivals": baseline.model.arrivals
                                                    .model_copy(update={"hourly_rate": tuple(
                                                        tuple(r * 0.1 for r in day) for day in
                                                        baseline.model.arrivals.hourly_rate)})})
    quiet = run_comparison(Baseline(quiet_model), [LIBRARY / "extra_approver.yaml"],
                           replications=4, seed=4, run=RUN)
    still = by_kpi(quiet, "One more approver")["waiting_time:Quote Approved"]
    assert abs(still.diff) < 0.1 * abs(waiting.diff)
    assert not by_kpi(quiet, "One more approver")["sales_cycle"].significant


def test_a_saved_comparison_reruns_to_the_same_numbers(baseline, tmp_path):
    result = run_comparison(baseline, [LIBRARY / "best_practice.yaml"], replications=2,
                            seed=5, run={"cases": 400})
    store = SavedStore(tmp_path / "saved.sqlite")
    store.save(to_saved(result, "best"))
    saved = store.load("best")
    again = rerun(saved)  # from the database alone: model JSON and resolved scenario text
    assert [d.to_dict() for d in again.differences] == [d.to_dict() for d in saved.results]


def test_cli_compare_json_is_the_stable_interface(model_file):
    scenario = str(LIBRARY / "stricter_collection.yaml")
    result = CliRunner().invoke(app, ["compare", str(model_file), scenario, "--reps", "2",
                                      "--cases", "300", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(row.keys() >= JSON_KEYS for row in rows)
    payment = next(r for r in rows if r["kpi"] == "payment_days")
    assert payment["scenario"] == "Stricter collection" and payment["diff"] < -5


def test_cli_compare_judges_with_the_thresholds_given(model_file):
    args = ["compare", str(model_file), str(LIBRARY / "quote_approval_faster.yaml"), "--reps",
            "3", "--cases", "300", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["kpi"]: r for r in json.loads(result.stdout) if r["group"] is None}
    approval = rows["quote_approval"]
    assert approval["material"] is True and approval["diff"] < 0
    assert approval["threshold"] == pytest.approx(min(0.5, 0.01 * approval["baseline"]))
    strict = CliRunner().invoke(app, [*args, "--threshold", "quote_approval=100"])
    assert strict.exit_code == 0, strict.output
    again = {r["kpi"]: r for r in json.loads(strict.stdout) if r["group"] is None}
    assert again["quote_approval"]["threshold"] == 100
    assert again["quote_approval"]["material"] is False  # same numbers, no verdict
    assert again["quote_approval"]["significant"] is True
    assert {k: r["material"] for k, r in again.items() if k != "quote_approval"} == {
        k: r["material"] for k, r in rows.items() if k != "quote_approval"}
    typo = CliRunner().invoke(app, [*args, "--threshold", "quote_aproval=1"])
    assert typo.exit_code == 1 and "Did you mean 'quote_approval'" in typo.output


def test_cli_compare_explains_bad_scenarios(model_file, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Typo\nchanges:\n  - pool: {name: Aprovers, add: 1}\n")
    result = CliRunner().invoke(app, ["compare", str(model_file), str(bad), "--cases", "50"])
    assert result.exit_code == 1
    assert "Did you mean 'Approvers'" in result.output
