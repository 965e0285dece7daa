"""The KPI table fits the page and shows every name and number whole: at 1,440 and 1,400 px
wide, with the sidebar open and every KPI shown (long names such as "Waiting before: First
Customer Contact", money per month), the Verdict column is in view without scrolling
sideways, and each column is wider than its longest text as the browser draws it
(Playwright, Debian's Chromium).

The grid draws on a canvas, so a cut-off text leaves no trace in the page; the test reads
every cell from the grid's accessible table, measures it in the grid's own font, and holds
it against the width the app gives its column.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tests.browser import calibrated_sample, go, run_automated_invoicing, shoot
from ui.app.table_widths import NAMES_FLOOR_PX, column_widths

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

WIDTHS = (1440, 1400)
CELL_PADDING_PX = 16  # the grid's padding of a cell, both sides
OVERFLOW = """table => {
  const grid = table.querySelector('.dvn-scroller');
  return grid.scrollWidth - grid.clientWidth;
}"""
CELLS = """async table => {
  const grid = table.querySelector('.dvn-scroller');
  const found = {};
  for (let top = 0; ; top += 300) {
    grid.scrollTop = top;
    grid.dispatchEvent(new Event('scroll'));
    await new Promise(done => setTimeout(done, 300));
    for (const cell of table.querySelectorAll('td[id^="glide-cell-"]')) {
      const [, column, row] = cell.id.match(/glide-cell-(\\d+)-(\\d+)/);
      found[`${row}:${column}`] = cell.textContent;
    }
    if (top >= grid.scrollHeight - grid.clientHeight) break;
  }
  grid.scrollTop = 0;
  const header = [...table.querySelectorAll('th')].map(h => h.textContent);
  return {header, found};
}"""
MEASURE = """texts => {
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = '14px "Source Sans", sans-serif';
  return texts.map(text => pen.measureText(text).width);
}"""


def _table(table: Locator) -> pd.DataFrame:
    """Every cell of the grid, read from its accessible table (scrolled row by row)."""
    read = table.evaluate(CELLS)
    rows: dict[int, dict[str, str]] = {}
    for place, text in read["found"].items():
        row, column = map(int, place.split(":"))
        rows.setdefault(row, {})[read["header"][column]] = text
    return pd.DataFrame([rows[r] for r in sorted(rows)], columns=read["header"])


def test_every_number_of_the_kpi_table_is_whole_at_1440_and_1400_px(
        server: str, page: Page, tmp_path: Path) -> None:
    page.set_viewport_size({"width": WIDTHS[0], "height": 1400})
    calibrated_sample(page, server, tmp_path)
    go(page, "Compare")
    run_automated_invoicing(page)
    page.get_by_text("Show every KPI").click()
    grid = page.locator('[data-testid="stDataFrame"] [aria-rowcount]').first
    page.wait_for_function("grid => Number(grid.getAttribute('aria-rowcount')) > 40",
                           arg=grid.element_handle())  # every KPI, not the 20 headline ones
    table = page.locator('[data-testid="stDataFrame"]').first
    rows = int(grid.get_attribute("aria-rowcount") or 0) - 1  # less the header row
    frame = _table(table)
    assert len(frame) == rows > 40 and "Difference" in frame.columns, (len(frame), rows)
    given = column_widths(frame)  # the app's widths, from the same texts
    for column in frame.columns:  # the names too: none is cut off at 1,400 px
        texts = [column, *frame[column].dropna()]
        drawn = max(page.evaluate(MEASURE, texts)) + CELL_PADDING_PX
        assert drawn <= given[column], (column, drawn, given[column])
    assert given[frame.columns[0]] >= NAMES_FLOOR_PX
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1400})
        page.wait_for_timeout(1500)
        shoot(page, f"04_compare_{width}")
        assert table.evaluate(OVERFLOW) <= 1, f"the table scrolls sideways at {width} px"
