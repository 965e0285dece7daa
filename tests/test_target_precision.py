"""Target searches stop by the comparison's rule: each sensitivity row and each answer gets
replications until it is decided at the KPI's practical threshold, and says how many it took
and the precision it reached; the same seed gives the same answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from calibration.fidelity import history_run
from scenarios.target import Evaluator, Target, find_target, generate_levers, split_relevant
from scenarios.target.combine import TornadoRow, tornado
from scenarios.target.decide import effects_settled, target_replications, threshold
from sim.model import ProcessModel
from sim.precision import Replications
from sim.replication_cache import ReplicationCache
from tests.test_target import chain
from ui.cli import app

TOP = 5  # the rows a process owner reads first, and the greedy mix draws from


def _table(model: ProcessModel, plan: int | Replications, cache: ReplicationCache
           ) -> tuple[list[TornadoRow], float]:
    levers = generate_levers(model)
    relevant, _ = split_relevant(model, tuple(lv for lv in levers.levers if lv.controllable),
                                 "sales_cycle")
    evaluator = Evaluator(model, levers.by_id, "sales_cycle", "median", plan, 1,
                          run=history_run(model), store=cache)
    base = evaluator.baseline
    assert base.mean is not None
    target = Target("sales_cycle", "median", -0.25, base.mean, "days")
    return tornado(evaluator, relevant, effects_settled(target)), threshold(target)


def test_the_sensitivity_table_screens_levers_and_ranks_as_twenty_replications(
        sample_model, tmp_path):
    """Fewer replications than 5 per lever, and each of the top rows holds a lever whose
    effect by 20 replications is within the row's own stated precision plus the threshold
    of the effect the 20-replication table has in that place (levers closer than that are
    ties the table does not claim to order)."""
    cache = ReplicationCache(tmp_path)
    twenty, _ = _table(sample_model, 20, cache)
    rows, amount = _table(sample_model, target_replications(), cache)
    assert sum(r.evaluation.replications for r in rows) < 5 * len(rows)
    assert {r.evaluation.replications for r in rows} != {20}
    by_twenty = {r.lever.id: r.evaluation for r in twenty}
    for place, row in enumerate(rows[:TOP]):
        low, high = row.evaluation.diff_interval
        assert low is not None and high is not None
        stated = (high - low) / 2
        theirs = twenty[place].effect
        ours = by_twenty[row.lever.id].diff
        assert theirs is not None and ours is not None
        assert abs(ours - theirs) <= stated + amount, (place, row.lever.id,
                                                       twenty[place].lever.id)
    for row in rows:  # what the table calls clearly beyond the threshold, 20 call significant
        low, high = row.evaluation.diff_interval
        if low is not None and high is not None and (low > amount or high < -amount):
            t_low, t_high = by_twenty[row.lever.id].diff_interval
            assert t_low is not None and t_high is not None and (t_low > 0 or t_high < 0)


def test_a_target_answer_states_its_replications_and_precision(tmp_path, monkeypatch):
    monkeypatch.setenv("L2C_CACHE_DIR", str(tmp_path / "cache"))
    model = chain(random=True).save(tmp_path / "chain.json")
    args = ["target", str(model), "--kpi", "lead_to_cash", "--change=-20%", "--cases", "20",
            "--lever", "delay:Quote Created", "--jobs", "1", "--format", "json"]
    found = json.loads(CliRunner().invoke(app, args).stdout)[0]
    assert found["adaptive"] is True and found["replications"] == 8
    assert found["replications_run"] >= found["replications"] + 4  # the baseline and more
    assert {"precision", "threshold", "decided"} <= found.keys()
    assert found["precision"] > 0 and found["threshold"] > 0
    assert isinstance(found["decided"], bool)
    assert 4 <= found["replications_used"] <= 8
    table = CliRunner().invoke(app, args[:-2])
    assert table.exit_code == 0, table.output
    assert "Precision reached" in table.stdout and "replications in all" in table.stdout
    table_args = [a for a in args if a not in ("--lever", "delay:Quote Created")]
    rows = json.loads(CliRunner().invoke(app, table_args).stdout)["tornado"]
    assert all({"replications", "precision"} <= row.keys() for row in rows)
    fixed = json.loads(CliRunner().invoke(app, [*args, "--reps", "4"]).stdout)[0]
    assert fixed["adaptive"] is False and fixed["replications"] == 4


def test_the_same_seed_gives_the_same_adaptive_answer(tmp_path):
    model = chain(random=True)
    answers = [find_target(model, "lead_to_cash", -0.2, run={"cases": 20}, n_jobs=1,
                           seed=3).to_json() for _ in range(2)]
    assert answers[0] == answers[1]


def test_an_adaptive_answer_in_money_pairs_the_baseline_on_its_own_replications():
    """Settings decided on fewer replications than the baseline ran are priced against the
    baseline's same replications (the old pricing paired whole lists and failed)."""
    from sim.costs import Costs
    from tests.test_target import burst

    costs = Costs(currency="EUR", pools={"Approvers": 60.0})
    report = find_target(burst(), "quote_approval", -0.5, stat="mean",
                         levers=["pool:Approvers"], n_jobs=1, run={"cases": 40}, costs=costs)
    [found] = report.to_json()
    assert found["reached"] and found["replications_used"] < found["replications"]
    assert found["business_case"]["currency"] == "EUR"
    salary = 60 * 168 * 30.44 / 7
    assert found["cost"] == pytest.approx(found["change"] * salary)
