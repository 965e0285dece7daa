"""Script injection in a real browser: the log, scenario and saved name of
``test_hostile_app_injection`` in Debian's headless Chromium, on every page and the process
map. No script may run (a dialog opened by ``alert`` fails the test), no element the names
describe may appear in the page, and the names must be there as text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.hostile.test_hostile_app_injection import (
    ACTIVITIES,
    SAVED,
    SCENARIO,
    hostile_log,
    hostile_scenario,
)
from tests.test_app_browser import (
    FLAGS,
    STEP_MS,
    button,
    chromium,  # noqa: F401 - the browser fixture, used by name
    fill_number,
    go,
    serving,
    sync_api,
    upload,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

INJECTED = ('img[src="x"], img[src="y"], script:text("alert"), iframe, svg[onload], '
            "b[onmouseover]")
PAGE_TITLES = ("Model", "Scenarios", "Compare", "Targets", "Saved")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    hostile_scenario(tmp_path / "scenarios")
    return tmp_path


def _no_injection(page: Page, dialogs: list[str], where: str) -> None:
    page.wait_for_timeout(800)  # let the page's scripts and charts run
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached",
                                                             timeout=STEP_MS)
    assert not dialogs, f"a script ran on {where}: {dialogs}"
    assert page.locator(INJECTED).count() == 0, f"an injected element on {where}"


def test_hostile_names_stay_text_in_chromium(home: Path,
                                             chromium: str) -> None:  # noqa: F811
    log = home / "hostile.csv"
    log.write_bytes(hostile_log())
    dialogs: list[str] = []
    with serving(home) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS,
                                             headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1700})
            page.set_default_timeout(STEP_MS)
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message),
                                              dialog.dismiss()))
            page.goto(url)
            page.get_by_role("heading", name="Data").wait_for()
            upload(page, log)
            graph = page.locator('[data-testid="stGraphVizChart"] svg').first
            graph.wait_for()
            _no_injection(page, dialogs, "the Data page")
            names = graph.text_content() or ""
            assert all(name in names for name in ACTIVITIES.values()), "names in the map"
            button(page, "Calibrate the model").click()
            page.get_by_text("The process model is ready").first.wait_for()
            for title in PAGE_TITLES:
                go(page, title)
                _no_injection(page, dialogs, f"the {title} page")
            go(page, "Compare")
            page.locator('[data-testid="stMultiSelect"]').first.click()
            page.get_by_role("option", name=SCENARIO, exact=False).first.click()
            page.keyboard.press("Escape")
            fill_number(page, "Replications", 2)
            page.get_by_text("a number of new cases").click()
            page.wait_for_timeout(600)
            fill_number(page, "New cases", 200)
            button(page, "Run the comparison").click()
            page.get_by_role("heading", name="Results").wait_for()
            _no_injection(page, dialogs, "the Compare page's results")
            assert SCENARIO in page.locator("body").inner_text()
            field = page.get_by_label("Name", exact=True)
            field.fill(SAVED)
            field.press("Enter")
            page.wait_for_timeout(600)
            button(page, "Save").click()
            page.get_by_text(f"Saved as '{SAVED}'.").wait_for()
            go(page, "Saved")
            page.get_by_role("heading", name=SAVED).wait_for()
            _no_injection(page, dialogs, "the Saved page")
        finally:
            browser.close()
