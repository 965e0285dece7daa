"""``kill -9`` of ``l2c compare`` while its workers run: the workers end too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile.cli import L2C

SCENARIOS = Path(__file__).parents[2] / "scenarios"


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running (an exited process that nobody reaped yet is a zombie: it holds nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_end_when_compare_is_killed(workdir: Path) -> None:
    command: list[str | Path] = [L2C, "compare", "model.json", SCENARIOS / "automated_invoicing.yaml",
               "--reps", "20", "--days", "365", "--jobs", "2"]
    parent = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              env=os.environ | {"L2C_SAVED_DB": str(workdir / "s.sqlite")})
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.2)
            workers = _children(parent.pid)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1.0)  # the workers have imported the planner and run replications
        workers = _children(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    # a worker still importing the planner (seconds, on a busy machine) starts its watch
    # once it has, and then sees its parent gone at once
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers still running after kill -9 of their parent: {left}"


# A worker whose parent dies while the worker is still starting (importing the planner, on a
# busy machine): it is adopted before its watch begins, and must end all the same.
LATE_WORKER = """
import multiprocessing, os, sys, time

def work(pid_file):
    with open(pid_file, "w") as out:
        out.write(str(os.getpid()))
    time.sleep(1.0)  # the parent is gone by now
    import sim  # noqa: F401 - starts the watch, as in every worker
    time.sleep(60)

if __name__ == "__main__":
    multiprocessing.get_context("fork").Process(target=work, args=(sys.argv[1],)).start()
    os._exit(0)  # the parent ends at once, as under kill -9
"""


def test_a_worker_whose_parent_died_while_it_started_ends(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    subprocess.run([sys.executable, "-c", LATE_WORKER, str(pid_file)], cwd=Path.cwd(),
                   check=True, timeout=30)
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.1)
    worker = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    ended = not _alive(worker)
    if not ended:
        os.kill(worker, signal.SIGKILL)
    assert ended, "the worker outlived its parent"
