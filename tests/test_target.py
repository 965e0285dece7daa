"""Target setting: levers read off a model, goal seeks with known answers, the tornado table,
the cheapest combination, common random numbers, and ``l2c target``.

The models are built by hand so the answers are known: a chain of fixed delays (lead to cash
is exactly their sum), and a burst of quotes for one approver (the mean approval time is a
queue whose length is known for every number of approvers).
"""

from __future__ import annotations

import json
import math
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from scenarios.target import (
    Evaluator,
    Target,
    cheapest_combination,
    find_target,
    generate_levers,
    parse_change,
    plan_of,
    seek,
    split_relevant,
    tornado,
)
from sim.calendar import DAY, HOUR, WeekCalendar
from sim.distributions import Exponential, Fixed
from sim.errors import PlannerError
from sim.model import Branch, Pool, ProcessModel, Routing
from sim.run_length import RunLength
from tests.engine_models import (
    calendar_model,
    constant_arrivals,
    no_attributes,
    provenance,
    routing_model,
    staffed,
    system,
)
from ui.cli import app

CHAIN_DAYS = {"Opportunity Created": 2.0, "Quote Created": 8.0, "Contract Signed": 4.0,
              "Payment Received": 6.0}  # lead to cash: exactly 20 days
RUN: RunLength = {"cases": 5}


def chain(random: bool = False) -> ProcessModel:
    """Lead Created -> ... -> Payment Received, instant events after fixed (or exponential)
    delays on the wall clock."""
    names = ["Lead Created", *CHAIN_DAYS]
    activities = {"Lead Created": system()}
    for name, days in CHAIN_DAYS.items():
        delay = Exponential(scale=days * DAY) if random else Fixed(value=days * DAY)
        activities[name] = system(delay=delay)
    branches = {a: Branch(pooled={b: 1.0}) for a, b in pairwise(names)}
    return ProcessModel(name="chain", provenance=provenance(), arrivals=constant_arrivals(1.0),
                        attributes=no_attributes(), activities=activities,
                        routing=Routing(start={"Lead Created": 1.0}, branches=branches),
                        pools={})


def burst(approvers: int = 1) -> ProcessModel:
    """40 quotes arrive within about half an hour; each takes its approver exactly 1 h."""
    return ProcessModel(
        name="burst", provenance=provenance(), arrivals=constant_arrivals(100.0),
        attributes=no_attributes(),
        activities={"Quote Created": system(),
                    "Quote Approved": staffed("Approvers", Fixed(value=HOUR))},
        routing=Routing(start={"Quote Created": 1.0},
                        branches={"Quote Created": Branch(pooled={"Quote Approved": 1.0})}),
        pools={"Approvers": Pool(members=("Ann",), size=approvers,
                                 calendar=WeekCalendar.always())})


def evaluator(model: ProcessModel, kpi: str = "lead_to_cash", stat: str = "median",
              reps: int = 2, run: RunLength | None = None, seed: int = 1) -> Evaluator:
    return Evaluator(model, generate_levers(model).by_id, kpi, stat, reps, seed, n_jobs=1,
                     run=run or RUN)


def target_for(ev: Evaluator, change: float) -> Target:
    assert ev.baseline.mean is not None
    return Target(ev.kpi, ev.stat, change, ev.baseline.mean, ev.unit or "days")


# --- levers -------------------------------------------------------------------------------

def test_levers_are_read_off_the_model():
    ids = [lever.id for lever in generate_levers(chain()).levers]
    assert ids == ["delay:Contract Signed", "delay:Opportunity Created", "delay:Quote Created",
                   "payment"]  # payment waiting is the payment lever, not a delay lever
    burst_levers = generate_levers(burst()).by_id
    assert set(burst_levers) == {"duration:Quote Approved", "pool:Approvers",
                                 "automate:Quote Approved"}
    assert burst_levers["pool:Approvers"].integer
    assert burst_levers["pool:Approvers"].maximum == 5


def test_rework_loops_and_owner_pools():
    levers = generate_levers(routing_model()).by_id
    assert "rework:Review->Review" in levers  # the visit-conditioned self-loop
    owned = generate_levers(calendar_model(owners=("Ann", "Bob")))
    assert "pool:Office" not in owned.by_id
    assert any("own owner" in note for note in owned.skipped)


def test_unknown_lever_gets_did_you_mean():
    catalogue = generate_levers(chain())
    with pytest.raises(PlannerError, match="Did you mean 'delay:Quote Created'"):
        catalogue.find("delay:Quote Creatd")
    assert catalogue.find("quote created waiting").id == "delay:Quote Created"


