"""``l2c backtest``: a change the log went through, predicted by a model that never saw it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from calibration.evaluate.backtest import backtest
from calibration.evaluate.derive import derive_scenario
from calibration.fit.calibrate import calibrate
from calibration.sample import truth
from calibration.sample.generator import ChangedDelay, generate
from scenarios.apply import apply_scenario
from scenarios.load import parse_scenario
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog
from sim.model import Branch, ProcessModel
from ui.cli import app

ORIGIN = pd.Timestamp("2024-01-01")
CHANGE = "2024-07-19"  # day 200: approval work halves from then on
FASTER = "name: Faster approval\nchanges:\n  - duration: {activity: Approve, scale: 0.5}\n"


def approvals(cases: int = 2400, seed: int = 1) -> EventLog:
    """'Request' -> 'Approve' (three approvers; gamma work, 2 h on average until the change,
    1 h after it) -> 'Close'."""
    rng = np.random.default_rng(seed)
    change = pd.Timestamp(CHANGE)
    rows = []
    for k in range(cases):
        asked = ORIGIN + pd.Timedelta(hours=3 * k + rng.uniform(0, 2))
        work = pd.Timedelta(hours=rng.gamma(4, 0.5 if asked < change else 0.25))
        ready = asked + pd.Timedelta(hours=rng.exponential(5))
        rows += [(f"c{k}", "Request", asked, asked, None),
                 (f"c{k}", "Approve", ready, ready + work, f"approver {k % 3}"),
                 (f"c{k}", "Close", ready + work + pd.Timedelta(hours=1),
                  ready + work + pd.Timedelta(hours=1), None)]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START, END, RESOURCE])
    cases_table = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    return EventLog(events, cases_table, name="approvals")


@pytest.fixture(scope="module")
def result():
    return backtest(approvals(), parse_scenario(FASTER), CHANGE, reps=5, n_jobs=1)


def test_the_scenario_that_describes_the_change_explains_its_shift(result):
    """Approval work halved: the unchanged model still predicts the old work time (the real
    after-value lies outside its interval), the scenario predicts the new one within the
    real median's own sampling error (three standard errors of the median of the ~800 real
    tasks after the change; the interval over replications holds the simulation's error
    alone), and explains the real shift (within a quarter of 100%: the medians of ~800
    tasks a side)."""
    row = next(r for r in result.rows if r.kpi == "processing_time:Approve")
    assert row.material
    assert not row.without.low <= row.after <= row.without.high
    error = 3 * median_error(_tasks_after(approvals(), "Approve"))
    assert (row.with_scenario.low * (1 - error) <= row.after
            <= row.with_scenario.high * (1 + error)), (row.after, row.with_scenario, error)
    assert row.explained is not None and abs(row.explained.mean - 1) < 0.25, row.explained


def _tasks_after(log: EventLog, activity: str) -> int:
    events = log.events
    return int(((events[ACTIVITY] == activity) & (events[START] >= CHANGE)).sum())


def median_error(tasks: int, shape: float = 4.0) -> float:
    """The relative standard error of the median of ``tasks`` gamma work times of the
    generator's ``shape`` (about 2.3% for 800), by drawing 4,000 such samples."""
    medians = np.median(np.random.default_rng(0).gamma(shape, 1.0, (4000, tasks)), axis=1)
    return float(medians.std() / np.median(medians))


def test_kpis_the_change_did_not_move_get_no_ratio(result):
    row = next(r for r in result.rows if r.kpi == "frequency:Approve")
    assert not row.material and row.explained is None


def test_same_seed_same_backtest(result):
    again = backtest(approvals(), parse_scenario(FASTER), CHANGE, reps=5, n_jobs=1)
    assert again.to_dict() == result.to_dict()


