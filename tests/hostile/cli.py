"""Running the ``l2c`` command against hostile input under a time and memory cap.

A case whose input threatens time or memory runs the command in a child process (as a user
would), with an address-space limit so a case that tries to take the machine fails
instead, and records its time and peak memory in ``FIGURES`` (the suite prints them as a
table). A case whose input threatens neither (a saved store, a name, a value out of range)
runs the command in this process: a child would only add its second of start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

L2C = str(Path(sys.executable).with_name("l2c"))
MEMORY_CAP = 3 << 30  # address space of the child (Python with numpy maps far more than it uses)
PEAK_LIMIT_MB = 1024.0
TIME_LIMIT_S = 30.0
FIGURES: list[tuple[str, int, float, float | None]] = []


@dataclass(frozen=True)
class Run:
    """What one command did: exit code, output, wall time and peak resident memory."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float | None  # None: run in this process, not measured on its own

    def assert_clear_error(self, *phrases: str) -> None:
        """A message (on either stream) with exit code 1, no traceback, within the time and
        memory limits."""
        assert self.code == 1, f"exit {self.code}\n{self.stderr[-2000:]}"
        self.assert_bounded()
        text = " ".join((self.stdout + self.stderr).split())
        for phrase in phrases:
            assert phrase in text, f"{phrase!r} not in:\n{text[-2000:]}"

    def assert_bounded(self) -> None:
        """No traceback, and time and peak memory under the limits."""
        assert "Traceback" not in self.stderr + self.stdout, self.stderr[-3000:]
        assert self.seconds < TIME_LIMIT_S
        assert self.peak_mb is None or self.peak_mb < PEAK_LIMIT_MB


# Started by the test, the launcher caps its own address space (the child inherits it), runs
# the command and writes the child's peak memory: a child forked from the test process
# itself would count the test's own memory as its peak.
LAUNCHER = """
import resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
code = subprocess.call(sys.argv[3:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_l2c(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = TIME_LIMIT_S, label: str = "", memory_cap: int = MEMORY_CAP
            ) -> Run:
    """``l2c ARGS`` in ``cwd`` with the caps; the command is killed at the timeout."""
    environment = os.environ | {"COLUMNS": "200", "L2C_SAVED_DB": str(cwd / "saved.sqlite")}
    peak_file = cwd / ".peak"
    peak_file.unlink(missing_ok=True)
    began = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", LAUNCHER, str(peak_file), str(memory_cap),
                               L2C, *map(str, args)], cwd=cwd, capture_output=True,
                              stdin=subprocess.DEVNULL, env=environment | (env or {}),
                              timeout=timeout, check=False)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        code, stdout, stderr = -9, expired.stdout or b"", expired.stderr or b""
    seconds = time.perf_counter() - began
    peak_kb = float(peak_file.read_text()) if peak_file.exists() else float("nan")
    run = Run(code, stdout.decode(errors="replace"), stderr.decode(errors="replace"), seconds,
              peak_kb / 1024)
    FIGURES.append((label or " ".join(map(str, args))[:60], code, seconds, run.peak_mb))
    return run


def invoke_l2c(*args: str | Path, cwd: Path, label: str = "") -> Run:
    """``l2c ARGS`` run in this process, in ``cwd``, with the same environment as
    ``run_l2c``; an exception that escaped the command is shown as the traceback it is."""
    from ui.cli import app

    environment = {"COLUMNS": "200", "L2C_SAVED_DB": str(cwd / "saved.sqlite")}
    began = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(app, list(map(str, args)), env=environment)
    seconds = time.perf_counter() - began
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    FIGURES.append((label or " ".join(map(str, args))[:60], result.exit_code, seconds, None))
    return Run(result.exit_code, result.stdout, stderr, seconds, None)
