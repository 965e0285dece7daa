"""``l2c inspect``: the JSON interface, exit codes, and no tracebacks on bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import GOOD_CSV
from ui.cli import app

runner = CliRunner()
L2C = Path(sys.executable).with_name("l2c")


def test_json_has_the_stable_keys(write_file):
    result = runner.invoke(app, ["inspect", str(write_file("log.csv", GOOD_CSV)),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    for key in ("cases", "events", "activities", "period", "errors", "warnings", "mapping"):
        assert key in summary
    assert summary["cases"] == 3 and summary["events"] == 8
    assert summary["activities"]["Lead Created"] == 3
    assert summary["period"] == {"start": "2024-01-01T09:00:00", "end": "2024-01-06T12:00:00"}
    assert summary["mapping"]["case_id"] == "case_id"
    assert summary["errors"] == []
    assert any("still open" in w for w in summary["warnings"])


def test_table_shows_the_summary(write_file):
    result = runner.invoke(app, ["inspect", str(write_file("log.csv", GOOD_CSV))])
    assert result.exit_code == 0, result.output
    assert "Top variants" in result.stdout and "Lead Created" in result.stdout


def test_map_option(write_file):
    text = "Deal,Step,When\n1,A,2024-01-01 10:00\n1,B,2024-01-02 10:00\n"
    path = str(write_file("log.csv", text))
    result = runner.invoke(app, ["inspect", path, "--format", "json", "--map", "case_id=Deal",
                                 "--map", "activity=Step", "--map", "timestamp=When"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"] == 2


def test_bad_file_exits_non_zero_without_traceback(write_file):
    path = write_file("bad.csv", "Deal,What,When\n1,A,2024-01-01\n")
    done = subprocess.run([str(L2C), "inspect", str(path), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "No column for the case id" in json.loads(done.stdout)["errors"][0]


def test_bad_option_value_is_a_message(write_file):
    path = write_file("log.csv", GOOD_CSV)
    done = subprocess.run([str(L2C), "inspect", str(path), "--map", "colour=resource"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "unknown role 'colour'" in done.stderr
    assert "Traceback" not in done.stderr
