"""``kill -9`` of ``l2c compare`` while its workers run: the workers end too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sim.parent_watch import POLL_SECONDS
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


def _workers(pid: int) -> list[int]:
    """The loky worker processes among ``pid``'s children (not its resource trackers)."""
    found = []
    for child in _children(pid):
        try:
            if b"popen_loky_posix" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    """Running (an exited process that nobody reaped yet is a zombie: it holds nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _end_time(startup_seconds: float) -> float:
    """When orphans must be gone: a worker needs at most its own start-up (a Python that
    imports the planner, measured here by how long the command took to start its workers,
    three times over for a load that grows meanwhile) and two polls of its watch. Far below
    loky's 300 s idle timeout, so a worker left waiting for work is caught."""
    return time.monotonic() + max(3 * startup_seconds, 5.0) + 2 * POLL_SECONDS


def _assert_all_end(pids: list[int], startup_seconds: float, what: str) -> None:
    """Every one of ``pids`` ends in time (those that do not are killed, then reported)."""
    deadline = _end_time(startup_seconds)
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pids if _alive(pid)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{what} still running after kill -9 of their parent: {left}"


def test_workers_end_when_compare_is_killed(workdir: Path) -> None:
    """Killed as soon as its workers exist, before their first task (the hardest moment: a
    worker that had not yet started its watch would wait for work for 300 s)."""
    command: list[str | Path] = [L2C, "compare", "model.json", SCENARIOS / "automated_invoicing.yaml",
               "--reps", "20", "--days", "365", "--jobs", "2"]
    began = time.monotonic()
    parent = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              env=os.environ | {"L2C_SAVED_DB": str(workdir / "s.sqlite")})
    try:
        deadline = began + 120
        while len(_workers(parent.pid)) < 2 and time.monotonic() < deadline:
            assert parent.poll() is None, "compare ended before starting its workers"
            time.sleep(0.05)
        startup = time.monotonic() - began
        workers = _workers(parent.pid)
        orphans = _children(parent.pid)  # the workers and loky's resource trackers
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert len(workers) >= 2, "the workers did not start"
    _assert_all_end(orphans, startup, "processes of compare")


# Two workers, one task: the second worker starts and waits for a task that never comes.
IDLE_WORKER = """
import sys, time
from pathlib import Path
from joblib import delayed
from sim.parent_watch import worker_pool

def nap(flag):
    Path(flag).write_text("working")
    time.sleep(120)

if __name__ == "__main__":
    list(worker_pool(2)(delayed(nap)(sys.argv[1]) for _ in range(1)))
"""


def test_a_worker_that_never_got_a_task_ends_with_its_parent(tmp_path: Path) -> None:
    flag = tmp_path / "working"
    began = time.monotonic()
    parent = subprocess.Popen([sys.executable, "-c", IDLE_WORKER, str(flag)], cwd=Path.cwd())
    try:
        deadline = began + 120
        while not flag.exists() and time.monotonic() < deadline:
            assert parent.poll() is None, "the pool ended before its task began"
            time.sleep(0.05)
        startup = time.monotonic() - began
        workers = _workers(parent.pid)
        orphans = _children(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert len(workers) == 2, f"two workers expected, found {workers}"
    _assert_all_end(orphans, startup, "a busy and an idle worker")


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
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", LATE_WORKER, str(pid_file)], cwd=Path.cwd(),
                   check=True, timeout=120)
    deadline = began + 120
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.1)
    startup = time.monotonic() - began + 1.0  # and the second the worker waits on purpose
    _assert_all_end([int(pid_file.read_text())], startup, "the worker")
