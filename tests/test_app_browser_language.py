"""A language switch in the browser (Playwright, Debian's Chromium): the uploaders' buttons
and limits, which Streamlit's browser code writes in English, read in Japanese; after the
switch no radio group is left without its choice and the currency setting keeps its value;
Streamlit's own table and chart toolbars, whose tooltips it writes in English only, are
hidden on a Japanese page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser import STEP_MS, button, go, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Page

SHOWN = """element => {
  const own = getComputedStyle(element);
  const after = getComputedStyle(element, '::after').content;
  return own.fontSize === '0px' ? after : element.textContent;
}"""
BLANK_RADIOS = """() => [...document.querySelectorAll('[data-testid="stRadio"]')]
  .filter(group => !group.querySelector('input:checked'))
  .map(group => group.innerText.split('\\n')[0])"""
CURRENCY = '[data-testid="stSidebar"] [data-testid="stTextInput"] input'
TOOLBARS = '[data-testid="stElementToolbar"]'  # tooltips in English only
WITH_TOOLBAR = '.stElementContainer:has([data-testid="stElementToolbar"]):visible'


def switch(tab: Page, language: str, title: str) -> None:
    """Switch and wait for the run to end: until then the page still shows the elements of
    the run before, in the other language, beside the new ones."""
    tab.locator('[data-testid="stSidebar"]').get_by_text(language, exact=True).click()
    tab.get_by_role("heading", name=title).wait_for()
    tab.wait_for_timeout(400)
    tab.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)
    tab.wait_for_timeout(400)


def test_a_switch_to_japanese_leaves_nothing_blank_or_english(
        server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    switch(page, "日本語", "データ")
    zones = page.locator('[data-testid="stFileUploaderDropzone"]')  # the log's, the tables'
    uploads = zones.locator('[data-testid="stBaseButton-secondary"] p')
    limits = zones.locator('[data-testid="stFileUploaderDropzoneInstructions"] span')
    assert [u.evaluate(SHOWN).strip('"') for u in uploads.all()] == ["アップロード"] * 2
    shown = [limit.evaluate(SHOWN) for limit in limits.all()]
    assert all("MB まで" in text for text in shown) and len(shown) == 2, shown
    assert "XES" in shown[0] and "ZIP" in shown[1], "each uploader names its own file types"
    assert page.locator(CURRENCY).input_value() == "USD"
    shoot(page, "07_data_japanese_uploaders")
    switch(page, "English", "Data")
    assert [u.evaluate(SHOWN) for u in uploads.all()] == ["Upload"] * 2

    button(page, "Use the bundled sample").click()
    page.get_by_text("What is in the log").wait_for()
    button(page, "Calibrate the model").click()
    page.get_by_text("The process model is ready").first.wait_for()
    for english, japanese in (("Compare", "比較"), ("Targets", "目標")):
        go(page, english)
        page.wait_for_timeout(800)
        switch(page, "日本語", japanese)
        assert page.evaluate(BLANK_RADIOS) == [], f"blank radio groups on {japanese}"
        assert page.locator(CURRENCY).input_value() == "USD"
        switch(page, "English", english)
    go(page, "Data")
    page.locator(WITH_TOOLBAR).first.hover()
    assert page.locator(TOOLBARS).first.is_visible(), "English: Streamlit's own toolbar"
    switch(page, "日本語", "データ")
    page.locator(WITH_TOOLBAR).first.hover()
    page.wait_for_timeout(400)
    assert page.locator(TOOLBARS).count() and not any(
        toolbar.is_visible() for toolbar in page.locator(TOOLBARS).all()), \
        "Japanese: Streamlit's English-only toolbars are hidden"
