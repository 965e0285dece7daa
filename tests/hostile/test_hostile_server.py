"""The running app server (``l2c ui``) against requests that skip the browser: an upload
sent straight to the server's endpoint with a forged session is refused without harm (with
a real session and its token: ``test_hostile_browser``), and SIGTERM or kill -9 of ``l2c ui``
stops the server."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.hostile.cli import FIGURES, L2C
from tests.hostile.test_hostile_orphans import _alive, _children

UPLOAD_MB = 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(port: int, method: str, path: str, body: bytes = b"") -> int | str:
    """The status of one request, or the name of the error that ended it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None,
                           headers={"Content-Type": "multipart/form-data; boundary=b"})
        return connection.getresponse().status
    except OSError as error:
        return type(error).__name__
    finally:
        connection.close()


def _resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS")) / 1024


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    """``l2c ui`` started and answering: the launcher, the server's pid and its port."""
    port = _free_port()
    launcher = subprocess.Popen([L2C, "ui", "--port", str(port), "--max-upload-mb",
                                 str(UPLOAD_MB), "--no-open"], cwd=folder,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=os.environ | {"TMPDIR": str(folder)})
    deadline = time.monotonic() + 60
    while _request(port, "GET", "/_stcore/health") != 200:
        assert time.monotonic() < deadline and launcher.poll() is None, "no server"
        time.sleep(0.3)
    return launcher, _children(launcher.pid)[0], port


def _ends(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not _alive(pid)


def test_a_direct_upload_is_refused_and_sigterm_stops_the_server(tmp_path: Path) -> None:
    launcher, server, port = _serve(tmp_path)
    try:
        before = _resident_mb(server)
        for size in (1000, 50 << 20):  # under and far over the upload limit
            status = _request(port, "PUT", "/_stcore/upload_file/any-session/any-file",
                              b"x" * size)
            assert status in (400, 403, 413) or isinstance(status, str), status
            FIGURES.append((f"app server: direct PUT of {size:,} bytes -> {status}",
                            0, 0.0, _resident_mb(server)))
        assert _request(port, "GET", "/_stcore/health") == 200, "the server is still up"
        assert _resident_mb(server) - before < 100, "the refused body was not kept"
        assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing written"
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    assert _ends(server), "the server ended with l2c ui"


def test_kill_9_of_l2c_ui_ends_the_server(tmp_path: Path) -> None:
    launcher, server, _ = _serve(tmp_path)
    launcher.send_signal(signal.SIGKILL)
    launcher.wait()
    ended = _ends(server)
    if not ended:
        os.kill(server, signal.SIGKILL)
    assert ended, "the server ended with l2c ui"

