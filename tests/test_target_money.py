"""Targets a process owner can act on: the customer's own waits are not levers unless the
user says so, levers and answers in money given a costs file, and how sure an answer is.

The models are built by hand so the sums are known: a chain of fixed delays (lead to cash is
exactly their sum) where Contract Signed is the customer's, and a burst of quotes for one
approver where every approval takes exactly one hour (so extra people change no hours).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from scenarios.target import Target, find_target, generate_levers
from scenarios.target.confidence import MAX_SUGGESTED, confidence, more_replications
from scenarios.target.control import with_control
from scenarios.target.evaluate import Evaluation
from scenarios.target.money import HORIZON, MoneyPricing, hours_per_month
from scenarios.target.run import COMBINATION
from sim.costs import ChangeCost, Costs
from sim.errors import PlannerError
from sim.model import Activity, ProcessModel
from tests.test_target import RUN, burst, chain
from ui.cli import app

runner = CliRunner()


def customer_chain() -> ProcessModel:
    """The chain with Contract Signed and Payment Received done by the customer."""
    model = chain()
    activities = dict(model.activities)
    for name in ("Contract Signed", "Payment Received"):
        activities[name] = Activity(kind="customer", delay=activities[name].delay,
                                    resource="Customer")
    return model.model_copy(update={"activities": activities})


# --- controllable levers ------------------------------------------------------------------

def test_the_customers_own_waits_are_not_levers_by_default():
    levers = generate_levers(customer_chain()).by_id
    assert not levers["delay:Contract Signed"].controllable
    assert not levers["payment"].controllable  # the customer pays
    assert levers["delay:Quote Created"].controllable
    assert all(lever.controllable for lever in generate_levers(chain()).levers)


def test_the_user_says_which_levers_are_theirs():
    catalogue = generate_levers(customer_chain())
    changed = with_control(catalogue, ["Contract Signed waiting"], ["delay:Quote Created"])
    assert changed.by_id["delay:Contract Signed"].controllable
    assert not changed.by_id["delay:Quote Created"].controllable
    with pytest.raises(PlannerError, match="Did you mean 'delay:Contract Signed'"):
        with_control(catalogue, ["delay:Contract Signd"])
    with pytest.raises(PlannerError, match="both as controllable and as not"):
        with_control(catalogue, ["payment"], ["payment days"])


def test_a_target_proposes_only_controllable_levers():
    # Lead to cash 20 d, -25% = 5 d. Contract Signed (4 d) and payment (6 d) are the
    # customer's, and Opportunity Created's wait comes before the KPI starts: Quote Created
    # (8 d) is the one lever left, and 62.5% shorter reaches the target.
    report = find_target(customer_chain(), "lead_to_cash", -0.25, replications=2, n_jobs=1,
                         run=RUN)
    assert [row.lever.id for row in report.rows] == ["delay:Quote Created"]
    assert {lv.id for lv in report.uncontrolled} == {"delay:Contract Signed", "payment"}
    assert report.combination is not None and report.combination.reached
    [(lever, amount)] = report.combination.settings
    assert lever.id == "delay:Quote Created" and amount == pytest.approx(0.63, abs=0.006)
    found = report.to_json()
    assert isinstance(found, dict)
    assert [x["lever"] for x in found["not_controllable"]] == ["delay:Contract Signed",
                                                               "payment"]
    assert found["not_controllable"][0]["why"] == "the customer's own wait"
    again = find_target(customer_chain(), "lead_to_cash", -0.25, replications=2, n_jobs=1,
                        run=RUN, controllable=["payment"])
    assert "payment" in {row.lever.id for row in again.rows}


# --- money --------------------------------------------------------------------------------

def test_people_cost_their_pools_hours_and_priced_levers_their_price():
    model = burst()  # Approvers work around the clock: 168 h a week
    costs = Costs(currency="EUR", pools={"Approvers": 60.0},
                  levers={"automate Quote Approved": ChangeCost(monthly=500, one_off=12000)})
    catalogue = generate_levers(model)
    pricing = MoneyPricing(costs, model, catalogue)
    month = 168 * 30.44 / 7
    assert hours_per_month(model, "Approvers") == pytest.approx(month)
    pool = catalogue.by_id["pool:Approvers"]
    assert pricing.fixed(pool, 2.0).monthly == pytest.approx(2 * 60 * month)
    automate = catalogue.by_id["automate:Quote Approved"]
    assert pricing.lever_cost(automate, 1.0) == pytest.approx(500 + 12000 / HORIZON)
    work = catalogue.by_id["duration:Quote Approved"]  # no price: the simulation's only
    assert pricing.fixed(work, 0.5) == ChangeCost() and not pricing.priced(work)
    halves = MoneyPricing(Costs(levers={"duration:Quote Approved": ChangeCost(monthly=1000)}),
                          model, catalogue)
    assert halves.fixed(work, 0.25).monthly == pytest.approx(500)  # half the standard step


def test_a_costs_file_that_names_no_lever_or_pool_is_refused():
    model, catalogue = burst(), generate_levers(burst())
    with pytest.raises(PlannerError, match=r"levers: No lever 'pool:Aprovers'.*Did you mean"):
        MoneyPricing(Costs(levers={"pool:Aprovers": ChangeCost(monthly=1)}), model, catalogue)
    with pytest.raises(PlannerError, match=r"no pool 'Approver'.*Did you mean 'Approvers'"):
        MoneyPricing(Costs(pools={"Approver": 10}), model, catalogue)


def test_a_goal_seek_in_money_is_the_salary_of_the_people_it_adds():
    # Every approval takes exactly 1 h whoever does it, so people added change no staff
    # hours: the cost is their salary alone, and the business case shows it as fixed cost.
    model = burst()
    costs = Costs(currency="EUR", pools={"Approvers": 60.0})
    report = find_target(model, "quote_approval", -0.5, stat="mean", levers=["pool:Approvers"],
                         replications=2, n_jobs=1, run={"cases": 40}, costs=costs)
    [found] = report.to_json()
    assert found["reached"] and found["change"] >= 1
    salary = 60 * 168 * 30.44 / 7
    assert found["cost"] == pytest.approx(found["change"] * salary)
    assert found["cost_unit"] == "EUR per month"
    lines = {line["measure"]: line for line in found["business_case"]["lines"]}
    assert lines["staff_cost"]["diff"] == pytest.approx(0.0, abs=1e-6)
    assert lines["fixed_cost"]["diff"] == pytest.approx(found["change"] * salary)


# --- confidence ---------------------------------------------------------------------------

def test_confidence_and_the_replications_that_would_make_it_sure():
    target = Target("lead_to_cash", "median", -0.25, 20.0)  # level 15
    values = (14.0, 14.5, 15.2)
    found = Evaluation((), values, (20.0, 20.0, 20.0))
    mean, sd = np.mean(values), np.std(values, ddof=1)
    expected = stats.t.cdf((15 - mean) / (sd / math.sqrt(3)), 2)
    assert confidence(found, target) == pytest.approx(expected)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert more_replications(found, target) == min(MAX_SUGGESTED, math.ceil(
        3 * (half / (15 - mean)) ** 2))
    sure = Evaluation((), (14.0, 14.01, 14.02), (20.0,) * 3)
    assert more_replications(sure, target) is None and confidence(sure, target) > 0.999
    missed = Evaluation((), (16.0, 16.5, 17.0), (20.0,) * 3)
    assert more_replications(missed, target) is None and confidence(missed, target) < 0.05


# --- the command --------------------------------------------------------------------------

@pytest.fixture
def customer_model(tmp_path):
    return customer_chain().save(tmp_path / "model.json")


def test_cli_target_in_money_with_the_customers_waits_left_out(customer_model, tmp_path):
    costs = tmp_path / "costs.yaml"
    costs.write_text("currency: EUR\nlevers:\n  delay:Quote Created: {monthly: 800}\n"
                     "  Opportunity Created waiting: {monthly: 100, one_off: 1200}\n",
                     encoding="utf-8")
    args = ["target", str(customer_model), "--kpi", "lead_to_cash", "--change=-25%",
            "--cases", "5", "--reps", "2", "--jobs", "1", "--costs", str(costs)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["cost_unit"] == "EUR per month"
    mix = found["combination"]
    assert mix["reached"] and mix["business_case"]["currency"] == "EUR"
    # 5 days of 20 must go: Quote Created's 8 days 62.5% (63% on the grid) shorter, at 800
    # per 50% step.
    assert [x["lever"] for x in mix["levers"]] == ["delay:Quote Created"]
    assert mix["cost"] == pytest.approx(800 * mix["levers"][0]["change"] / 0.5)
    assert "confidence" in mix and "more_replications" in mix
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "EUR/month" in result.stdout and "Not levers here: Contract Signed waiting" in (
        result.stdout)
    assert "Proposal business case vs Baseline" in result.stdout


def test_cli_target_names_what_is_wrong(customer_model, tmp_path):
    costs = tmp_path / "costs.yaml"
    costs.write_text("levers:\n  delay:Quote Creatd: {monthly: 800}\n", encoding="utf-8")
    result = runner.invoke(app, ["target", str(customer_model), "--kpi", "lead_to_cash",
                                 "--change=-25%", "--costs", str(costs)])
    assert result.exit_code == 1
    assert "levers: No lever 'delay:Quote Creatd'" in result.output
    assert "Did you mean 'delay:Quote Created'" in result.output
    result = runner.invoke(app, ["target", str(customer_model), "--list-levers",
                                 "--controllable", "Contract Signed waitin"])
    assert result.exit_code == 1 and "Did you mean" in result.output
    result = runner.invoke(app, ["target", str(customer_model), "--list-levers"])
    assert result.exit_code == 0 and "the customer's own wait" in result.stdout
    assert not any(word in result.output for word in ("Traceback", "Error:"))


def test_the_sample_costs_file_prices_the_samples_levers(sample_model):
    from scenarios import LIBRARY
    from scenarios.costs_file import read_costs

    costs = read_costs(LIBRARY / "costs" / "sample_costs.yaml")[0]
    pricing = MoneyPricing(costs, sample_model, generate_levers(sample_model))
    assert set(pricing.prices) == set(costs.levers)
    assert COMBINATION == "combination"
