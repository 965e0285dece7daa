"""Targets in money in a real browser: prices typed in the Compare page's costs table, the
Targets page's answer in money with only the owner's levers, saved and reopened on the Saved
page; and a comparison by segment. Screenshots go to ``tests/artifacts/`` (``targets_*.png``)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser import (
    STEP_MS,
    button,
    calibrated_sample,
    fill_number,
    fill_replications,
    find_target_answer,
    go,
    save_comparison,
    settle,
    shoot,
)


def test_costs_table_target_in_money_saved(server: str, page: Page, tmp_path: Path) -> None:
    calibrated_sample(page, server, tmp_path)
    go(page, "Compare")
    settle(page)  # the page drawn in full before its costs are opened and filled
    page.get_by_text("Costs for the business case (optional)").click()
    settle(page)
    button(page, "Start from the sample's costs").click()
    # the table fills on the rerun the button starts: as long as a step may take, not 5 s
    expect(page.get_by_label("Approvers", exact=True)).to_have_value("80.00", timeout=STEP_MS)
    fill_number(page, "Billing", 45)
    expect(page.locator("textarea")).to_contain_text("Billing: 45", timeout=STEP_MS)
    shoot(page, "targets_01_costs_table")

    find_target_answer(page)
    body = page.locator("body")
    expect(body).to_contain_text("EUR per month")
    expect(body).to_contain_text("Confidence:")
    answer = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "Contract Signed" not in answer and "Quote Accepted" not in answer
    shoot(page, "targets_02_answer_in_money")
    page.get_by_role("heading", name="Business case").first.scroll_into_view_if_needed()
    shoot(page, "targets_03_business_case")

    name = "Sales cycle -25% in money"
    save_comparison(page, name)
    go(page, "Saved")
    page.get_by_role("heading", name=name).wait_for()
    expect(body).to_contain_text("target answer")
    expect(body).to_contain_text("Target:")
    shoot(page, "targets_04_saved")


def test_comparison_by_segment(server: str, page: Page, tmp_path: Path) -> None:
    """Automated invoicing and a faster quote approval: their behaviour over time, the map,
    one against the other, and by segment."""
    calibrated_sample(page, server, tmp_path)
    go(page, "Compare")
    page.locator('[data-testid="stMultiSelect"]').first.click()
    for scenario in ("Automated invoicing", "Quote approval 50% faster"):
        page.get_by_role("option", name=f"{scenario} · library").first.click()
    page.keyboard.press("Escape")
    fill_replications(page, 2)
    page.get_by_text("a number of new cases").click()
    page.wait_for_timeout(600)
    fill_number(page, "New cases", 300)
    button(page, "Run the comparison").click()
    page.get_by_role("heading", name="Results").wait_for()
    direct = page.get_by_text("The Baseline column is Automated invoicing here.")
    direct.scroll_into_view_if_needed()
    shoot(page, "targets_09_scenario_against_scenario")
    page.get_by_role("tab", name="Over time").click()
    weekly = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="cases in progress")
    weekly.wait_for()
    weekly.scroll_into_view_if_needed()
    assert weekly.locator("path.js-fill").count() >= 2, "each member's line in its 95% band"
    shoot(page, "targets_06_compare_over_time")
    page.get_by_role("tab", name="Process map").click()
    drawn = page.locator('[data-testid="stGraphVizChart"] svg')
    drawn.wait_for()
    drawn.scroll_into_view_if_needed()
    shoot(page, "targets_08_compare_process_map")
    assert "→ 0 s" in (drawn.text_content() or ""), "the wait before invoicing: base → now"
    button(page, "Measure by segment").click()
    done = page.get_by_text("KPIs by lead_source", exact=True)  # the table's title, once run
    done.wait_for()
    done.scroll_into_view_if_needed()
    shoot(page, "targets_05_compare_by_segment")
    dots = page.locator('[data-testid="stPlotlyChart"]').filter(
        has_text="difference against the baseline")
    dots.wait_for()
    dots.scroll_into_view_if_needed()
    shoot(page, "targets_07_segments_chart")
    assert dots.locator("path.point").count() >= 5, "a dot per lead source"
