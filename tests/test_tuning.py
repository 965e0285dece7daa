"""Self-tuning: the structure is chosen on a validation split of the log, recorded in the
model file and said in the calibration notes; a structure that does not reproduce the later
cases loses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.evaluate.tuning import (
    MARGIN,
    calibrate_tuned,
    closer_in_every_run,
    latest_cases,
    mean_distances,
    score,
)
from calibration.fit.calibrate import CalibrationOptions, calibrate
from sim.eventlog import CASE_ID, START
from sim.model import HISTORY, ProcessModel
from tests.synthetic_logs import event_log
from tests.test_routing_by_history import two_channel_log
from ui.cli import app

TUNED = CalibrationOptions(tune=True)


@pytest.fixture(scope="module")
def tuned():
    return calibrate_tuned(two_channel_log(cases=400), options=TUNED, n_jobs=1)


@pytest.fixture(scope="module")
def from_the_command_line(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """``l2c calibrate`` on the same log, as a file: it tunes unless told not to."""
    folder = tmp_path_factory.mktemp("tuned")
    log = folder / "log.csv"
    two_channel_log(cases=400).events.to_csv(log, index=False)
    result = CliRunner().invoke(app, ["calibrate", str(log), "-o", str(folder / "m.json")])
    assert result.exit_code == 0, result.output
    return result.output, folder / "m.json"


def test_the_history_a_decision_needs_survives_the_validation(tuned):
    """Only the path two steps back tells whether a case signs: routing with less memory
    simulates the later cases' paths visibly worse, so the tuning keeps the history."""
    tuning = tuned.model.provenance.tuning
    assert tuning is not None and tuning.chosen["routing_memory"] == 2
    assert tuned.model.routing.branches["Meet"].conditioned_on == HISTORY
    shorter = [t for t in tuning.trials if t.options["routing_memory"] < 2]
    assert shorter, "a structure with less routing memory was tried"
    assert all(t.score > 1 + MARGIN for t in shorter)
    first = tuning.trials[0]
    assert first.score == 1.0 and set(first.distances) == {
        "n_gram_distribution", "absolute_event_distribution", "relative_event_distribution",
        "circadian_event_distribution", "cycle_time_distribution", "control_flow_log_distance"}
    assert 0.75 * 400 < tuning.learned_cases < 0.85 * 400


def test_the_choice_is_in_the_model_file_and_the_notes(tuned):
    again = ProcessModel.from_json(tuned.model.to_json()).provenance.tuning
    tuning = tuned.model.provenance.tuning
    assert again.chosen == tuning.chosen and again.split_date == tuning.split_date
    assert [t.options for t in again.trials] == [t.options for t in tuning.trials]
    assert [t.score for t in again.trials] == pytest.approx([t.score for t in tuning.trials])
    assert tuned.model.provenance.options["tune"] is True
    note = tuned.notes[-1]
    assert f"{tuned.model.provenance.tuning.validation_cases:,} begun since" in note
    assert "branches that may follow the last two steps" in note


def test_the_command_line_tunes_by_default_the_same_way(tuned, from_the_command_line):
    """Same log, same seed: the same choice and the same model, whoever calibrates."""
    output, path = from_the_command_line
    model = ProcessModel.load(path)
    assert model.provenance.tuning.chosen == tuned.model.provenance.tuning.chosen
    for read, made in zip(model.provenance.tuning.trials, tuned.model.provenance.tuning.trials,
                          strict=True):
        assert read.distances == pytest.approx(made.distances)
    assert model.routing == ProcessModel.from_json(tuned.model.to_json()).routing
    words = " ".join(output.split())
    assert "Its structure was chosen on the log itself" in words
    assert "Structures tried" in words and "branches that may follow one factor" in words


