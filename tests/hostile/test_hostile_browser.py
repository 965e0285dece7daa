"""The app in Debian's headless Chromium against hostile input: one server, one browser
session that uploads the log of ``test_hostile_app_injection`` (names that are HTML and
JavaScript), shared by two checks.

- An upload sent with that real session and its XSRF token skips only the browser's size
  check: the server's own limit must stop it while it streams.
- Script injection: on every page and the process map no script may run (a dialog opened
  by ``alert`` fails the test), no element the names describe may appear, and the names
  must be there as text.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Dialog, Page, sync_playwright

from tests.browser import (
    FLAGS,
    STEP_MS,
    button,
    go,
    run_comparison,
    save_comparison,
    serving,
    upload,
)
from tests.hostile.cli import FIGURES
from tests.hostile.test_hostile_app_injection import (
    ACTIVITIES,
    SAVED,
    SCENARIO,
    hostile_log,
    hostile_scenario,
)
from tests.hostile.test_hostile_orphans import _children
from tests.hostile.test_hostile_server import _request, _resident_mb

UPLOAD_MB = 5  # the hostile log is 3.9 MB
INJECTED = ('img[src="x"], img[src="y"], script:text("alert"), iframe, svg[onload], '
            "b[onmouseover]")
PAGE_TITLES = ("Model", "Scenarios", "Compare", "Targets", "Saved")


@dataclass(frozen=True)
class Session:
    """The browser tab, the alerts it saw, and what its upload request carried."""

    page: Page
    dialogs: list[str]
    port: int
    upload_path: str
    token: str
    server_pid: int


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory,
            chromium: str) -> Iterator[Session]:
    """``l2c ui`` with a 5 MB upload limit and a hostile scenario; the hostile log uploaded
    in Chromium, as a user would."""
    home = tmp_path_factory.mktemp("hostile_browser")
    hostile_scenario(home / "scenarios")
    log = home / "hostile.csv"
    log.write_bytes(hostile_log())
    with serving(home, "--max-upload-mb", str(UPLOAD_MB)) as (url, launcher), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS,
                                             headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1700})
            page.set_default_timeout(STEP_MS)
            dialogs: list[str] = []
            def dismiss(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", dismiss)
            page.goto(url)
            page.get_by_role("heading", name="Data").wait_for()
            with page.expect_request("**/_stcore/upload_file/**") as sent:
                upload(page, log)
            port = int(url.rsplit(":", 1)[1])
            yield Session(page, dialogs, port, sent.value.url.split(str(port), 1)[1],
                          sent.value.headers["x-xsrftoken"], _children(launcher.pid)[0])
        finally:
            browser.close()


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
        session: Session) -> None:
    """A small upload is taken (so the request did pass the session and token checks), one
    far over the limit is refused while it streams, and the server's memory stays put."""
    forged = session.upload_path.rsplit("/", 1)[0] + "/forged-file-id"
    before = _resident_mb(session.server_pid)
    accepted = _chunked_put(session.port, forged, session.token, UPLOAD_MB << 19)  # half
    refused = _chunked_put(session.port, forged, session.token, 50 << 20)
    after = _resident_mb(session.server_pid)
    FIGURES.append((f"app server: 50 MB upload in a real session -> {refused} "
                    f"(+{after - before:.0f} MB)", 0, 0.0, after))
    assert accepted == 204, "the small upload passed the session and token checks"
    assert refused == 413
    assert after - before < 100, "the refused body was not kept"
    assert _request(session.port, "GET", "/_stcore/health") == 200


def _no_injection(session: Session, where: str) -> None:
    page = session.page
    page.wait_for_timeout(300)  # let the page's scripts and charts run
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached",
                                                             timeout=STEP_MS)
    assert not session.dialogs, f"a script ran on {where}: {session.dialogs}"
    assert page.locator(INJECTED).count() == 0, f"an injected element on {where}"


def test_hostile_names_stay_text_on_every_page(session: Session) -> None:
    page = session.page
    graph = page.locator('[data-testid="stGraphVizChart"] svg').first
    graph.wait_for()
    _no_injection(session, "the Data page")
    names = graph.text_content() or ""
    assert all(name in names for name in ACTIVITIES.values()), "names in the process map"
    button(page, "Calibrate the model").click()
    page.get_by_text("The process model is ready").first.wait_for()
    for title in PAGE_TITLES:
        go(page, title)
        _no_injection(session, f"the {title} page")
    go(page, "Compare")
    run_comparison(page, SCENARIO, 200)
    _no_injection(session, "the Compare page's results")
    assert SCENARIO in page.locator("body").inner_text()
    save_comparison(page, SAVED)
    go(page, "Saved")
    page.get_by_role("heading", name=SAVED).wait_for()
    _no_injection(session, "the Saved page")

