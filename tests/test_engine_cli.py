"""``l2c simulate``: readable logs, replication columns and files, plain errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.read import read_log
from tests.engine_models import l2c_model
from ui.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def model_path(tmp_path_factory) -> Path:
    return l2c_model().save(tmp_path_factory.mktemp("model") / "model.json")


def test_writes_a_csv_the_reader_accepts(model_path, tmp_path):
    output = tmp_path / "sim.csv"
    result = runner.invoke(app, ["simulate", str(model_path), "-o", str(output), "--days", "60",
                                 "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Simulation" in result.stdout and "sim.csv" in result.stdout
    read = read_log(output)
    assert read.report.ok, read.report.errors
    log = read.require_log()
    assert log.n_cases > 100
    assert {"Lead Created", "Quote Approved"} <= set(log.events["activity"])
    assert set(log.cases["outcome"].dropna()) <= {"Won", "Lost"}


def test_reps_add_a_replication_column(model_path, tmp_path):
    output = tmp_path / "reps.csv"
    result = runner.invoke(app, ["simulate", str(model_path), "-o", str(output), "--days", "30",
                                 "--reps", "3", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    flat = pd.read_csv(output)
    assert sorted(flat["replication"].unique()) == [1, 2, 3]
    assert flat.groupby("case_id")["replication"].nunique().max() == 1  # ids kept apart
    assert flat["case_id"].str.match(r"R[123]-SIM-\d{7}$").all()
    assert read_log(output).report.ok


def test_per_replication_files(model_path, tmp_path):
    output = tmp_path / "runs.parquet"
    result = runner.invoke(app, ["simulate", str(model_path), "-o", str(output), "--cases", "50",
                                 "--reps", "2", "--per-replication", "--jobs", "1",
                                 "--warmup", "5", "--start", "2024-02-05"])
    assert result.exit_code == 0, result.output
    assert not output.exists()
    for k in (1, 2):
        frame = pd.read_parquet(tmp_path / f"runs_rep{k}.parquet")
        assert frame["case_id"].nunique() == 50
        assert frame["start_time"].min() >= pd.Timestamp("2024-02-05")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "out.txt", "--days", "5"], "cannot write a simulated log as '.txt'"),
    (["-o", "out.csv"], "--cases N"),
    (["-o", "out.csv", "--days", "5", "--reps", "0"], "--reps must be between 1 and 1000"),
    (["-o", "out.csv", "--days", "5", "--start", "someday"], "start 'someday' is not a date"),
])
def test_bad_options_are_plain_errors(model_path, tmp_path, args, message):
    args = [a if a not in ("out.txt", "out.csv") else str(tmp_path / a) for a in args]
    result = runner.invoke(app, ["simulate", str(model_path), *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_model(tmp_path):
    result = runner.invoke(app, ["simulate", str(tmp_path / "none.json"), "-o",
                                 str(tmp_path / "o.csv"), "--days", "3"])
    assert result.exit_code == 1 and "No process model" in result.stderr


def test_ctrl_c_keeps_the_finished_replications(model_path, tmp_path, monkeypatch):
    from sim.engine import simulate

    def interrupted(model, reps, *, seed, **kwargs):
        kwargs.pop("n_jobs"), kwargs.pop("dask_address")
        yield simulate(model, seed=seed, replication=0, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr("sim.engine.iter_replications", interrupted)
    output = tmp_path / "partial.csv"
    result = runner.invoke(app, ["simulate", str(model_path), "-o", str(output), "--days", "20",
                                 "--reps", "4"])
    assert result.exit_code == 130
    assert "1 of 4 replications" in result.stderr
    assert set(pd.read_csv(output)["replication"]) == {1}
