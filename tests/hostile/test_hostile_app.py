"""Hostile uploads in the app (``streamlit.testing``, no browser): a message on the page,
within bounded time, with the upload kept privately and no server path shown."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calibration.limits import Limit
from sim.errors import PlannerError
from tests.hostile.cli import FIGURES
from ui.app import isolated, uploads

MAIN = str(Path(__file__).resolve().parents[2] / "ui" / "app" / "main.py")


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("L2C_SAVED_DB", str(tmp_path / "saved.sqlite"))
    monkeypatch.setenv("L2C_APP_JOBS", "1")


def _upload(name: str, data: bytes) -> tuple[AppTest, str, float]:
    """A session on the Data page that uploads ``data``: the app, the page's text, seconds."""
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["start_page"] = "data"
    at.run()
    began = time.perf_counter()
    at.file_uploader(key="data.upload").upload(name, data, "application/octet-stream")
    at.run()
    seconds = time.perf_counter() - began
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(e.value) for kind in ("markdown", "caption", "warning", "error",
                                                 "info", "subheader") for e in getattr(at, kind))
    assert "Traceback" not in shown and "Sorry" not in shown
    assert str(uploads.root()) not in shown and "/tmp" not in shown, shown
    return at, shown, seconds


def test_an_xlsx_bomb_upload_is_refused_in_seconds(xlsx_bomb: Path) -> None:
    data = xlsx_bomb.read_bytes()
    _, shown, seconds = _upload("bomb.xlsx", data)
    assert "bomb.xlsx: the sheet in xl/worksheets/sheet1.xml has more than 1,048,576 rows" in shown
    assert seconds < 20


def test_uploads_are_private_few_and_named_by_their_upload_name() -> None:
    huge = b"case_id,activity,start_time\nC1," + b"A" * (2 << 20) + b",2024-01-01\n"
    _, shown, _ = _upload("huge field.csv", huge)
    assert "huge field.csv: row 2 (the header is row 1) is longer than 1,024 KB" in shown
    folder = uploads.root()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kept = [p for p in folder.rglob("*") if p.is_file()]
    assert kept and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept)
    for number in range(uploads.KEPT + 2):
        uploads.keep(f"case_id,activity\n{number},x\n".encode(), f"log{number}.csv")
    assert len([p for p in folder.iterdir() if p.is_dir()]) == uploads.KEPT


def test_folders_left_by_a_killed_server_are_removed(tmp_path: Path) -> None:
    dead = 2**22 + 7  # above the usual pid_max: no such process
    left = tmp_path / f"{uploads.PREFIX}{dead}-abc"
    (left / "x").mkdir(parents=True)
    (left / "x" / "log.csv").write_bytes(b"secret")
    alive = tmp_path / f"{uploads.PREFIX}{os.getpid()}-def"
    alive.mkdir()
    legacy = tmp_path / uploads.LEGACY
    legacy.mkdir()
    assert sorted(uploads.remove_stale(tmp_path)) == sorted([left, legacy])
    assert alive.is_dir() and not left.exists() and not legacy.exists()


SESSION = """
import gc, json, sys
from pathlib import Path
from streamlit.testing.v1 import AppTest
from ui.app import memory

def resident(key):
    return next(int(line.split()[1]) // 1024 for line in open("/proc/self/status")
                if line.startswith(key))

at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.session_state["start_page"] = "data"
at.run()
before = resident("VmRSS")
at.file_uploader(key="data.upload").upload("big.csv", Path(sys.argv[2]).read_bytes(), "text/csv")
at.run()
cases = next(m.value for m in at.metric if m.label == "Cases")
del at
memory.release()
print(json.dumps({"cases": cases, "before": before, "after": resident("VmRSS"),
                  "peak": resident("VmHWM")}))
"""


def test_a_closed_session_gives_its_upload_memory_back(tmp_path: Path) -> None:
    """A 20 MB upload in a session of its own: the peak stays bounded, and once the session
    is gone the server is back near its size before the upload."""
    rows = [f"C{case},{activity},2024-01-{day:02d} 09:00,Ann\n" for case in range(90_000)
            for day, activity in ((1, "Lead Created"), (2, "Quote Created"), (3, "Won"))]
    log = tmp_path / "big.csv"
    log.write_text("case_id,activity,timestamp,resource\n" + "".join(rows), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SESSION, MAIN, str(log)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False,
                          env=os.environ | {"L2C_SAVED_DB": str(tmp_path / "s.sqlite")})
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    FIGURES.append((f"app: 20 MB upload, session closed (after {figures['after']} MB, "
                    f"before {figures['before']} MB)", 0, 0.0, float(figures["peak"])))
    assert figures["cases"] == "90,000"
    assert figures["peak"] < 1024
    assert figures["after"] - figures["before"] < 80, figures


def test_a_read_over_its_time_or_memory_is_stopped_and_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = uploads.keep(b"case_id,activity,timestamp\n" + b"C1,Lead,2024-01-01\n" * 1_000_000,
                           "slow log.csv")
    monkeypatch.setenv("L2C_APP_READ_MB", "1")
    began = time.perf_counter()
    with pytest.raises(PlannerError, match=r"needed more than 1 MB of memory.*L2C_APP_READ_MB"):
        isolated.read(path, "slow log.csv")
    assert time.perf_counter() - began < 20
    monkeypatch.setattr(isolated, "SECONDS", Limit("L2C_TEST_UNSET", 0, "no time at all"))
    with pytest.raises(PlannerError, match=r"Reading 'slow log\.csv' took more than 0 seconds"):
        isolated.read(path, "slow log.csv")