def test_levers_outside_a_span_are_not_simulated():
    levers = generate_levers(chain()).levers
    relevant, outside = split_relevant(chain(), levers, "lead_to_opportunity")
    assert [lv.id for lv in relevant] == ["delay:Opportunity Created"]
    assert {lv.id for lv in outside} == {"delay:Quote Created", "delay:Contract Signed",
                                         "payment"}
    relevant, outside = split_relevant(chain(), levers, "win_rate")  # not a span: all count
    assert len(relevant) == len(levers) and not outside


def test_change_is_a_percentage():
    assert parse_change("-25%") == pytest.approx(-0.25)
    assert parse_change("+20%") == pytest.approx(0.2)
    assert parse_change("-0.25") == pytest.approx(-0.25)
    with pytest.raises(PlannerError, match="did you mean -25%"):
        parse_change("-25")


# --- goal seek ----------------------------------------------------------------------------

def test_goal_seek_finds_the_known_scale():
    """20 days to 15: the 8-day wait must lose 5 days, 62.5% of it."""
    ev = evaluator(chain())
    assert ev.baseline.mean == pytest.approx(20.0, abs=1e-4)
    lever = generate_levers(chain()).find("delay:Quote Created")
    found = seek(ev, lever, target_for(ev, -0.25))
    assert found.reachable and found.reached and found.confident
    assert 0.625 <= found.amount <= 0.625 + lever.tolerance
    assert found.evaluation.mean == pytest.approx(20 - 8 * found.amount, abs=1e-4)
    assert found.to_dict()["change"] == found.amount


def test_goal_seek_on_a_straight_response_needs_two_runs_after_the_extreme():
    """lead to cash = 20 - 8 x amount: the line through the bracket's ends lands on the
    answer at once (rounded up to the grid), and one run a step below confirms it."""
    ev = evaluator(chain())
    lever = generate_levers(chain()).find("delay:Quote Created")
    found = seek(ev, lever, target_for(ev, -0.25))
    assert [amount for amount, _ in found.trace] == [lever.maximum, 0.63, 0.62]


def test_goal_seek_on_a_noisy_response_ends_one_grid_step_above_a_miss():
    ev = evaluator(chain(random=True), reps=3, run={"cases": 30})
    lever = generate_levers(chain(random=True)).find("delay:Quote Created")
    target = target_for(ev, -0.2)
    found = seek(ev, lever, target)
    assert found.reached and found.amount is not None
    below = ev.evaluate(plan_of({lever.id: round(found.amount - lever.tolerance, 10)}))
    assert not target.reached(below.mean)


def test_unreachable_target_reports_the_most_the_lever_gives():
    ev = evaluator(chain())
    lever = generate_levers(chain()).find("delay:Opportunity Created")
    found = seek(ev, lever, target_for(ev, -0.25))
    assert not found.reachable and not found.reached and found.amount is None
    assert found.best_change == pytest.approx(-2 * 0.9 / 20, abs=1e-4)  # at most -9%
    assert found.to_dict()["reachable"] is False


