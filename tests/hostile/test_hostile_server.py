"""The running app server (``l2c ui``) against requests that skip the browser: an upload
sent straight to the server's endpoint is refused without harm (with a forged session, and
with a real session and its token, where only the server's own size check stands), and
SIGTERM or kill -9 of ``l2c ui`` stops the server."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import GOOD_CSV
from tests.hostile.cli import FIGURES, L2C
from tests.hostile.test_hostile_orphans import _alive, _children
from tests.test_app_browser import (
    FLAGS,
    chromium,  # noqa: F401 - the browser fixture, used by name
    sync_api,
)

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


@contextlib.contextmanager
def _browser_session(port: int, browser: str, log: Path) -> Iterator[tuple[str, str]]:
    """A real browser session, open while the block runs: its upload address and XSRF
    token, taken from the request the page makes when a small file is uploaded as a user
    would."""
    with sync_api.sync_playwright() as playwright:
        chromium_browser = playwright.chromium.launch(executable_path=browser, args=FLAGS,
                                                      headless=True)
        try:
            page = chromium_browser.new_page()
            with page.expect_request("**/_stcore/upload_file/**", timeout=60_000) as sent:
                page.goto(f"http://127.0.0.1:{port}")
                page.locator('[data-testid="stFileUploader"] input[type="file"]'
                             ).set_input_files(str(log))
            request = sent.value
            yield request.url.split(str(port), 1)[1], request.headers["x-xsrftoken"]
        finally:
            chromium_browser.close()


def _chunked_put(port: int, path: str, token: str, size: int) -> int | str:
    """A multipart upload of ``size`` bytes sent in chunks, without Content-Length (which
    a client could leave out or falsify): the server must count what arrives."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    head = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n")
    block = b"x" * (1 << 20)
    try:
        connection.putrequest("PUT", path)
        for header, value in (("Content-Type", "multipart/form-data; boundary=b"),
                              ("Transfer-Encoding", "chunked"), ("X-Xsrftoken", token),
                              ("Cookie", f"_streamlit_xsrf={token}")):
            connection.putheader(header, value)
        connection.endheaders()
        parts = [head, *[block[: min(len(block), size - start)]
                         for start in range(0, size, len(block))], b"\r\n--b--\r\n"]
        for part in parts:
            connection.send(b"%x\r\n%s\r\n" % (len(part), part))
        connection.send(b"0\r\n\r\n")
        return connection.getresponse().status
    except OSError as error:
        return type(error).__name__
    finally:
        connection.close()


def test_an_upload_past_the_token_check_meets_the_servers_size_limit(
        tmp_path: Path, chromium: str) -> None:  # noqa: F811 - the fixture
    """With a real session and its token, the browser's size check is all that is skipped:
    a small upload is taken (so the request did pass the session and token checks), one
    far over the limit is refused while it streams, and the server's memory stays put."""
    log = tmp_path / "small.csv"
    log.write_text(GOOD_CSV, encoding="utf-8")
    launcher, server, port = _serve(tmp_path)
    try:
        with _browser_session(port, chromium, log) as (session, token):
            forged = session.rsplit("/", 1)[0] + "/forged-file-id"
            before = _resident_mb(server)
            accepted = _chunked_put(port, forged, token, UPLOAD_MB << 19)  # half the limit
            refused = _chunked_put(port, forged, token, 50 << 20)
            after = _resident_mb(server)
        grew = after - before
        FIGURES.append((f"app server: 50 MB upload in a real session -> {refused} "
                        f"(+{grew:.0f} MB)", 0, 0.0, after))
        assert accepted == 204, "the small upload passed the session and token checks"
        assert refused == 413
        assert grew < 100, "the refused body was not kept"
        assert _request(port, "GET", "/_stcore/health") == 200
        assert all(p.stat().st_size < UPLOAD_MB << 20 for p in tmp_path.rglob("*")
                   if p.is_file())
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    assert _ends(server), "the server ended with l2c ui"
