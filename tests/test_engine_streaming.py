"""Streaming a run's log to disk (``simulate(..., sink=folder)``): the same rows as the
in-memory log, the same counts and utilisation, bounded memory, and no file overwritten."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from sim.engine import output, run, simulate
from sim.errors import PlannerError
from sim.eventlog import CASE_ID, END, START
from sim.model import CaseAttributes, ProcessModel
from tests.engine_models import l2c_model, mmc_model


@pytest.fixture(scope="module")
def l2c() -> ProcessModel:
    return l2c_model()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks and sweeps small enough that a short run writes many of each."""
    monkeypatch.setattr(output, "EVENT_CHUNK", 300)
    monkeypatch.setattr(output, "CASE_CHUNK", 40)
    monkeypatch.setattr(run, "SWEEP_EVERY", 32)


def read_back(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sink's files in the in-memory log's order and shape."""
    sink = result.run.sink
    events = pd.read_parquet(sink.events)
    events = events.sort_values([CASE_ID, START, END], kind="stable").reset_index(drop=True)
    cases = pd.read_parquet(sink.cases).set_index(CASE_ID).sort_index()
    return events, cases


def assert_same_run(memory, streamed) -> None:
    events, cases = read_back(streamed)
    expected = memory.log.events.sort_values([CASE_ID, START, END], kind="stable")
    pd.testing.assert_frame_equal(events, expected.reset_index(drop=True), check_dtype=False)
    expected_cases = memory.log.cases.sort_index()
    pd.testing.assert_frame_equal(cases, expected_cases, check_dtype=False)
    assert streamed.run.sink is not None and memory.run.sink is None
    assert replace(streamed.run, sink=None) == memory.run
    assert sorted(streamed.open_cases) == sorted(memory.open_cases)
    pd.testing.assert_frame_equal(streamed.utilisation, memory.utilisation)
    assert streamed.log.events.empty and streamed.log.cases.empty
    assert list(streamed.log.events.columns) == list(memory.log.events.columns)


def test_streamed_days_run_with_warm_up_equals_in_memory_run(l2c, small_chunks, tmp_path):
    kwargs = {"days": 150, "warmup_days": 20, "seed": 3}
    memory = simulate(l2c, **kwargs)
    streamed = simulate(l2c, **kwargs, sink=tmp_path / "run")
    assert memory.run.open_cases > 0 and memory.run.warmup_cases > 0
    assert_same_run(memory, streamed)


def test_streamed_cases_run_equals_in_memory_run(l2c, small_chunks, tmp_path):
    memory = simulate(l2c, cases=400, seed=5)
    streamed = simulate(l2c, cases=400, seed=5, sink=tmp_path)
    assert memory.run.finished == 400
    assert_same_run(memory, streamed)


def test_time_zone_survives_the_files(small_chunks, tmp_path):
    model = mmc_model(2, 0.5, 1.0).model_copy(update={"timezone": "Europe/Berlin"})
    memory = simulate(model, days=10, seed=1)
    streamed = simulate(model, days=10, seed=1, sink=tmp_path)
    events, _ = read_back(streamed)
    assert str(events[START].dt.tz) == "Europe/Berlin"
    assert_same_run(memory, streamed)


def test_a_run_without_events_still_leaves_both_files(tmp_path):
    model = mmc_model(2, 0.01, 1.0)
    streamed = simulate(model, days=0.001, seed=1, sink=tmp_path)
    events, cases = read_back(streamed)
    assert events.empty and cases.empty
    assert list(events.columns) == list(streamed.log.events.columns)


def test_finished_cases_and_events_do_not_pile_up_in_memory(l2c, small_chunks, tmp_path,
                                                          monkeypatch):
    held: list[tuple[int, int]] = []
    sweep = output.LogSink.sweep

    def watched(self, recorder, every, pools, final=False):
        sweep(self, recorder, every, pools, final)
        held.append((len(every), len(recorder.case)))

    monkeypatch.setattr(output.LogSink, "sweep", watched)
    result = simulate(l2c, cases=1500, seed=2, sink=tmp_path)
    assert len(held) > 20
    assert max(cases for cases, _ in held) < 500  # the running cases, not all 1,500
    assert max(events for _, events in held) < output.EVENT_CHUNK
    assert result.run.events > 10 * output.EVENT_CHUNK


def test_sink_never_overwrites_a_log(tmp_path):
    model = mmc_model()
    simulate(model, days=2, seed=1, sink=tmp_path)
    with pytest.raises(PlannerError, match="already exist"):
        simulate(model, days=2, seed=1, sink=tmp_path)
    afile = tmp_path / "file.txt"
    afile.write_text("mine", encoding="utf-8")
    with pytest.raises(PlannerError, match="is a file"):
        simulate(model, days=2, seed=1, sink=afile)
    assert afile.read_text(encoding="utf-8") == "mine"


def test_mixed_attribute_values_are_written_as_text(tmp_path):
    rows = (("a", 1.0), (2.5, 2.0), (None, 3.0))
    model = mmc_model(2, 0.5, 1.0).model_copy(update={
        "attributes": CaseAttributes(columns=("mixed", "number"), rows=rows)})
    memory = simulate(model, days=5, seed=4)
    _, cases = read_back(simulate(model, days=5, seed=4, sink=tmp_path))
    expected = memory.log.cases.sort_index()
    assert set(cases["mixed"].dropna()) <= {"a", "2.5"} and cases["mixed"].isna().any()
    assert cases["mixed"].isna().tolist() == expected["mixed"].isna().tolist()
    assert cases["number"].tolist() == expected["number"].tolist()


def test_cli_stream_writes_parquet_into_a_folder(tmp_path):
    import pandas as pd
    from typer.testing import CliRunner

    from tests.engine_models import mmc_model
    from ui.cli import app

    model = mmc_model(servers=2, rho=0.5).save(tmp_path / "model.json")
    folder = tmp_path / "big run"
    result = CliRunner().invoke(app, ["simulate", str(model), "-o", str(folder), "--cases",
                                      "500", "--stream", "--seed", "3"])
    assert result.exit_code == 0, result.output
    events = pd.read_parquet(folder / "events.parquet")
    assert events["case_id"].nunique() == 500
    again = CliRunner().invoke(app, ["simulate", str(model), "-o", str(folder), "--cases",
                                     "500", "--stream", "--reps", "2"])
    assert again.exit_code == 1 and "one replication" in again.output
