"""The app in a real browser: ``l2c ui`` on a free port, driven by Playwright in Debian's
headless Chromium (never a downloaded browser).

The walk a process owner takes: upload the sample log, calibrate, run "automated
invoicing" against the baseline, read the KPI table, save the comparison and find it on
the Saved page; then the same app in Japanese on a log with Japanese activity names.
Screenshots of every page are kept in ``tests/artifacts/`` to look at.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
STARTUP_S = 60
STEP_MS = 90_000  # the longest a single step (reading, calibrating, a run) may take
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

JAPANESE_PAGES = (("データ", "data"), ("モデル", "model"), ("シナリオ", "scenarios"),
                  ("比較", "compare"), ("目標", "targets"))  # nav label (= heading), file name
PLOTLY_ENGLISH = {"Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes",
                  "Download plot as a PNG", "Download plot as a png"}

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: pip install playwright (never 'playwright install': "
           "the test drives Debian's chromium)")


def _apt_install(*packages: str) -> bool:
    """Install Debian packages when we may (root, apt-get present); True on success."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    done = subprocess.run(command, env=environment, capture_output=True, check=False)
    if done.returncode != 0:  # a fresh machine may need its package lists first
        subprocess.run(["apt-get", "update"], env=environment, capture_output=True,
                       check=False)
        done = subprocess.run(command, env=environment, capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).is_file() and not _apt_install("chromium"):
        pytest.skip(f"{CHROMIUM} is missing and cannot be installed here (needs root and "
                    "apt-get): install Debian's 'chromium' package to run the browser test")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"'apt-get install chromium' did not provide {CHROMIUM}")
    fonts = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True,
                           check=False) if shutil.which("fc-list") else None
    if fonts is not None and not fonts.stdout.strip():
        _apt_install("fonts-noto-cjk")  # best effort: only the Japanese screenshots need it
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(home: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``l2c ui [OPTIONS]`` on a free localhost port, with its saved comparisons and
    scenarios in ``home``: the address and the ``l2c ui`` process, while the block runs."""
    port = _free_port()
    l2c = Path(sys.executable).with_name("l2c")
    command = ([str(l2c)] if l2c.is_file() else [sys.executable, "-m", "ui.cli"])
    environment = dict(os.environ, L2C_SAVED_DB=str(home / "saved.sqlite"),
                       L2C_SCENARIO_DIR=str(home / "scenarios"), L2C_APP_JOBS="1")
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``l2c ui`` on a free localhost port, with its own saved-comparisons database."""
    with serving(tmp_path_factory.mktemp("app")) as (url, _):
        yield url


@pytest.fixture
def page(chromium: str) -> Iterator[Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS,
                                             headless=True)
        context = browser.new_context(viewport={"width": 1440, "height": 1700},
                                      locale="en-GB")
        tab = context.new_page()
        tab.set_default_timeout(STEP_MS)
        try:
            yield tab
        finally:
            browser.close()


def shoot(page: Page, name: str) -> None:
    """A screenshot once the app has finished running (no 'Running…' indicator)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)
    page.locator('[data-testid="stStatusWidget"]').wait_for(
        state="detached", timeout=STEP_MS)
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


def button(page: Page, label: str) -> object:
    """A Streamlit button by its label (its icon is text too, so no exact role match)."""
    return page.locator('[data-testid^="stBaseButton"]').filter(
        has=page.get_by_text(label, exact=True)).first


def upload(page: Page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
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
    page.get_by_role("heading", name="Results").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()


def run_automated_invoicing(page: Page) -> None:
    """Automated invoicing against the baseline: 2 replications of 300 new cases."""
    run_comparison(page, "Automated invoicing · library", 300)
    assert "Invoice lag" in page.locator("body").inner_text()


def save_comparison(page: Page, name: str) -> None:
    field = page.get_by_label("Name", exact=True)
    field.fill(name)
    field.press("Enter")
    page.wait_for_timeout(600)
    button(page, "Save").click()
    page.get_by_text(f"Saved as '{name}'.").wait_for()


def test_upload_calibrate_compare_save_find(server: str, page: Page,
                                            tmp_path: Path) -> None:
    from calibration.sample import write_sample

    sample = write_sample(tmp_path / "sample.csv")
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    upload(page, sample)
    page.get_by_text("What is in the log").wait_for()
    page.get_by_text("3,064").first.wait_for()
    shoot(page, "01_data")

    button(page, "Calibrate the model").click()
    page.get_by_text("The process model is ready").first.wait_for()

    go(page, "Model")
    page.get_by_text("What calibration found").wait_for()
    shoot(page, "02_model")

    go(page, "Scenarios")
    page.get_by_text("Start from").wait_for()
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Automated invoicing · library").click()
    button(page, "Open").click()
    page.get_by_text("automate: {activity: Invoice Generated").wait_for()
    shoot(page, "03_scenarios")

    go(page, "Compare")
    run_automated_invoicing(page)
    shoot(page, "04_compare")

    name = "Automated invoicing, browser test"
    save_comparison(page, name)
    go(page, "Saved")
    page.get_by_text(name).first.wait_for()
    page.get_by_role("heading", name=name).wait_for()
    shoot(page, "05_saved")

    go(page, "Targets")
    fill_replications(page, 2)
    fill_number(page, "New cases", 300)
    button(page, "Find the answer").click()
    page.get_by_role("heading", name="Evidence").wait_for()
    shoot(page, "06_targets")

    go(page, "Saved")
    page.locator('[data-testid="stSidebar"]').get_by_text("日本語").click()
    page.get_by_role("heading", name="保存済みの比較").wait_for()
    shoot(page, "09_saved_japanese")
    # The saved table renders after the heading: wait for its Japanese KPI name.
    sync_api.expect(page.locator("body")).to_contain_text("請求の遅れ", timeout=60_000)
    for number, (title, slug) in enumerate(JAPANESE_PAGES, start=11):
        go(page, title)
        shoot(page, f"{number}_{slug}_japanese")
        charts = page.locator('[data-testid="stPlotlyChart"]')
        if charts.count():  # the charts, further down the page
            charts.first.scroll_into_view_if_needed()
            shoot(page, f"{number}_{slug}_charts_japanese")
        titles = set(page.locator(".modebar-btn[data-title]").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"))
        assert not titles & PLOTLY_ENGLISH, f"Plotly's toolbar in English on {title}: {titles}"


def test_japanese_labels_and_activity_names(server: str, page: Page,
                                            tmp_path: Path) -> None:
    from calibration.sample import sample_path

    text = gzip.decompress(sample_path("d365").read_bytes()).decode("utf-8")
    for english, japanese in JAPANESE.items():
        text = text.replace(f",{english},", f",{japanese},")
    log = tmp_path / "商談ログ.csv"
    log.write_text(text, encoding="utf-8")
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("日本語").click()
    page.get_by_role("heading", name="データ").first.wait_for()
    upload(page, log)
    page.get_by_text("ログの概要").wait_for()
    graph = page.locator('[data-testid="stGraphVizChart"] svg').first
    graph.wait_for()
    shoot(page, "07_data_japanese")
    assert "見積承認" in graph.inner_html()
    button(page, "モデルを学習する").click()
    page.get_by_text("プロセスモデルができました").first.wait_for()
    go(page, "モデル")
    page.get_by_text("学習で分かったこと").wait_for()
    shoot(page, "08_model_japanese")