def test_no_tune_keeps_the_default_structure_without_a_record(tmp_path):
    log = tmp_path / "log.csv"
    two_channel_log(cases=300).events.to_csv(log, index=False)
    result = CliRunner().invoke(app, ["calibrate", str(log), "-o", str(tmp_path / "m.json"),
                                      "--no-tune"])
    assert result.exit_code == 0, result.output
    model = ProcessModel.load(tmp_path / "m.json")
    assert model.provenance.tuning is None and model.provenance.options["tune"] is False
    assert "structure" not in result.output


def test_a_log_too_small_to_validate_keeps_the_default_structure_and_says_so():
    hour = pd.Timedelta(hours=1)
    rows = [(f"c{n}", activity, pd.Timestamp("2024-01-01") + (24 * n + step) * hour,
             pd.Timestamp("2024-01-01") + (24 * n + step + 0.5) * hour)
            for n in range(40) for step, activity in enumerate(("Open", "Work", "Close"))]
    fitted = calibrate_tuned(event_log(rows), options=TUNED, n_jobs=1)
    assert fitted.model.provenance.tuning is None
    assert any("Too few cases to choose the structure" in n for n in fitted.notes)


def test_a_large_log_is_tuned_on_its_latest_cases():
    log = two_channel_log(cases=300)
    latest = latest_cases(log, 100)
    assert latest.n_cases == 100
    starts = log.events.groupby(CASE_ID)[START].min()
    assert set(latest.cases.index) == set(starts.sort_values().index[-100:])
    assert latest_cases(log, 1000) is log


def test_the_score_is_the_geometric_mean_of_the_distance_ratios():
    reference = {"n_gram_distribution": 0.2, "cycle_time_distribution": 10.0}
    assert score(reference, reference) == pytest.approx(1.0)
    halved_and_doubled = {"n_gram_distribution": 0.1, "cycle_time_distribution": 20.0}
    assert score(halved_and_doubled, reference) == pytest.approx(1.0, abs=1e-5)
    assert score({"n_gram_distribution": 0.05, "cycle_time_distribution": 2.5},
                 reference) == pytest.approx(0.25, rel=1e-4)
    assert np.isinf(score({}, reference))


def test_a_structure_is_changed_only_when_every_run_agrees():
    """Closer on average because one run was lucky is not enough: each replication, on the
    same seed as the best so far, must be closer."""
    best = [{"n_gram_distribution": 0.2, "cycle_time_distribution": 10.0}] * 3
    lucky = [{"n_gram_distribution": 0.05, "cycle_time_distribution": 2.0},
             {"n_gram_distribution": 0.21, "cycle_time_distribution": 10.5},
             {"n_gram_distribution": 0.2, "cycle_time_distribution": 10.2}]
    assert score(mean_distances(lucky), mean_distances(best)) < 1 - MARGIN
    assert not closer_in_every_run(lucky, best)
    steady = [{"n_gram_distribution": 0.18, "cycle_time_distribution": 9.0}] * 3
    assert closer_in_every_run(steady, best)
    assert not closer_in_every_run(steady[:2], best)  # runs are compared pairwise
    assert not closer_in_every_run([], best) and mean_distances([]) == {}


def test_without_queue_removal_the_whole_wait_is_delay():
    """One clerk, a task every 40 minutes taking an hour: the queue grows, and the wait
    before 'Work' is queueing. Taken out, the fitted delay is next to nothing; kept in (the
    structure tuning may choose where the simulation queues less than the log did), it is
    the whole wait."""
    origin, minute = pd.Timestamp("2024-01-01"), pd.Timedelta(minutes=1)
    rows, free = [], origin
    for n in range(60):
        ready = origin + 40 * n * minute
        start = max(ready, free)
        free = start + 60 * minute
        rows += [(f"c{n}", "Open", ready - minute, ready, "desk"),
                 (f"c{n}", "Work", start, free, "clerk")]
    log = event_log(rows)
    waits = {removal: calibrate(log, options=CalibrationOptions(queue_removal=removal))
             .model.activities["Work"].delay.quantile(0.5) for removal in (True, False)}
    assert waits[True] < 60.0
    assert waits[False] > 4 * 3600.0  # the middle case queues behind 10 hours of work
