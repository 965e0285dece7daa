"""The KPI table fits the page: at 1,400 px wide, with the sidebar open and every KPI shown
(long names such as "Waiting before: Payment Received"), the Verdict column is in view
without scrolling sideways (Playwright, Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser import button, go, run_automated_invoicing, shoot, upload

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIDTH = 1400
OVERFLOW = """table => {
  const grid = table.querySelector('.dvn-scroller');
  return grid.scrollWidth - grid.clientWidth;
}"""


def test_the_verdict_column_is_in_view_at_1400_px(server: str, page: Page,
                                                   tmp_path: Path) -> None:
    from calibration.sample import write_sample

    page.set_viewport_size({"width": WIDTH, "height": 1400})
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    upload(page, write_sample(tmp_path / "sample.csv"))
    page.get_by_text("What is in the log").wait_for()
    button(page, "Calibrate the model").click()
    page.get_by_text("The process model is ready").first.wait_for()
    go(page, "Compare")
    run_automated_invoicing(page)
    page.get_by_text("Show every KPI").click()
    grid = page.locator('[data-testid="stDataFrame"] [aria-rowcount]').first
    page.wait_for_function("grid => Number(grid.getAttribute('aria-rowcount')) > 40",
                           arg=grid.element_handle())  # every KPI, not the 20 headline ones
    shoot(page, "04_compare_1400")
    table = page.locator('[data-testid="stDataFrame"]').first
    assert table.evaluate(OVERFLOW) <= 1, "the KPI table scrolls sideways: Verdict is cut off"
