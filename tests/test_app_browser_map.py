"""The Data page's process map in a real browser (Playwright, Debian's Chromium): drawn by
Graphviz in the page, its boxes count the log's events; filtered to lead source Web, the
counts are Web's alone; by performance, the arrows carry median waits and the longest is
the reddest. The Compare page's scenario map cut to the same lead source likewise.
Screenshots: ``tests/artifacts/data_map_*.png`` and ``compare_map_web.png``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from calibration.sample import write_sample
from tests.browser import (
    SETTLED,
    STEP_MS,
    calibrated_sample,
    go,
    run_automated_invoicing,
    shoot,
    upload,
)
from ui.process_map_dot import LONGER

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from sim.eventlog import EventLog

UNITS_DAYS = {"d": 1.0, "h": 1 / 24, "min": 1 / 1440, "s": 1 / 86400}
NODES = """svg => Object.fromEntries([...svg.querySelectorAll('g.node')].map(
  node => [node.querySelector('title').textContent,
           [...node.querySelectorAll('text')].map(t => t.textContent)]))"""
EDGES = """svg => [...svg.querySelectorAll('g.edge')].map(edge => ({
  title: edge.querySelector('title').textContent,
  colour: edge.querySelector('path').getAttribute('stroke'),
  label: [...edge.querySelectorAll('text')].map(t => t.textContent).join(' ').trim()}))"""


def _map(page: Page) -> Locator:
    drawn = page.locator('[data-testid="stGraphVizChart"] svg').first
    drawn.wait_for()
    return drawn


def _leads(page: Page) -> int:
    """The count on the Lead Created box, as the browser draws it."""
    texts = _map(page).evaluate(NODES)["Lead Created"]
    return int(texts[-1].replace(",", ""))


def _choose(page: Page, label: str, option: str) -> None:
    """A Streamlit select box by its label, set to ``option`` (opened again if a rerun of
    the page closed its list before the option could be clicked)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.get_by_text(label, exact=True)).first
    for attempt in range(3):
        settle(page)
        box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    settle(page)


def settle(page: Page) -> None:
    """The app has finished running: no 'Running…' indicator, nothing greyed."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)
    page.wait_for_function(SETTLED, timeout=STEP_MS)


def _days(label: str) -> float:
    found = re.fullmatch(r"([\d.]+)\s(d|h|min|s)", label)
    assert found, repr(label)
    number, unit = found.groups()
    return float(number) * UNITS_DAYS[unit]


def test_the_data_page_map_by_segment_and_by_performance(server: str, page: Page,
                                                        tmp_path: Path,
                                                        sample_log: EventLog) -> None:
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    upload(page, write_sample(tmp_path / "sample.csv"))
    page.get_by_text("What is in the log").wait_for()
    events = sample_log.events
    leads = events[events["activity"] == "Lead Created"]
    assert _leads(page) == len(leads)

    page.get_by_text("Filter the map").click()
    _choose(page, "Case attribute", "lead_source")
    _choose(page, "Value", "Web")
    web = sample_log.cases.index[sample_log.cases["lead_source"].astype(str) == "Web"]
    page.wait_for_function(f"""() => [...document.querySelectorAll(
        '[data-testid="stGraphVizChart"] g.node')].some(n => n.textContent.includes(
        'Lead Created') && n.textContent.includes('{int(leads["case_id"].isin(web).sum()):,}'))
        """)
    assert _leads(page) == int(leads["case_id"].isin(web).sum()) < len(leads)
    page.get_by_text("Filter the map").evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, "data_map_web_frequency")  # the filter, and the map under it

    page.get_by_text("performance", exact=True).first.click()
    page.wait_for_function(r"""() => [...document.querySelectorAll(
        '[data-testid="stGraphVizChart"] g.node')].some(node =>
        node.querySelector('title').textContent === 'Lead Created'
        && /\d (d|h|min|s)$/.test(node.textContent.trim()))""")  # its work, not its count
    settle(page)
    arrows = [a for a in _map(page).evaluate(EDGES) if a["label"]]
    assert len(arrows) > 5, arrows
    waits = {a["title"]: _days(a["label"]) for a in arrows}
    longest = max(arrows, key=lambda a: waits[a["title"]])
    assert longest["colour"] == LONGER, "the longest median wait is the reddest arrow"
    assert len({a["colour"] for a in arrows}) > 2, "the others shade between"
    _map(page).scroll_into_view_if_needed()
    shoot(page, "data_map_web_performance")


def test_the_scenario_map_of_one_lead_source(server: str, page: Page, tmp_path: Path) -> None:
    """Automated invoicing against the baseline, the map cut to Web's leads: their invoices
    wait no more, the baseline's wait before the scenario's none."""
    calibrated_sample(page, server, tmp_path)
    go(page, "Compare")
    run_automated_invoicing(page)
    page.get_by_role("tab", name="Process map").click()
    _map(page)
    page.get_by_text("Filter the map").click()
    _choose(page, "Cases shown", "of one attribute value")
    _choose(page, "Case attribute", "lead_source")
    _choose(page, "Value", "Web")
    page.get_by_text("cases a run on average, in 2 runs").wait_for()
    arrows = {a["title"]: a for a in _map(page).evaluate(EDGES)}
    into = arrows["Order Fulfilled->Invoice Generated"]
    assert into["label"].endswith("→ 0 s") and into["colour"] != LONGER, into
    page.get_by_text("Filter the map").evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, "compare_map_web")
    _map(page).locator("g.edge").filter(has_text="→ 0 s").first.evaluate(
        "e => e.scrollIntoView({block: 'center'})")
    shoot(page, "compare_map_web_invoicing")  # the invoicing steps of Web's cases
