"""A zip of Dynamics 365 tables dropped on the Data page in a real browser (Playwright,
Debian's Chromium, the shared server of ``tests.browser``) ends in a calibrated model: the
extraction report comes first, then the log's validation report, then the model."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from calibration.extract.dataverse import extract_dynamics
from calibration.extract.dataverse_columns import LOGICAL
from tests.browser import button, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_zip_of_dynamics_tables_ends_in_a_calibrated_model(
        server: str, page: Page, tmp_path: Path, dataverse_tables: dict[str, list[Path]]
        ) -> None:
    tables = dataverse_tables[LOGICAL]
    _, report = extract_dynamics(tables)
    archive = tmp_path / "crm_export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in tables:
            zipped.write(path, path.name)
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for()
    page.locator('.st-key-data_tables input[type="file"]').set_input_files(str(archive))
    title = page.get_by_role("heading", name="Extraction report: Dynamics 365 Sales / Dataverse")
    title.wait_for()
    page.get_by_text("What is in the log").wait_for()
    body = page.locator("body").inner_text()
    assert f"{report.cases:,} cases ({report.lead_only_cases:,} from leads never converted)" \
        in body
    assert body.index("Extraction report: Dynamics") < body.index("File: crm_export_log.csv")
    calibrate = button(page, "Calibrate the model")
    calibrate.scroll_into_view_if_needed()
    calibrate.click()
    page.get_by_text("The process model is ready").first.wait_for()
    shoot(page, "30_data_crm_tables_calibrated")
