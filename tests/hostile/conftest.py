"""Fixtures of the hostile-input suite, and its table of time and peak memory per command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.cli import FIGURES, run_l2c


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A process model calibrated from the bundled sample (made once per test run)."""
    folder = tmp_path_factory.mktemp("model")
    assert run_l2c("sample", "-o", "sample.csv", cwd=folder, label="(set-up) sample").code == 0
    assert run_l2c("calibrate", "sample.csv", "-o", "model.json", cwd=folder,
                   label="(set-up) calibrate").code == 0
    return folder / "model.json"


@pytest.fixture
def workdir(tmp_path: Path, model_file: Path) -> Path:
    """A fresh folder holding a copy of the model."""
    shutil.copy(model_file, tmp_path / "model.json")
    return tmp_path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The time and peak memory of every command run, as a table."""
    if not FIGURES:
        return
    terminalreporter.section("hostile input: time and peak memory per command")
    terminalreporter.write_line(f"{'case':60}  exit  seconds  peak MB")
    for label, code, seconds, peak in FIGURES:
        terminalreporter.write_line(f"{label:60}  {code:4}  {seconds:7.2f}  {peak:7.0f}")
