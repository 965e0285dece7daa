"""``l2c evaluate``: the holdout split, the noise floor, a model against itself, the CLI.

The logs are simulated from the hand-built model of the sample's true process
(``tests.engine_models.l2c_model``) over a few months, so every test stays fast.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from calibration.evaluate import evaluate_model, split_log
from calibration.evaluate.distances import (
    MEASURE_KEYS,
    distance_frame,
    log_distances,
    noise_floor,
)
from calibration.evaluate.recent_past import recent_past
from calibration.evaluate.window import comparison_window
from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.writers import write_log
from sim.engine import simulate
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, OUTCOME, RESOURCE, START, EventLog
from tests.engine_models import l2c_model
from ui.cli import app
from ui.render_evaluate import html_report, print_report

runner = CliRunner()
SPLIT = pd.Timestamp("2024-05-01")
NEW = "Brand New Step"


@pytest.fixture(scope="module")
def model():
    return l2c_model()


@pytest.fixture(scope="module")
def real_path(model, tmp_path_factory):
    """A 'real' log: the true model simulated for 200 days, written as CSV."""
    run = simulate(model, days=200, start="2024-01-01", warmup_days=60, seed=11)
    return write_log(run.log, tmp_path_factory.mktemp("real") / "real.csv")


@pytest.fixture(scope="module")
def real(real_path) -> EventLog:
    return read_log(real_path).require_log()


@pytest.fixture(scope="module")
def new_step_path(real, tmp_path_factory):
    """The same log where every case begun after SPLIT ends with an activity never seen
    before it."""
    events = real.events
    starts = events.groupby(CASE_ID)[START].min()
    late = starts.index[starts >= SPLIT]
    last = events[events[CASE_ID].isin(late)].groupby(CASE_ID)[END].max()
    added = pd.DataFrame({CASE_ID: last.index, ACTIVITY: NEW,
                          START: last.to_numpy() + pd.Timedelta(days=2),
                          END: last.to_numpy() + pd.Timedelta(days=2, hours=1),
                          RESOURCE: "Auditor"})
    log = EventLog(events=pd.concat([events, added], ignore_index=True), cases=real.cases,
                   name="new step")
    return write_log(log, tmp_path_factory.mktemp("new") / "new_step.csv")


def test_the_split_never_lets_the_test_period_into_calibration(new_step_path):
    log = read_log(new_step_path).require_log()
    holdout = split_log(log, split_date=SPLIT)
    train = holdout.train.events
    starts = train.groupby(CASE_ID)[START].min()
    assert (starts < SPLIT).all()
    assert (train[END] <= SPLIT).all()  # nothing that happened after the split
    assert NEW not in set(train[ACTIVITY])
    assert holdout.train_cases + holdout.test_cases == log.n_cases
    # A case still open at the split date has no known outcome yet.
    cut = set(log.events.loc[log.events[END] > SPLIT, CASE_ID]) & set(starts.index)
    assert cut and holdout.train.cases.loc[list(cut), OUTCOME].isna().all()

    model = calibrate(holdout.train).model
    assert NEW not in model.activities and "Auditor" not in model.pools
    assert pd.Timestamp(model.provenance.period_end) <= SPLIT
    assert model.provenance.cases == holdout.train.n_cases <= holdout.train_cases


def test_a_share_splits_by_case_start(real):
    holdout = split_log(real, split=0.6)
    assert holdout.split_date == holdout.split_date.normalize()
    assert abs(holdout.train_share - 0.6) < 0.02


def test_distances_of_a_log_with_itself_are_zero(real):
    frame = distance_frame(real)
    assert log_distances(frame, frame) == dict.fromkeys(MEASURE_KEYS, 0.0)


def test_the_noise_floor_of_identical_halves_is_zero():
    """Every case the same trace at the same times: any two halves are identical."""
    rows = []
    for case in range(40):
        for step, activity in enumerate(("A", "B", "C")):
            at = pd.Timestamp("2024-03-04 09:00") + pd.Timedelta(hours=3 * step)
            rows.append({CASE_ID: f"C{case}", ACTIVITY: activity, START: at,
                         END: at + pd.Timedelta(hours=1), RESOURCE: "R"})
    log = EventLog(events=pd.DataFrame(rows), cases=pd.DataFrame(index=[]))
    floor = noise_floor(distance_frame(log), splits=2)
    assert floor == pytest.approx(dict.fromkeys(MEASURE_KEYS, 0.0), abs=1e-12)


@pytest.fixture(scope="module")
def self_report(model, real):
    """The true model evaluated against a log it simulated itself (another seed)."""
    return evaluate_model(real, model, split_date=SPLIT, reps=3, seed=5, n_jobs=1)


def test_a_model_against_its_own_simulation_lands_within_its_noise_floor(self_report):
    for row in self_report.distances:
        assert row.noise_floor > 0, row
        assert row.ratio is not None and row.ratio <= 3.0, row
    reproduced = self_report.reproduced / len(self_report.kpis)
    assert reproduced >= 0.85, [r for r in self_report.kpis if not r.reproduced]
    assert self_report.split["compared_real_cases"] > 100


def test_a_process_that_did_not_change_is_as_near_its_recent_past_as_its_noise_floor(
        self_report):
    """The weeks before the split, repeated, are another sample of the same process."""
    for row in self_report.distances:
        assert row.recent_past is not None, row
        assert row.recent_past <= 3.0 * row.noise_floor, row
    head = self_report.headline()
    assert head["distances_with_recent_past"] == len(self_report.distances)
    assert head["distances_within_recent_past"] == sum(
        row.value <= row.recent_past for row in self_report.distances)
    assert "no farther than the recent past" in self_report.headline_text()[0]
    # the median of the 210 compared cases has a standard error of 8% (bootstrap), the
    # difference of two such medians 11.5%: three of those allowed
    median = self_report.cycle_time["real_median"]
    assert abs(self_report.cycle_time["recent_past_median"] / median - 1) < 0.35


def test_the_recent_past_is_whole_weeks_before_the_split_moved_onto_the_window(real):
    holdout = split_log(real, split_date=SPLIT)
    window = comparison_window(holdout)
    past = recent_past(real, window.start, window.finish_by, window.end)
    assert past is not None
    shift = pd.Timedelta(weeks=int(np.ceil(window.days / 7)))
    original = real.events.set_index([CASE_ID, ACTIVITY, END])
    moved = past.events.assign(**{END: past.events[END] - shift})
    assert moved.set_index([CASE_ID, ACTIVITY, END]).index.isin(original.index).all()
    starts = past.events.groupby(CASE_ID)[START].min()
    assert starts.min() >= window.start and starts.max() <= window.finish_by
    assert past.events[START].max() <= window.end
    too_early = real.events[START].min() + pd.Timedelta(days=1)
    assert recent_past(real, too_early, window.finish_by, window.end) is None


def test_the_report_says_how_it_compared(self_report):
    split = self_report.split
    assert split["date"].startswith("2024-05-01")
    assert pd.Timestamp(split["finish_by"]) < pd.Timestamp(split["test_end"])
    assert self_report.warmup_days >= 30
    assert "warm-up" in self_report.method and "had time to finish" in self_report.method
    head = self_report.headline()
    assert head["kpis_compared"] == len(self_report.kpis)
    assert self_report.headline_text()[0].startswith("Holdout test")


def test_table_and_html_render(self_report):
    console = Console(file=io.StringIO(), width=120)
    print_report(console, self_report)
    text = console.file.getvalue()
    assert "noise floor" in text and "KPIs reproduced" in text
    page = html_report(self_report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "Cycle time distribution distance" in page


def test_cli_json_has_the_stable_keys_and_names_the_new_step(new_step_path, tmp_path):
    output = tmp_path / "report.json"
    result = runner.invoke(app, ["evaluate", str(new_step_path), "--split-date", "2024-05-01",
                                 "--reps", "2", "--jobs", "1", "--no-tune", "--format", "json",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    report = json.loads(output.read_text(encoding="utf-8"))
    assert {"split", "warmup_days", "kpis", "distances", "findings"} <= set(report)
    assert report["split"]["date"].startswith("2024-05-01")
    assert pd.Timestamp(report["split"]["model_period_end"]) <= SPLIT
    assert {"kpi", "real", "simulated", "ci_low", "ci_high", "error", "inside"} <= set(
        report["kpis"][0])
    assert [d["metric"] for d in report["distances"]] == list(MEASURE_KEYS)
    for d in report["distances"]:
        assert {"metric", "value", "noise_floor", "ratio", "recent_past"} <= set(d)
        assert np.isclose(d["ratio"], d["value"] / d["noise_floor"])
    n_gram = report["distances"][list(MEASURE_KEYS).index("n_gram_distribution")]
    assert n_gram["recent_past"] > 2 * n_gram["noise_floor"]  # the step came after the split
    assert not any(NEW in k["kpi"] for k in report["kpis"])  # never learned, never simulated
    assert any(NEW in finding for finding in report["findings"]), report["findings"]


@pytest.mark.parametrize(("args", "message"), [
    (["--split", "1.5"], "between 0 and 1"),
    (["--split", "0"], "between 0 and 1"),
    (["--split", "0.7", "--split-date", "2024-05-01"], "not both"),
    (["--split-date", "1999-01-01"], "outside the log"),
    (["--split-date", "2031-01-01"], "outside the log"),
    (["--split-date", "someday"], "not a date"),
    (["--split", "0.999"], "each side needs at least"),
    (["--reps", "1"], "at least 2"),
])
def test_bad_splits_give_a_message(real_path, args, message):
    result = runner.invoke(app, ["evaluate", str(real_path), *args])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in " ".join(result.stderr.split()), result.stderr


def test_a_tiny_share_leaves_nothing_to_learn_from(real):
    with pytest.raises(PlannerError, match="learn from"):
        split_log(real, split=0.0001)
