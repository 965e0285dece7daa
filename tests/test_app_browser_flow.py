"""Calibrating in a real browser keeps the user's place: the validation report they opened
stays open, and the message is said where they pressed the button, in view (Playwright in
Debian's Chromium, as in ``test_app_browser``; one server for the walks)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser import button, shoot, upload

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

def _in_view(page: Page, element: Locator) -> bool:
    box = element.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_calibrating_keeps_the_report_open_and_the_message_in_view(
        server: str, page: Page, tmp_path: Path) -> None:
    from calibration.sample import write_sample

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    upload(page, write_sample(tmp_path / "sample.csv"))
    page.get_by_text("What is in the log").wait_for()
    report = page.locator('[data-testid="stExpander"] details').filter(
        has_text="Validation report")
    report.locator("summary").click()
    page.wait_for_timeout(500)
    assert report.get_attribute("open") is not None
    calibrate = button(page, "Calibrate the model")
    calibrate.scroll_into_view_if_needed()
    calibrate.click()
    message = page.get_by_text("The process model is ready").first
    message.wait_for()
    shoot(page, "10_data_calibrated")
    assert report.get_attribute("open") is not None, "the report the user opened stays open"
    assert _in_view(page, message), "the message is where the user is"
