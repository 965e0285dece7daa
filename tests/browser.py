"""The app in a real browser, the parts every browser test shares: ``l2c ui`` started on a
free port and the steps a user takes in Playwright, driving Debian's headless Chromium
(never a downloaded browser; ``make test`` installs Debian's package). Screenshots are kept
in ``tests/artifacts/`` to look at."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
STARTUP_S = 60
STEP_MS = 90_000  # the longest a single step (reading, calibrating, a run) may take
POLL_MS = 2_000  # how often a long run's progress bar is read
RUN_CAP_S = 1_200  # a run still moving after this long has hung in a loop, not slowed down
BAR_FILL = """() => {
  const bar = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
  return bar === null ? null : Number(bar.getAttribute('aria-valuenow'));
}"""
JAPANESE = {
    "Lead Created": "リード作成", "Lead Qualified": "リード評価",
    "Opportunity Created": "商談作成", "First Customer Contact": "初回顧客接触",
    "Solution Proposed": "ソリューション提案", "Quote Created": "見積作成",
    "Quote Approved": "見積承認", "Quote Accepted": "見積受諾",
    "Contract Signed": "契約締結", "Opportunity Won": "受注", "Opportunity Lost": "失注",
    "Sales Order Created": "受注登録", "Order Fulfilled": "納品完了",
    "Invoice Generated": "請求書作成", "Invoice Sent": "請求書送付",
    "Payment Received": "入金確認",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(home: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``l2c ui [OPTIONS]`` on a free localhost port, with its saved comparisons, scenarios
    and measured replications in ``home`` (a run the tests before made in-process is not
    served from the cache, so a walk waits for its runs as a user does): the address and
    the ``l2c ui`` process, while the block runs."""
    port = _free_port()
    l2c = Path(sys.executable).with_name("l2c")
    command = ([str(l2c)] if l2c.is_file() else [sys.executable, "-m", "ui.cli"])
    environment = dict(os.environ, L2C_SAVED_DB=str(home / "saved.sqlite"),
                       L2C_SCENARIO_DIR=str(home / "scenarios"), L2C_APP_JOBS="1",
                       L2C_CACHE_DIR=str(home / "replications"))
    log = (home / "server.log").open("wb")
    process = subprocess.Popen([*command, "ui", "--port", str(port), "--no-open", *options],
                               env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    else:
        process.terminate()
        log.close()
        pytest.fail("l2c ui did not come up:\n"
                    + (home / "server.log").read_text(errors="replace"))
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


SETTLED = """() => !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .filter(chart => chart.checkVisibility())
       .every(chart => chart.querySelector('.main-svg'))"""


def settle(page: Page) -> None:
    """Wait until the app has finished running: no 'Running…' indicator, no element left
    over from the run before (Streamlit greys them), no placeholder still waiting for its
    element. A click made while the page is still being drawn can race the run."""
    page.wait_for_timeout(400)
    page.locator('[data-testid="stStatusWidget"]').wait_for(
        state="detached", timeout=STEP_MS)
    page.wait_for_function(SETTLED, timeout=STEP_MS)


def shoot(page: Page, name: str) -> None:
    """A screenshot once the app has finished running and drawing (``settle``), every chart
    in view drawn."""
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.wait_for_timeout(1200)  # charts draw after the script
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def go(page: Page, title: str) -> None:
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for()


def fill_number(page: Page, label: str, value: int) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(str(value))
    field.press("Enter")
    page.wait_for_timeout(600)


def fill_replications(page: Page, value: int) -> None:
    """The replications field, whether it reads "Replications" or "Replications, at most"."""
    field = page.get_by_label(re.compile("^Replications")).first
    field.fill(str(value))
    field.press("Enter")
    page.wait_for_timeout(600)


def button(page: Page, label: str) -> Locator:
    """A Streamlit button by its label (its icon is text too, so no exact role match)."""
    return page.locator('[data-testid^="stBaseButton"]').filter(
        has=page.get_by_text(label, exact=True)).first


def upload(page: Page, path: Path) -> None:
    """The log's upload, the Data page's first (your own KPIs' file has one further down)."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(path))


def run_comparison(page: Page, scenario: str, cases: int) -> None:
    """The scenario whose option reads ``scenario`` against the baseline: 2 replications of
    ``cases`` new cases, until the results table is drawn."""
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name=scenario).first.click()
    page.keyboard.press("Escape")
    fill_replications(page, 2)
    page.get_by_text("a number of new cases").click()
    page.wait_for_timeout(600)
    fill_number(page, "New cases", cases)
    button(page, "Run the comparison").click()
    wait_while_moving(page, page.get_by_role("heading", name="Results"))
    page.locator('[data-testid="stDataFrame"]').first.wait_for()


def run_automated_invoicing(page: Page) -> None:
    """Automated invoicing against the baseline: 2 replications of 300 new cases."""
    run_comparison(page, "Automated invoicing · library", 300)
    assert "Invoice lag" in page.locator("body").inner_text()


def find_target_answer(page: Page) -> None:
    """The Targets page's answer for its default goal: 2 replications of 300 new cases,
    until its evidence is drawn."""
    go(page, "Targets")
    fill_replications(page, 2)
    fill_number(page, "New cases", 300)
    button(page, "Find the answer").click()
    wait_while_moving(page, page.get_by_role("heading", name="Evidence"))


def wait_while_moving(page: Page, done: Locator, still_s: float = STEP_MS / 1000,
                      cap_s: float = RUN_CAP_S) -> None:
    """Wait for ``done`` as long as the run's progress bar keeps moving: a run slowed by a
    busy machine (its replications take several times longer at a load of 15) gets the
    time it needs, one whose bar stands still for ``still_s`` fails, as one that never
    ends does."""
    began = last_moved = time.monotonic()
    last = page.evaluate(BAR_FILL)
    while True:
        try:
            done.wait_for(timeout=POLL_MS)
            return
        except PlaywrightTimeout:
            pass
        now, fill = time.monotonic(), page.evaluate(BAR_FILL)
        if fill != last:
            last, last_moved = fill, now
        assert now - last_moved < still_s, (
            f"no answer, and the progress bar stood still at {fill} for "
            f"{now - last_moved:.0f} s")
        assert now - began < cap_s, f"no answer after {now - began:.0f} s"


def save_comparison(page: Page, name: str) -> None:
    field = page.get_by_label("Name", exact=True)
    field.fill(name)
    field.press("Enter")
    page.wait_for_timeout(600)
    button(page, "Save").click()
    page.get_by_text(f"Saved as '{name}'.").wait_for()


def calibrated_sample(page: Page, server: str, folder: Path) -> None:
    """The bundled sample uploaded on the Data page and calibrated."""
    from calibration.sample import write_sample

    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    upload(page, write_sample(folder / "sample.csv"))
    page.get_by_text("What is in the log").wait_for()
    button(page, "Calibrate the model").click()
    page.get_by_text("The process model is ready").first.wait_for()
