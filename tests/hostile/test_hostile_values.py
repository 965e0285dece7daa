"""Numbers out of range in scenario files, model files and options: a message, no traceback.

The command line is run for one case of each kind; the other values of a kind go through
the same check, tested in-process (fast).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.apply import apply_scenario
from scenarios.load import parse_scenario
from sim import bounds
from sim.errors import PlannerError
from sim.model import ProcessModel
from tests.hostile.cli import invoke_l2c, run_l2c


def _scenario(folder: Path, change: str) -> Path:
    path = folder / "hostile.yaml"
    path.write_text(f"name: Hostile\nchanges:\n  - {change}\n", encoding="utf-8")
    return path


def _model(folder: Path, name: str, rate: float | None = None,
           trend: float | None = None) -> Path:
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    if rate is not None:
        model["arrivals"]["hourly_rate"][0][10] = rate
    if trend is not None:
        model["arrivals"]["trend_per_month"] = trend
    (folder / name).write_text(json.dumps(model), encoding="utf-8")
    return folder / name


def test_scenario_scale_1e308(workdir: Path) -> None:
    scenario = _scenario(workdir, "duration: {activity: Quote Approved, scale: 1e308}")
    invoke_l2c("compare", "model.json", scenario, "--reps", "2", "--days", "30", cwd=workdir,
               label="scenario duration scale 1e308").assert_clear_error(
        "hostile.yaml: changes[0].duration.scale: Input should be less than or equal to 1000")


@pytest.mark.parametrize(("change", "message"), [
    ("delay: {activity: Quote Approved, scale: .nan}", "delay.scale: Input should be a finite"),
    ("volume: {scale: 1.0e+300}", "volume.scale: Input should be less than or equal to 100"),
    ("mix: {attribute: lead_source, shares: {Web: .nan}}", "mix.shares.Web"),
    ("duration: {activity: Quote Approved, shift: 99999999 days}",
     "shift: '99999999 days' is more than 3652.5 days"),
    ("pool: {name: Approvers, size: 1000000000000}", "pool.size: Input should be less than"),
    ("payment: {days: .inf}", "payment.days"),
    ("win: {loss_scale: 1.0e+9}", "win.loss_scale"),
])
def test_scenario_value_out_of_range(change: str, message: str) -> None:
    with pytest.raises(PlannerError, match=r"hostile\.yaml: changes") as caught:
        parse_scenario(f"name: Hostile\nchanges:\n  - {change}\n", "hostile.yaml")
    assert message in str(caught.value)


def test_scenario_that_makes_too_many_arrivals(workdir: Path) -> None:
    busy = ProcessModel.load(_model(workdir, "busy.json", rate=500.0))
    scenario = parse_scenario("name: More\nchanges:\n  - volume: {scale: 100}\n", "more.yaml")
    with pytest.raises(PlannerError) as caught:
        apply_scenario(busy, scenario)
    message = str(caught.value)
    assert "more.yaml: the changed model cannot be simulated as it is" in message
    assert "hourly_rate[0][10]: 5e+04 new cases in one hour" in message
    assert "Correct the scenario's changes" in message


def test_scenario_that_makes_a_loop_no_case_leaves(workdir: Path) -> None:
    scenario = workdir / "loop.yaml"
    scenario.write_text("name: Loop\nchanges:\n"
                        "  - transition: {from: Quote Approved, to: Quote Created, "
                        "probability: 1}\n"
                        "  - transition: {from: Quote Created, to: Quote Approved, "
                        "probability: 1}\n", encoding="utf-8")
    run = run_l2c("compare", "model.json", scenario, "--reps", "2", "--days", "30",
                  cwd=workdir, label="scenario routing loop with probability 1")
    run.assert_clear_error("a case that reaches 'Quote Approved', 'Quote Created' never ends",
                           "a loop with probability 1")


def test_model_arrival_rate_1e9(workdir: Path) -> None:
    bad = _model(workdir, "bad.json", rate=1e9)
    run = run_l2c("compare", bad, _scenario(workdir, "volume: {scale: 2}"), "--days", "30",
                  cwd=workdir, label="compare model arrival rate 1e9/h")
    run.assert_clear_error("bad.json cannot be simulated as it is", "arrivals.hourly_rate[0][10]: "
                           "1e+09 new cases in one hour, over the limit of 10,000")


def test_model_arrival_rate_nan(workdir: Path) -> None:
    model = ProcessModel.load(_model(workdir, "bad.json", rate=float("nan")))
    with pytest.raises(PlannerError, match=r"hourly_rate\[0\]\[10\]: not a finite number"):
        bounds.check_model(model, "bad.json")


def test_model_trend_out_of_range(workdir: Path) -> None:
    model = ProcessModel.load(_model(workdir, "bad.json", trend=5.0))
    with pytest.raises(PlannerError, match=r"trend_per_month: 5 is over the limit"):
        bounds.check_model(model, "bad.json")


def test_run_option_out_of_range() -> None:
    with pytest.raises(PlannerError, match="--days must be between 0 and 36,525"):
        bounds.check_run(None, 1e9, 0.0)


@pytest.mark.parametrize(("cases", "reps", "message"), [
    (10**11, 1, "--cases must be between 1 and 10,000,000"),
    (None, 10**6, "--reps must be between 1 and 1000"),
])
def test_run_options_checked(cases: int | None, reps: int, message: str) -> None:
    with pytest.raises(PlannerError, match=message):
        bounds.check_run(cases, None, 0.0)
        bounds.check_reps(reps)
