"""Fixtures of the hostile-input suite (its table of time and peak memory per command is
printed by ``tests/conftest.py``, which gathers it from every xdist worker)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.model import ProcessModel
from tests.hostile.cli import invoke_l2c
from tests.hostile.test_hostile_packed import bomb

SAVED_NAME = "Q3 plan"


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory, sample_model: ProcessModel) -> Path:
    """The process model of the bundled sample, as a file (made once per test run)."""
    return sample_model.save(tmp_path_factory.mktemp("model") / "model.json")


@pytest.fixture(scope="session")
def saved_db(model_file: Path) -> Path:
    """A saved-comparisons store holding one comparison, SAVED_NAME (made once per run)."""
    folder = model_file.parent
    scenario = Path(__file__).parents[2] / "scenarios" / "automated_invoicing.yaml"
    assert invoke_l2c("compare", "model.json", scenario, "--reps", "2", "--days", "30",
                      "--jobs", "1", "--save", SAVED_NAME, "--format", "json", "-o",
                      "compare.json", cwd=folder, label="(set-up) compare --save").code == 0
    return folder / "saved.sqlite"


@pytest.fixture
def store(tmp_path: Path, saved_db: Path) -> Path:
    """A copy of the saved-comparisons store in the test's folder (what run_l2c uses)."""
    shutil.copy(saved_db, tmp_path / "saved.sqlite")
    return tmp_path / "saved.sqlite"


@pytest.fixture(scope="session")
def xlsx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1.7 MB workbook of three million rows (made once per run)."""
    return bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 3_000_000)


@pytest.fixture
def workdir(tmp_path: Path, model_file: Path) -> Path:
    """A fresh folder holding a copy of the model."""
    shutil.copy(model_file, tmp_path / "model.json")
    return tmp_path

