"""Your own KPIs from a YAML file: measured on a log as the file defines them, kept in the
model, measured on every simulated log, and a bad file named with its key."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from calibration.sample import sample_path
from sim.errors import PlannerError
from sim.kpis import compute_kpis
from sim.kpis.custom import load_custom_kpis
from tests.test_kpis import by_id
from tests.test_kpis_generic import DURATIONS, service_log
from ui.cli import app

FILE = """kpis:
  - {id: check_to_close, name: Check to close, from: Check, to: Close, statistic: mean}
  - {id: receive_to_check_p90, name: Receive to check, from: Receive, to: Check,
     statistic: p90, per: occurrence}
  - {id: approval_to_contract, name: Approval to contract, from: quote_approved,
     to: contract_signed}
"""


def test_own_kpis_are_measured_as_the_file_defines_them(tmp_path: Path) -> None:
    path = tmp_path / "kpis.yaml"
    path.write_text(FILE, encoding="utf-8")
    kpis = by_id(compute_kpis(replace(service_log(), custom_kpis=load_custom_kpis(path))))
    closing = kpis["custom:check_to_close"]  # from Check's start, a day after Receive
    assert closing.value == pytest.approx(np.mean(DURATIONS) - 1)
    assert (closing.label, closing.n, closing.unit) == ("Check to close", 10, "days")
    assert kpis["custom:receive_to_check_p90"].value == pytest.approx(1.5)  # Check's end
    missing = kpis["custom:approval_to_contract"]
    assert not missing.available and "no 'quote_approved' in this log" in missing.note


@pytest.mark.parametrize(("text", "message"), [
    ("kpis:\n  - {id: a, name: A, from: X, to: Y, statistc: mean}\n",
     r"kpis\[0\]: unknown key 'statistc'\. Did you mean 'statistic'\?"),
    ("kpis:\n  - {id: a, name: A, from: X, to: Y, statistic: mode}\n",
     r"kpis\[0\]\.statistic: .*'mode'"),
    ("kpis:\n  - {id: a, name: A, from: X, to: Y}\n  - {id: a, name: B, from: X, to: Y}\n",
     "the KPI id 'a' is used twice"),
    ("kpi: []\n", "write the KPIs as a list under 'kpis:'"),
])
def test_a_bad_kpi_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "kpis.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlannerError, match=message):
        load_custom_kpis(path)


def test_own_kpis_travel_with_the_model_into_a_comparison(tmp_path: Path) -> None:
    path = tmp_path / "kpis.yaml"
    path.write_text(FILE, encoding="utf-8")
    runner = CliRunner()
    model = tmp_path / "model.json"
    made = runner.invoke(app, ["calibrate", str(sample_path("d365")), "-o", str(model),
                               "--no-tune", "--kpis", str(path)])
    assert made.exit_code == 0, made.output
    assert [k["id"] for k in json.loads(model.read_text(encoding="utf-8"))["kpis"]] == [
        "check_to_close", "receive_to_check_p90", "approval_to_contract"]
    scenario = Path(__file__).parents[1] / "scenarios" / "e_signature.yaml"
    compared = runner.invoke(app, ["compare", str(model), str(scenario), "--reps", "3",
                                   "--cases", "300", "--format", "json"])
    assert compared.exit_code == 0, compared.output
    rows = json.loads(compared.stdout[compared.stdout.index("["):])
    own = next(r for r in rows if r["kpi"] == "custom:approval_to_contract")
    assert own["baseline"] > 0 and own["diff"] < 0  # e-signature: contracts signed sooner
