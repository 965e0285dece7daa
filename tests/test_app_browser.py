"""The app in a real browser: ``l2c ui`` on a free port, driven by Playwright in Debian's
headless Chromium (never a downloaded browser).

The walk a process owner takes: upload the sample log, calibrate, run "automated
invoicing" against the baseline, read the KPI table, save the comparison and find it on
the Saved page; then the same app in Japanese on a log with Japanese activity names.
Screenshots of every page are kept in ``tests/artifacts/`` to look at. The steps and the
server are shared with the other browser walks (``tests/browser.py``, ``tests/conftest.py``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from playwright.sync_api import Page, expect

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

JAPANESE_PAGES = (("データ", "data"), ("モデル", "model"), ("シナリオ", "scenarios"),
                  ("比較", "compare"), ("目標", "targets"))  # nav label (= heading), file name
PLOTLY_ENGLISH = {"Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes",
                  "Download plot as a PNG", "Download plot as a png"}

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

    find_target_answer(page)
    shoot(page, "06_targets")

    go(page, "Saved")
    page.locator('[data-testid="stSidebar"]').get_by_text("日本語").click()
    page.get_by_role("heading", name="保存済みの比較").wait_for()
    shoot(page, "09_saved_japanese")
    # The saved table renders after the heading: wait for its Japanese KPI name.
    expect(page.locator("body")).to_contain_text("請求の遅れ", timeout=60_000)
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
