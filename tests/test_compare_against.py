"""Scenario against scenario (``l2c compare --against``): every member ran with the same
seeds, so two scenarios are paired replication by replication as each is with the baseline,
and B against A is B against the baseline less A against it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scenarios import LIBRARY
from ui.cli import app

FASTER, SIGNED = LIBRARY / "quote_approval_faster.yaml", LIBRARY / "e_signature.yaml"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory, sample_model):
    return sample_model.save(tmp_path_factory.mktemp("model") / "model.json")


def _rows(model_file, *extra: str) -> dict[tuple[str, str], dict]:
    result = CliRunner().invoke(app, ["compare", str(model_file), str(FASTER), str(SIGNED),
                                      "--reps", "3", "--cases", "300", "--format", "json",
                                      *extra])
    assert result.exit_code == 0, result.output
    return {(r["scenario"], r["kpi"]): r for r in json.loads(result.stdout)
            if r["group"] is None}


def test_one_scenario_against_another_is_the_difference_of_their_differences(model_file):
    plain = _rows(model_file)
    against = _rows(model_file, "--against", str(SIGNED))  # by its file; the cache serves it
    assert {scenario for scenario, _ in against} == {"Quote approval 50% faster"}
    row = against[("Quote approval 50% faster", "contract_time")]
    assert row["against"] == "E-signature contracts"
    faster = plain[("Quote approval 50% faster", "contract_time")]
    signed = plain[("E-signature contracts", "contract_time")]
    assert row["baseline"] == pytest.approx(signed["value"])
    assert row["diff"] == pytest.approx(faster["diff"] - signed["diff"])
    assert row["diff"] > 0 and row["significant"]  # e-signature shortens the contract time
    assert row["ci_low"] < row["diff"] < row["ci_high"]


def test_against_names_a_scenario_of_the_comparison_before_any_run(model_file):
    result = CliRunner().invoke(app, ["compare", str(model_file), str(FASTER), str(SIGNED),
                                      "--against", "E-signature contract"])
    assert result.exit_code == 1
    assert "Did you mean 'E-signature contracts'?" in result.output
    alone = CliRunner().invoke(app, ["compare", str(model_file), str(SIGNED), "--against",
                                     "E-signature contracts"])
    assert alone.exit_code == 1 and "at least one other scenario" in alone.output