def test_integer_lever_finds_the_smallest_number_of_people():
    """With c approvers the k-th quote (0-based) waits about floor(k/c) hours, then 1 h of
    work: the theory says how many approvers bring the mean down by 60%."""
    def theory(c: int) -> float:
        return sum(k // c for k in range(40)) / 40 + 1.0

    needed = next(c for c in range(1, 7) if theory(c) <= 0.4 * theory(1))
    ev = evaluator(burst(), kpi="quote_approval", stat="mean", run={"cases": 40})
    found = seek(ev, generate_levers(burst()).find("pool:Approvers"), target_for(ev, -0.6))
    assert found.amount == needed - 1 == 2
    assert [amount for amount, _ in found.trace] == [5.0, 1.0, 2.0]  # extreme, then a scan


def test_common_random_numbers_make_searches_repeatable():
    lever = generate_levers(chain(random=True)).find("delay:Quote Created")
    runs = []
    for _ in range(2):
        ev = evaluator(chain(random=True), reps=3, run={"cases": 30})
        runs.append(seek(ev, lever, target_for(ev, -0.2)))
    assert runs[0].amount == runs[1].amount
    assert runs[0].trace == runs[1].trace
    assert runs[0].evaluation.values == runs[1].evaluation.values


def test_evaluations_are_cached():
    ev = evaluator(chain())
    plan = plan_of({"delay:Quote Created": 0.5})
    first = ev.evaluate(plan)
    done = ev.runs_done
    assert ev.evaluate(plan) is first and ev.runs_done == done


def test_unknown_kpi_gets_did_you_mean():
    with pytest.raises(PlannerError, match="Did you mean 'lead_to_cash'"):
        evaluator(chain(), kpi="lead_to_csh").baseline  # noqa: B018


# --- tornado and combination --------------------------------------------------------------

def test_tornado_ranks_the_largest_effect_first():
    ev = evaluator(chain())
    rows = tornado(ev, list(generate_levers(chain()).levers))
    assert [r.lever.id for r in rows] == ["payment", "delay:Quote Created",
                                          "delay:Contract Signed", "delay:Opportunity Created"]
    assert [r.effect for r in rows] == pytest.approx([-6.0, -4.0, -2.0, -1.0], abs=1e-4)
    assert rows[0].to_dict()["step"] == "10 days sooner"


def test_combination_adds_levers_until_the_target_is_reached():
    """-57.5% (8.5 days): payment (-6 d) and half the quote wait (-4 d) are not enough; the
    contract wait closes the gap and is turned only as far as needed (37.5% of 4 days)."""
    ev = evaluator(chain())
    target = target_for(ev, -0.575)
    rows = tornado(ev, list(generate_levers(chain()).levers))
    combination = cheapest_combination(ev, rows, target)
    settings = {lever.id: amount for lever, amount in combination.settings}
    assert set(settings) == {"payment", "delay:Quote Created", "delay:Contract Signed"}
    assert settings["payment"] == 10 and settings["delay:Quote Created"] == 0.5
    assert 0.375 <= settings["delay:Contract Signed"] <= 0.385
    assert combination.reached and combination.confident and combination.reachable
    assert combination.cost == pytest.approx(2 + 2 + 4 * settings["delay:Contract Signed"])


def test_combination_says_when_even_the_extremes_fall_short():
    """At their extremes the delays keep 10% of 14 days: at most -93%."""
    ev = evaluator(chain())
    rows = tornado(ev, list(generate_levers(chain()).levers))
    combination = cheapest_combination(ev, rows, target_for(ev, -0.95))
    assert not combination.reachable and not combination.reached
    assert combination.evaluation.pct_change == pytest.approx(-(20 - 1.4) / 20, abs=1e-4)


def test_find_target_answers_one_question():
    """-22% (4.4 days): payment alone closes the gap, turned to the next half day."""
    report = find_target(chain(), "lead_to_cash", -0.22, replications=2, n_jobs=1, run=RUN)
    data = report.to_json()
    assert isinstance(data, dict)
    assert data["tornado"][0]["lever"] == "payment"
    assert all({"lever", "step", "value", "diff", "ci_low", "ci_high"} <= row.keys()
               for row in data["tornado"])
    assert {"kpi", "stat", "target", "baseline"} <= data.keys()
    assert data["combination"]["levers"] == [
        {"lever": "payment", "label": "payment days", "change": 4.5,
         "change_label": "4.5 days sooner", "cost": pytest.approx(0.9)}]
    assert math.isclose(data["target"], 20 * 0.78, abs_tol=1e-4)
    assert data["combination"]["reached"] is True


# --- the command --------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def model_path(tmp_path):
    return chain().save(tmp_path / "model.json")


def test_cli_goal_seek_json(model_path):
    result = runner.invoke(app, ["target", str(model_path), "--kpi", "lead_to_cash",
                                 "--change", "-25%", "--lever", "delay:Quote Created",
                                 "--cases", "5", "--reps", "2", "--jobs", "1",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)
    for key in ("kpi", "stat", "target", "baseline", "lever", "change", "value", "ci_low",
                "ci_high", "reached", "confident"):
        assert key in found
    assert found["lever"] == "delay:Quote Created" and found["reached"] is True
    assert 0.625 <= found["change"] <= 0.635


def test_cli_tables(model_path):
    result = runner.invoke(app, ["target", str(model_path), "--kpi", "lead_to_cash",
                                 "--change=-25%", "--cases", "5", "--reps", "2", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Sensitivity" in result.stdout and "Cheapest combination" in result.stdout
    assert "payment days" in result.stdout
    result = runner.invoke(app, ["target", str(model_path), "--kpi", "lead_to_cash",
                                 "--change", "-25%", "--lever", "delay:Opportunity Created",
                                 "--cases", "5", "--reps", "2", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "cannot reach" in result.stdout and "at most -9.0%" in result.stdout


def test_cli_plain_errors(model_path):
    result = runner.invoke(app, ["target", str(model_path), "--kpi", "lead_to_cash",
                                 "--change", "-25%", "--lever", "delay:Quote Creatd",
                                 "--cases", "5", "--jobs", "1"])
    assert result.exit_code == 1
    assert "Did you mean 'delay:Quote Created'" in result.output
    result = runner.invoke(app, ["target", str(model_path), "--list-levers"])
    assert result.exit_code == 0 and "delay:Quote Created" in result.stdout
