"""``l2c ui``: serve the app with Streamlit, on this computer only unless asked otherwise.

Streamlit runs in a child process with the address, port and upload limit given; it never
opens a browser itself (headless) and never reports usage. Stopping ``l2c ui`` (Ctrl-C or a
SIGTERM, or even kill -9) stops Streamlit with it. Once the server answers its
health check, the user's browser is opened — only where there is a desktop to open it on,
so a server or a CI job is never handed to a text-mode browser.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable
from pathlib import Path

from sim.errors import PlannerError

SCRIPT = Path(__file__).with_name("main.py")
SAMPLE_ENV = "L2C_APP_SAMPLE"
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for the child when its parent dies
STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0  # after SIGTERM, the server's time to stop before it is killed


def command(host: str, port: int, max_upload_mb: int) -> list[str]:
    """The ``streamlit run`` command line. The planner's source files are not watched:
    Streamlit would unload a changed module while sessions hold objects of its classes (an
    upgrade under a running server), and the next page would fail to validate them."""
    return [sys.executable, "-m", "streamlit", "run", str(SCRIPT),
            "--server.address", host, "--server.port", str(port),
            "--server.maxUploadSize", str(max_upload_mb), "--server.headless", "true",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]


def url(host: str, port: int) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}"


def wait_until_up(address: str, seconds: float = STARTUP_SECONDS,
                  alive: Callable[[], bool] = lambda: True) -> bool:
    """Poll Streamlit's health endpoint until it answers (or the server died)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    return False


def can_open_browser() -> bool:
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _end_with_parent() -> None:
    """In the server, before it starts: on Linux, ask for SIGTERM when ``l2c ui`` dies, so
    a launcher killed outright (kill -9) does not leave the server running."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def serve(host: str, port: int, max_upload_mb: int, *, sample: bool = False,
          open_browser: bool = True, say: Callable[[str], object] = print) -> int:
    """Run the app until it stops (Ctrl-C); returns Streamlit's exit code."""
    if not 1 <= port <= 65535:
        raise PlannerError(f"--port must be between 1 and 65535 (got {port}).")
    if max_upload_mb < 1:
        raise PlannerError(f"--max-upload-mb must be at least 1 (got {max_upload_mb}).")
    environment = dict(os.environ)
    if sample:
        environment[SAMPLE_ENV] = "1"
    address = url(host, port)
    say(f"Starting the planner on {address} (Ctrl-C stops it).")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"Listening on {host}: other computers on your network can open it too.")
    # no other thread runs yet, so the hook before exec is safe
    process = subprocess.Popen(command(host, port, max_upload_mb), env=environment,
                               preexec_fn=_end_with_parent)  # noqa: PLW1509

    def open_when_up() -> None:
        if wait_until_up(address, alive=lambda: process.poll() is None):
            webbrowser.open(address)

    if open_browser and can_open_browser():
        threading.Thread(target=open_when_up, daemon=True).start()

    def stop(signum: int, frame: object) -> None:  # asked to stop: stop Streamlit too
        process.terminate()
        # a server busy in a long read may not get to its own SIGTERM handler: kill it then
        killer = threading.Timer(STOP_SECONDS, process.kill)
        killer.daemon = True
        killer.start()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
