"""Running the ``l2c`` command against hostile input under a time and memory cap.

Each case runs the command in a child process (as a user would), with an address-space
limit so a case that tries to take the machine fails instead, and records its time and peak
memory in ``FIGURES`` (the suite prints them as a table).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

L2C = str(Path(sys.executable).with_name("l2c"))
MEMORY_CAP = 3 << 30  # address space of the child (Python with numpy maps far more than it uses)
PEAK_LIMIT_MB = 1024.0
TIME_LIMIT_S = 30.0
FIGURES: list[tuple[str, int, float, float]] = []


@dataclass(frozen=True)
class Run:
    """What one command did: exit code, output, wall time and peak resident memory."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def assert_clear_error(self, *phrases: str) -> None:
        """A message with exit code 1, no traceback, within the time and memory limits."""
        assert self.code == 1, f"exit {self.code}\n{self.stderr[-2000:]}"
        self.assert_bounded()
        text = " ".join(self.stderr.split())
        for phrase in phrases:
            assert phrase in text, f"{phrase!r} not in:\n{self.stderr[-2000:]}"

    def assert_bounded(self) -> None:
        """No traceback, and time and peak memory under the limits."""
        assert "Traceback" not in self.stderr + self.stdout, self.stderr[-3000:]
        assert self.seconds < TIME_LIMIT_S
        assert self.peak_mb < PEAK_LIMIT_MB


def run_l2c(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = TIME_LIMIT_S, label: str = "") -> Run:
    """``l2c ARGS`` in ``cwd`` with the caps; the child is killed at the timeout."""
    environment = os.environ | {"COLUMNS": "200", "L2C_SAVED_DB": str(cwd / "saved.sqlite")}
    began = time.perf_counter()
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        child = subprocess.Popen([L2C, *map(str, args)], cwd=cwd, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, env=environment | (env or {}))
        resource.prlimit(child.pid, resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - began > timeout:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)
    run = Run(child.returncode, out_path.read_text(errors="replace"),
              err_path.read_text(errors="replace"), time.perf_counter() - began,
              usage.ru_maxrss / 1024)
    FIGURES.append((label or " ".join(map(str, args))[:60], run.code, run.seconds,
                    run.peak_mb))
    return run