def test_cli_writes_json_and_html_and_derives_a_missing_scenario(tmp_path):
    log = tmp_path / "approvals.csv"
    approvals().events.to_csv(log, index=False)
    scenario = tmp_path / "faster.yaml"
    scenario.write_text(FASTER, encoding="utf-8")
    out = tmp_path / "backtest.json"
    runner = CliRunner()
    done = runner.invoke(app, ["backtest", str(log), "--scenario", str(scenario),
                               "--change-date", CHANGE, "--reps", "2", "--jobs", "1",
                               "--format", "json", "-o", str(out)])
    assert done.exit_code == 0, done.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["change_date"] == CHANGE and report["chosen_by"] == "given"
    assert {"kpi", "before", "after", "without", "with_scenario", "real_shift",
            "predicted_shift", "explained", "material", "missed"} <= set(report["rows"][0])
    page = tmp_path / "backtest.html"
    scenario.write_text(FASTER.replace("Faster approval", "<b>Faster</b> approval"),
                        encoding="utf-8")
    done = runner.invoke(app, ["backtest", str(log), "--scenario", str(scenario),
                               "--change-date", CHANGE, "--reps", "2", "--jobs", "1",
                               "--format", "html", "-o", str(page)])
    assert done.exit_code == 0, done.output
    text = page.read_text(encoding="utf-8")
    assert "Processing time of Approve" in text and "&lt;b&gt;Faster&lt;/b&gt;" in text
    assert "<b>Faster" not in text
    derived = runner.invoke(app, ["backtest", str(log), "--change-date", CHANGE, "--reps",
                                  "2", "--jobs", "1"])
    assert derived.exit_code == 0, derived.output
    assert "derived from the cases begun after the change" in derived.output
    assert "activity: Approve" in derived.output
    outside = runner.invoke(app, ["backtest", str(log), "--scenario", str(scenario),
                                  "--change-date", "2030-01-01"])
    assert outside.exit_code == 1 and "outside the log" in outside.output
    assert "--change-date in between" in outside.output
    for bad in ("", "soon"):
        wrong = runner.invoke(app, ["backtest", str(log), "--scenario", str(scenario),
                                    "--change-date", bad])
        assert wrong.exit_code == 1 and "is not a date" in wrong.output, wrong.output
        assert "Traceback" not in wrong.output
    assert "Traceback" not in derived.output + outside.output


def test_without_a_date_the_detected_change_is_used_or_its_absence_said(sample_log):
    """The bundled sample has no change in its process: the message asks for a date."""
    with pytest.raises(PlannerError, match=r"finds no change.*--change-date"):
        backtest(sample_log, parse_scenario(FASTER))


def test_the_change_is_derived_from_the_log_and_explains_the_shift():
    """No scenario given: the one derived from the cases begun after the change names the
    change that was made (approval work halved: a median ratio of 0.5, within 4 standard
    errors of the medians of ~800 gamma tasks a side, about 15%) and nothing else, and it
    explains the real shift as the hand-written scenario does."""
    derived = backtest(approvals(), None, CHANGE, reps=5, n_jobs=1)
    assert derived.derived
    changes = yaml.safe_load(derived.scenario_text)["changes"]
    assert len(changes) == 1 and changes[0]["duration"]["activity"] == "Approve", changes
    assert abs(np.log(changes[0]["duration"]["scale"] / 0.5)) < 0.15
    row = next(r for r in derived.rows if r.kpi == "processing_time:Approve")
    assert row.explained is not None and abs(row.explained.mean - 1) < 0.25, row.explained


def test_a_log_without_a_change_derives_no_scenario():
    """Before and after run alike: the message says nothing moved and how to give one."""
    with pytest.raises(PlannerError, match=r"run like those before.*--scenario"):
        derive_scenario(calibrate(approvals()).model, calibrate(approvals(seed=2)).model,
                        pd.Timestamp(CHANGE))


