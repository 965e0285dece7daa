"""``-o`` never replaces a file the user already has, unless ``--force`` says so.

Every command that writes a file refuses an existing one before doing any work (a long
comparison must not end in a refusal, nor in a lost file), naming ``--force``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import GOOD_CSV
from tests.engine_models import mmc_model
from ui.cli import app

MINE = "the user's own file"
SCENARIO = "name: More leads\nchanges:\n  - volume: {scale: 1.1}\n"
runner = CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with a tiny model, a scenario and a small log."""
    mmc_model().save(tmp_path / "model.json")
    (tmp_path / "more.yaml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "log.csv").write_text(GOOD_CSV, encoding="utf-8")
    return tmp_path


def _mine(path: Path) -> Path:
    path.write_text(MINE, encoding="utf-8")
    return path


COMMANDS: dict[str, tuple[str, list[str]]] = {
    "compare": ("report.html", ["compare", "model.json", "more.yaml", "--format", "html",
                                "--days", "2", "--reps", "2", "--jobs", "1"]),
    "simulate": ("sim.csv", ["simulate", "model.json", "--days", "2"]),
    "calibrate": ("new.json", ["calibrate", "log.csv"]),
    "template": ("template.xlsx", ["template"]),
    "sample": ("sample.csv", ["sample"]),
    "evaluate": ("holdout.json", ["evaluate", "log.csv", "--format", "json"]),
    "backtest": ("backtest.json", ["backtest", "log.csv", "--scenario", "more.yaml",
                                   "--format", "json"]),
}


def _invoke(folder: Path, args: list[str]) -> tuple[int, str]:
    """``l2c ARGS`` run in ``folder``: exit code and everything it printed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_file_is_refused_naming_force(inputs: Path, command: str) -> None:
    target, args = COMMANDS[command]
    _mine(inputs / target)
    code, text = _invoke(inputs, [*args, "-o", target])
    assert code == 1
    assert f"{target} already exists. Add --force to replace it" in text
    assert (inputs / target).read_text(encoding="utf-8") == MINE


def test_import_bps_refuses_an_existing_model(inputs: Path) -> None:
    _mine(inputs / "process.bpmn")
    _mine(inputs / "params.json")
    _mine(inputs / "new.json")
    code, text = _invoke(inputs, ["import-bps", "process.bpmn", "params.json", "-o",
                                  "new.json"])
    assert code == 1 and "new.json already exists. Add --force" in text
    assert (inputs / "new.json").read_text(encoding="utf-8") == MINE


@pytest.mark.parametrize("command", ["compare", "simulate", "template", "sample"])
def test_force_replaces_the_file(inputs: Path, command: str) -> None:
    target, args = COMMANDS[command]
    _mine(inputs / target)
    code, text = _invoke(inputs, [*args, "-o", target, "--force"])
    assert code == 0, text
    assert (inputs / target).read_bytes() != MINE.encode()


def test_a_new_file_needs_no_force(inputs: Path) -> None:
    code, text = _invoke(inputs, ["simulate", "model.json", "--days", "2", "-o", "new.csv"])
    assert code == 0, text
    assert (inputs / "new.csv").stat().st_size > 0


def test_one_file_per_replication_is_checked_before_the_run(inputs: Path) -> None:
    _mine(inputs / "sim_rep2.csv")
    code, text = _invoke(inputs, ["simulate", "model.json", "--days", "2", "--reps", "3",
                                  "--jobs", "1", "--per-replication", "-o", "sim.csv"])
    assert code == 1 and "sim_rep2.csv already exists. Add --force" in text
    assert not (inputs / "sim_rep1.csv").exists()  # refused before anything was written
    assert (inputs / "sim_rep2.csv").read_text(encoding="utf-8") == MINE
