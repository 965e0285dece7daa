"""The app in a real browser: ``l2c ui`` on a free port, driven by Playwright in Debian's
headless Chromium (never a downloaded browser).

The walk a process owner takes: upload the sample log, calibrate, run "automated
invoicing" against the baseline (its progress bar only moves forward), read the KPI table,
save the comparison and find it on the Saved page, ask Targets (its bar says the time left);
then every page in Japanese, the Data page naming the upload in use, and the same app in
Japanese on a log with Japanese activity names.
Screenshots of every page are kept in ``tests/artifacts/`` to look at. The steps and the
server are shared with the other browser walks (``tests/browser.py``, ``tests/conftest.py``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from playwright.sync_api import Page, expect

from sim.eventlog import EventLog
from sim.model import ProcessModel
from tests.browser import (
    JAPANESE,
    button,
    find_target_answer,
    go,
    run_automated_invoicing,
    save_comparison,
    shoot,
    upload,
)
from tests.test_app_language import WORD, english

JAPANESE_PAGES = (("データ", "data"), ("モデル", "model"), ("シナリオ", "scenarios"),
                  ("比較", "compare"), ("目標", "targets"))  # nav label (= heading), file name
PLOTLY_ENGLISH = {"Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes",
                  "Download plot as a PNG", "Download plot as a png"}
FILE_TYPES = {"tsv", "txt", "xlsm", "xml"}  # as the uploaders list them, like "CSV"
WATCH_BARS = """() => {
  window.bars = [];
  let last = null;
  if (window.barWatch) window.barWatch.disconnect();
  window.barWatch = new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
    if (bar === null) return;
    const now = [Number(bar.getAttribute('aria-valuenow')),
                 bar.closest('[data-testid="stProgress"]').innerText.trim()];
    if (last === null || now[0] !== last[0] || now[1] !== last[1]) window.bars.push(now);
    last = now;
  });
  window.barWatch.observe(document.body, {subtree: true, childList: true, attributes: true,
                                          characterData: true});
}"""


def watch_bars(page: Page) -> None:
    """Record every fill and text the page's progress bar shows from now on."""
    page.evaluate(WATCH_BARS)


def moved_forward(page: Page) -> list[tuple[float, str]]:
    """The bar's fills and texts since ``watch_bars``, checked to move only forward. Its
    words count the seconds, so a bar shown at two moments shows two states: then its fill
    must have moved. A run over within the bar's first poll (a quiet machine) shows one."""
    seen = [(float(fill), str(text)) for fill, text in page.evaluate("window.bars")]
    fills = [fill for fill, _ in seen]
    assert seen, "no progress bar was shown"
    assert fills == sorted(fills), f"the bar went back: {seen}"
    assert len(seen) == 1 or len(set(fills)) >= 2, f"the bar did not move: {seen}"
    return seen


def test_upload_calibrate_compare_save_find(server: str, page: Page, tmp_path: Path,
                                            sample_log: EventLog,
                                            sample_model: ProcessModel) -> None:
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
    watch_bars(page)
    run_automated_invoicing(page)
    moved_forward(page)
    shoot(page, "04_compare")

    name = "Automated invoicing, browser test"
    save_comparison(page, name)
    go(page, "Saved")
    page.get_by_role("heading", name=name).wait_for()  # not get_by_text(name).first: that
    # is the saved list's first cell, which the table keeps hidden behind its canvas
    shoot(page, "05_saved")

    go(page, "Targets")
    watch_bars(page)
    find_target_answer(page)
    texts = [text for _, text in moved_forward(page)]
    assert any(" left" in text for text in texts), f"no time left said: {texts}"
    shoot(page, "06_targets")

    go(page, "Saved")
    every_page_in_japanese(page, names_of(sample_log, sample_model, sample.name, name))

def names_of(log: EventLog, model: ProcessModel, *more: str) -> set[str]:
    """Words of the names the data brings (activities, people, pools, attributes and their
    values, case ids) and the user gave: the same in either language."""
    names = {*log.events["activity"], *log.events["resource"].dropna(), *log.cases.index,
             *log.cases.columns, *model.pools, *more}
    for column in log.cases.columns:
        if log.cases[column].dtype == object:
            names |= set(log.cases[column].dropna().unique())
    return {word.lower() for name in map(str, names) for word in WORD.findall(name)}


SHOWN_TEXT = """() => {
  const app = document.querySelector('[data-testid="stAppViewContainer"]');
  const walk = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
  const shown = [], replaced = new Set();
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const element = node.parentElement;
    if (element.closest('style, script, [data-testid="stCode"]')
        || !element.checkVisibility()
        || getComputedStyle(element).fontFamily.includes('Material Symbols')) continue;
        // a scenario's YAML is a file, read as is; icons are drawn from their names
    if (getComputedStyle(element).fontSize !== '0px') shown.push(node.textContent);
    else if (!replaced.has(element)) {  // words replaced by the app's style sheet
      replaced.add(element);
      shown.push(getComputedStyle(element, '::after').content.replace(/^"|"$/g, ''));
    }
  }
  return shown;
}"""


def english_shown(page: Page, allowed: set[str]) -> set[str]:
    """English words in the text the browser shows, the sidebar's and the page's, beyond
    the data's names: what Streamlit's own browser code writes as well as the app."""
    return english(iter(page.evaluate(SHOWN_TEXT)), allowed | FILE_TYPES)


def every_page_in_japanese(page: Page, allowed: set[str]) -> None:
    """Switch to Japanese on the Saved page, then shoot every page with its charts; no
    English is shown beyond the data's names, and Plotly's toolbar speaks Japanese too."""
    page.locator('[data-testid="stSidebar"]').get_by_text("日本語").click()
    page.get_by_role("heading", name="保存済みの比較").wait_for()
    shoot(page, "09_saved_japanese")
    # The saved table renders after the heading: wait for its Japanese KPI name.
    expect(page.locator("body")).to_contain_text("請求の遅れ", timeout=60_000)
    for number, (title, slug) in enumerate(JAPANESE_PAGES, start=11):
        go(page, title)
        if slug == "data":  # Streamlit has emptied the uploader: the page names the file
            expect(page.get_by_text("使用中: sample.csv")).to_be_visible()
        shoot(page, f"{number}_{slug}_japanese")
        charts = page.locator('[data-testid="stPlotlyChart"]')
        if charts.count():  # the charts, further down the page
            charts.first.scroll_into_view_if_needed()
            shoot(page, f"{number}_{slug}_charts_japanese")
        left = english_shown(page, allowed)
        assert not left, f"English on {title}: {sorted(left)}"
        titles = set(page.locator(".modebar-btn[data-title]").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"))
        assert not titles & PLOTLY_ENGLISH, f"Plotly's toolbar in English on {title}: {titles}"


def test_japanese_labels_and_activity_names(server: str, page: Page,
                                            tmp_path: Path) -> None:
    from calibration.sample import sample_path

    text = gzip.decompress(sample_path("d365").read_bytes()).decode("utf-8")
    for name, japanese in JAPANESE.items():
        text = text.replace(f",{name},", f",{japanese},")
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