def test_an_injected_change_in_the_sample_is_recovered_and_predicted():
    """The bundled sample's process with e-signature contracts from month 12 (the wait for
    the signature 60% shorter): the scenario derived from the log is that change and only
    that (its scale within 4 standard errors of the two medians, a few hundred lognormal
    waits a side: about 25%), and with it the lead-to-cash KPIs of the after-period land
    inside the predicted intervals (widened by each KPI's practical threshold): every KPI
    the change moves (its predicted shift significant). One it does not move is the model's
    own error and the real periods' noise: quote approval, which the change does not touch,
    has a real median of 0.94 d before and 0.86 d after it, and the model 1.01 d ± 0.09
    (3 replications)."""
    change = ChangedDelay("Contract Signed", day=365, scale=0.4)
    log = generate(change=change)
    date = pd.Timestamp(truth.LOG_START) + pd.Timedelta(days=change.day)
    result = backtest(log, None, date, reps=3, n_jobs=1)
    changes = yaml.safe_load(result.scenario_text)["changes"]
    assert [list(c) for c in changes] == [["delay"]], changes
    assert changes[0]["delay"]["activity"] == "Contract Signed"
    assert abs(np.log(changes[0]["delay"]["scale"] / change.scale)) < 0.25
    headline = {row.kpi: row for row in result.rows if ":" not in row.kpi}
    assert headline["contract_time"].material
    moved = {k: row for k, row in headline.items()
             if row.predicted_shift.low > 0 or row.predicted_shift.high < 0}
    assert {"contract_time", "sales_cycle"} <= moved.keys()
    assert [k for k, row in moved.items() if row.missed] == []


def _with_new_step(model: ProcessModel, onward: dict[str, float]) -> ProcessModel:
    """``model`` with a new 'Legal Review' that takes half of the cases going from 'Quote
    Accepted' to 'Contract Signed', and sends them on as ``onward`` says."""
    routing = model.routing
    accepted = routing.branches["Quote Accepted"].pooled
    moved = {**accepted, "Contract Signed": accepted["Contract Signed"] - 0.5,
             "Legal Review": 0.5}
    branches = {**routing.branches,
                "Quote Accepted": routing.branches["Quote Accepted"].model_copy(
                    update={"pooled": moved}),
                "Legal Review": Branch(pooled=onward)}
    return model.model_copy(update={
        "activities": {**model.activities,
                       "Legal Review": model.activities["Contract Signed"]},
        "routing": routing.model_copy(update={"branches": branches})})


def test_a_step_new_since_the_change_is_read_through_to_what_follows_it(sample_model):
    """A scenario cannot add an activity: the chance a new step takes is read as going
    where its cases go next. A new step that leads to the same next step changes no
    transition (only the volume, changed on purpose, is derived); one that ends half its
    cases in a loss moves the chance of a loss by that half, and the derived scenario,
    applied, gives the after-period's chances. Read as "fewer contracts", the freed share
    went to the only other step, a loss: 0.58 instead of 0.33."""
    busier, _ = apply_scenario(sample_model, parse_scenario(
        "name: busier\nchanges:\n  - volume: {scale: 1.5}\n"))
    since = pd.Timestamp(truth.LOG_START)
    same = derive_scenario(sample_model, _with_new_step(busier, {"Contract Signed": 1.0}),
                           since)
    assert yaml.safe_load(same.text)["changes"] == [{"volume": {"scale": 1.5}}]
    after = _with_new_step(sample_model, {"Contract Signed": 0.5, "Opportunity Lost": 0.5})
    derived = derive_scenario(sample_model, after, since)
    kinds = [next(iter(c)) for c in yaml.safe_load(derived.text)["changes"]]
    assert kinds == ["transition"], derived.text
    changed, _ = apply_scenario(sample_model, derived)
    lost = sample_model.routing.branches["Quote Accepted"].pooled["Opportunity Lost"]
    predicted = changed.routing.branches["Quote Accepted"].pooled["Opportunity Lost"]
    assert predicted == pytest.approx(lost + 0.25, abs=0.005)  # 3 significant digits
