"""Replications until the answer is clear: the stopping rule, its plans, and the promise
that an adaptive stop never declares a difference a 20-replication run calls insignificant."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scenarios import library
from scenarios.apply import apply_scenario
from scenarios.comparison import Baseline, rerun, run_comparison, to_saved
from scenarios.load import load_scenario
from sim.compare import compare
from sim.errors import PlannerError
from sim.model import ProcessModel
from sim.precision import (
    LIMIT,
    Replications,
    decided,
    is_headline,
    parse_replications,
    undecided,
)
from sim.replication_cache import ReplicationCache
from sim.saved import SavedStore
from sim.study import BASELINE, run_study
from tests.engine_models import delay_chain, routing_model

RUN = {"days": 365.0, "warmup_days": 60.0}


def test_an_adaptive_plan_grows_in_batches_up_to_its_maximum():
    assert list(Replications(first=6, batch=4, maximum=16).batches()) == [6, 10, 14, 16]
    assert list(Replications(first=6, batch=4, maximum=4).batches()) == [4]
    assert list(Replications(fixed=7).batches()) == [7]


def test_reps_reads_auto_or_a_count_and_names_a_bad_value():
    assert parse_replications("auto", maximum=12) == Replications(maximum=12)
    assert parse_replications("20") == Replications(fixed=20)
    for bad in ("0", "many", f"{LIMIT + 1}", "-3"):
        with pytest.raises(PlannerError, match=f"--reps '{bad}'.*auto"):
            parse_replications(bad)
    with pytest.raises(PlannerError, match="maximum must be a whole number"):
        Replications(maximum=0)


@pytest.mark.parametrize(("low", "high", "threshold", "expected"), [
    (0.9, 1.1, 0.5, True),  # narrower than the threshold: precise enough to read
    (0.0, 1.8, 1.0, True),  # ±0.9 against a threshold of 1.0
    (0.0, 2.2, 1.0, False),  # ±1.1: could be either side of the threshold
    (2.0, 9.0, 1.0, True),  # wholly beyond it: clearly material
    (-9.0, -2.0, 1.0, True),
    (-0.8, 0.9, 1.0, True),  # wholly inside it: clearly not material
    (-0.5, 3.0, 1.0, False),  # could be either
    (0.5, 3.0, 1.0, False),  # significant, but material or not is open
    (None, None, 1.0, True),  # not measured: nothing to wait for
])
def test_a_difference_is_decided_by_its_interval_and_threshold(low, high, threshold,
                                                               expected):
    assert decided(low, high, threshold) is expected


def test_an_adaptive_study_is_a_fixed_run_of_the_replications_it_used():
    model, run = routing_model(), {"days": 60.0}
    plan = Replications(first=3, batch=2, maximum=9)
    adaptive = run_study(model, [("Same", model)], plan, seed=4, n_jobs=1, run=run)
    again = run_study(model, [("Same", model)], plan, seed=4, n_jobs=1, run=run)
    fixed = run_study(model, [("Same", model)], adaptive.replications, seed=4, n_jobs=1,
                      run=run)
    assert adaptive.differences == again.differences  # same seed, same answer
    assert adaptive.differences == fixed.differences
    assert adaptive.replications == 3  # nothing changed: every difference is exactly zero
    assert not adaptive.undecided


def test_a_study_on_two_workers_decides_as_one_process_does():
    """Replications finish in any order on the workers' queue, and each scenario is decided
    as soon as its own batch is in: the counts and numbers are those of one process."""
    base, run = delay_chain(), {"days": 30.0}
    members = [("Busier", delay_chain(2.6)), ("Quieter", delay_chain(1.4)),
               ("Same", delay_chain())]
    plan = Replications(first=3, batch=2, maximum=9)
    one = run_study(base, members, plan, seed=2, n_jobs=1, run=run,
                    cache=ReplicationCache(None))
    two = run_study(base, members, plan, seed=2, n_jobs=2, run=run,
                    cache=ReplicationCache(None))
    assert len(set(one.counts.values())) == 3  # the scenarios stop at different looks
    assert two.counts == one.counts and two.differences == one.differences
    assert repr(two.per_rep) == repr(one.per_rep)  # every KPI of every run (NaN != NaN)


def test_each_scenario_stops_on_its_own_and_never_declares_what_twenty_call_insignificant(
        sample_model, tmp_path):
    """The whole library in one study, as ``l2c compare`` runs it: each scenario stops at
    the first look at which its own headline differences are decided (or at the cap), the
    baseline runs as far as the slowest, every material headline difference at a scenario's
    stop is significant with 20 replications, and a saved comparison re-runs each scenario
    to its own count and the same numbers."""
    model = ProcessModel.from_json(sample_model.to_json())  # as a saved comparison keeps it
    plan = Replications(maximum=20)
    looks = list(plan.batches())
    members = [(s.name, apply_scenario(model, s)[0]) for s in map(load_scenario, library())]
    twenty = run_study(model, members, 20, seed=1, run=RUN)
    comparison = run_comparison(Baseline(model), library(), plan, seed=1, run=RUN)
    adaptive = comparison.study
    assert adaptive.replications == max(adaptive.counts[name] for name, _ in members)
    reference = {(d.scenario, d.kpi, d.group): d for d in twenty.differences}
    base, checked = twenty.per_rep[BASELINE], 0
    for name, _ in members:
        used, own = adaptive.counts[name], twenty.per_rep[name]
        assert used in looks and len(adaptive.per_rep[name]) == used
        for earlier in looks[:looks.index(used)]:  # it stopped at its first decided look
            assert undecided(compare(name, base[:earlier], own[:earlier])), (name, earlier)
        at_stop = compare(name, base[:used], own[:used])  # a fixed run of its own count
        assert at_stop == [d for d in adaptive.differences if d.scenario == name]
        assert used == looks[-1] or not undecided(at_stop), name
        for d in at_stop:
            if is_headline(d) and d.material:
                checked += 1
                assert reference[d.scenario, d.kpi, d.group].significant, (name, d)
    assert checked >= len(members)  # every scenario moves something that matters
    store = SavedStore(tmp_path / "saved.sqlite")
    store.save(to_saved(comparison, "library"))
    again = rerun(store.load("library"))
    assert again.counts == adaptive.counts and again.differences == adaptive.differences


def test_cli_compare_reports_the_replications_used_and_the_precision_reached(
        tmp_path, sample_model):
    import json

    from typer.testing import CliRunner

    from scenarios import LIBRARY
    from ui.cli import app

    model = sample_model.save(tmp_path / "model.json")
    args = ["compare", str(model), str(LIBRARY / "stricter_collection.yaml"), "--cases", "300",
            "--max-reps", "8"]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "replications: every headline KPI decided" in table.stdout \
        or "not decided at the threshold" in table.stdout
    rows = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    used = {r["replications"] for r in rows if r["group"] is None and r["replications"]}
    assert len(used) == 1 and 2 <= used.pop() <= 8
    assert all({"precision", "decided"} <= r.keys() for r in rows)
    page = CliRunner().invoke(app, [*args, "--format", "html", "-o", str(tmp_path / "r.html")])
    assert page.exit_code == 0 and "<dt>Precision</dt>" in (tmp_path / "r.html").read_text()
    bad = CliRunner().invoke(app, [*args, "--reps", "lots"])
    assert bad.exit_code == 1 and "--reps 'lots'" in bad.output and "auto" in bad.output


def test_the_precision_sentence_names_what_is_still_undecided():
    from sim.compare import Difference
    from ui.precision_text import precision_summary

    row = Difference.from_dict({"scenario": "Automated invoicing", "kpi": "payment_days",
                                "unit": "days", "group": None, "replications": 30,
                                "precision": 0.42, "threshold": 0.35, "decided": False})
    text = precision_summary([row, replace(row, kpi="win_rate", decided=True)])
    assert text == ("30 replications: 1 headline KPI not decided at the threshold: "
                    "Automated invoicing: Payment days ±0.420 d (threshold 0.350 d)")
    assert "請求の自動化 の 入金日数 (±0.420 日、しきい値 0.350 日)" in precision_summary(
        [row], japanese=True)
    assert precision_summary([replace(row, decided=True)]).endswith(
        "every headline KPI decided at its practical threshold")
    assert precision_summary([replace(row, decided=None)]) == ""
    apart = [replace(row, decided=True, replications=20),
             replace(row, scenario="Quote approval 50% faster", decided=True, replications=6)]
    assert precision_summary(apart) == (
        "6–20 replications (Automated invoicing 20, Quote approval 50% faster 6): every "
        "headline KPI decided at its practical threshold")
    assert precision_summary(apart, japanese=True).startswith("反復 6–20 回 (請求の自動化 20 回、")
