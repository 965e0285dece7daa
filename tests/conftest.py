"""Shared fixtures: small event-log files written into tmp_path; the bundled sample with its
model, read and calibrated once per test session (the model is frozen, so every test may
share it); and the browser walks' Chromium, tab and one ``l2c ui`` server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sim.eventlog import EventLog
from sim.model import ProcessModel
from tests import bundled

if TYPE_CHECKING:
    from playwright.sync_api import Page

GOOD_CSV = """case_id,activity,start_time,end_time,resource,outcome,amount
C1,Lead Created,2024-01-01 09:00,2024-01-01 09:00,System,Won,1000
C1,Quote Created,2024-01-02 10:00,2024-01-02 11:00,Ann,Won,1000
C1,Payment Received,2024-01-05 12:00,2024-01-05 12:00,Customer,Won,1000
C2,Lead Created,2024-01-03 09:00,2024-01-03 09:00,System,Lost,500
C2,Quote Created,2024-01-04 10:00,2024-01-04 10:30,Bob,Lost,500
C2,Opportunity Lost,2024-01-06 12:00,2024-01-06 12:00,Bob,Lost,500
C3,Lead Created,2024-01-04 09:00,2024-01-04 09:00,System,,700
C3,Quote Created,2024-01-05 10:00,2024-01-05 10:45,Ann,,700
"""


@pytest.fixture
def write_file(tmp_path: Path):
    """Write text (or bytes) to a file in tmp_path and return its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def sample_log() -> EventLog:
    """The bundled Dynamics 365 sample log (shared: do not change it)."""
    return bundled.sample_log()


@pytest.fixture(scope="session")
def sample_model() -> ProcessModel:
    """The model calibrated from the bundled sample (shared: it is frozen)."""
    return bundled.sample_model()


@pytest.fixture(autouse=True, scope="session")
def _replication_cache(tmp_path_factory) -> None:
    """Measured replications are kept in a folder of the session's, never the user's."""
    import os

    os.environ["L2C_CACHE_DIR"] = str(tmp_path_factory.mktemp("replication-cache"))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, which ``make test`` installs (a browser is never downloaded)."""
    from tests.browser import CHROMIUM

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs Debian's 'chromium' package "
                    "when run as root, or install it with 'apt-get install chromium'")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One ``l2c ui`` on a free localhost port, with its own saved-comparisons database, for
    every browser walk: each walk is a session of its own, and the sample's model that the
    first one calibrates is the app's cached answer for the others."""
    from tests.browser import serving

    with serving(tmp_path_factory.mktemp("app")) as (url, _):
        yield url


@pytest.fixture
def page(chromium: str) -> Iterator[Page]:
    """A fresh browser tab, 1440 x 1700 px, in British English."""
    from playwright.sync_api import sync_playwright

    from tests.browser import FLAGS, STEP_MS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS,
                                             headless=True)
        context = browser.new_context(viewport={"width": 1440, "height": 1700},
                                      locale="en-GB")
        tab = context.new_page()
        tab.set_default_timeout(STEP_MS)
        try:
            yield tab
        finally:
            browser.close()
