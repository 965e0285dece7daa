"""A simulated log with several replications gets KPIs with 95% intervals across them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from calibration.read import read_log
from sim.kpis import compute_kpis
from tests.engine_models import mmc_model
from ui.cli import app


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reps")
    model = mmc_model(servers=2, rho=0.6).save(folder / "model.json")
    output = folder / "sim.csv"
    result = CliRunner().invoke(app, ["simulate", str(model), "-o", str(output), "--cases",
                                      "300", "--reps", "3", "--seed", "4"])
    assert result.exit_code == 0, result.output
    return output


def test_kpis_of_a_replicated_log_have_intervals(simulated):
    result = CliRunner().invoke(app, ["kpis", str(simulated), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in json.loads(result.stdout)}
    log = read_log(simulated).require_log()
    per_rep = []
    for _, cases in log.cases.groupby("replication"):
        part = log.events[log.events["case_id"].isin(cases.index)]
        kpis = compute_kpis(type(log)(part, cases))
        per_rep.append(next(k.value for k in kpis if k.id == "frequency:Serve"))
    frequency = records["frequency:Serve"]
    assert frequency["value"] == pytest.approx(np.mean(per_rep))
    assert frequency["ci_low"] <= frequency["value"] <= frequency["ci_high"]
