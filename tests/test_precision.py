"""Replications until the answer is clear: the stopping rule, its plans, and the promise
that an adaptive stop never declares a difference a 20-replication run calls insignificant."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scenarios import library
from scenarios.apply import apply_scenario
from scenarios.load import load_scenario
from sim.errors import PlannerError
from sim.precision import LIMIT, Replications, decided, is_headline, parse_replications
from sim.study import run_study
from tests.engine_models import routing_model

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


def test_the_adaptive_stop_never_declares_what_twenty_replications_call_insignificant(
        sample_model):
    """Over the whole library, one scenario at a time (the early stops are the risky ones):
    every material headline difference at the adaptive stop is significant with 20."""
    checked = 0
    for path in library():
        scenario = load_scenario(path)
        members = [(scenario.name, apply_scenario(sample_model, scenario)[0])]
        twenty = run_study(sample_model, members, 20, seed=1, run=RUN)
        adaptive = run_study(sample_model, members, Replications(maximum=20), seed=1, run=RUN)
        assert 2 <= adaptive.replications <= 20
        reference = {(d.kpi, d.group): d for d in twenty.differences}
        for d in adaptive.differences:
            if is_headline(d) and d.material:
                checked += 1
                assert reference[d.kpi, d.group].significant, (scenario.name, d)
    assert checked >= len(library())  # every scenario moves something that matters


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
