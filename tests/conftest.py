"""Shared fixtures: small event-log files written into tmp_path; the bundled sample with its
model, read and calibrated once per test session (the model is frozen, so every test may
share it); the Dynamics 365 and Oracle sample tables, written once; and the browser walks' Chromium, tab and one ``l2c ui`` server. Also how the
suite runs on pytest-xdist's workers (``make test`` starts two): which tests share a worker,
and the hostile-input table gathered from every worker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sim.eventlog import EventLog
from sim.model import ProcessModel
from tests import bundled
from tests.hostile.cli import FIGURES

if TYPE_CHECKING:
    from playwright.sync_api import Page

BROWSER_MODULES = "test_app_browser"  # the walks that share the ``server`` fixture

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


def pytest_configure(config: pytest.Config) -> None:
    """An xdist worker starts with COLUMNS=80 and LINES=24 in its environment, which a run on
    one process lacks: the terminal console of ``ui`` would fix its size from them when first
    imported, and a test's wider COLUMNS (CliRunner's) would no longer reach it."""
    if hasattr(config, "workerinput"):
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)


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


@pytest.fixture(scope="session")
def dataverse_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The sample's Dynamics 365 tables, built once and written in each form (logical
    names, display names, Web API JSON): form -> the files. Shared: copy before breaking."""
    from calibration.extract.dataverse_sample import FORMS, sample_tables, write_dataverse_sample

    tables, root = sample_tables(), tmp_path_factory.mktemp("dataverse")
    return {form: write_dataverse_sample(root / form.split()[0], form, tables)
            for form in FORMS}


@pytest.fixture(scope="session")
def oracle_tables(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample's Oracle CX Sales extracts, written once. Shared: copy before breaking."""
    from calibration.extract.oracle_sample import write_oracle_sample

    return write_oracle_sample(tmp_path_factory.mktemp("oracle") / "tables")


@pytest.fixture(autouse=True, scope="session")
def _replication_cache(tmp_path_factory) -> None:
    """Measured replications are kept in a folder of the session's, never the user's."""
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


def _scope(nodeid: str) -> str:
    """What one xdist worker runs as a whole: a module (so a module fixture is made once),
    or all browser walks together (so one ``l2c ui`` server and the model it calibrated
    serve them all, as in a run on one process)."""
    module = nodeid.split("::", 1)[0]
    return "browser" if Path(module).name.startswith(BROWSER_MODULES) else module


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Modules and the browser walks as units of work, the browser walks first: the longest
    unit, it would otherwise be the last one running."""
    from xdist.scheduler import LoadScopeScheduling

    class Scopes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    config.option.loadscopereorder = False  # keep the order the workers collected
    return Scopes(config, log)


@pytest.hookimpl(trylast=True)  # after pytest has ordered the tests by their fixtures
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker the browser walks come first (see ``pytest_xdist_make_scheduler``);
    a run on one process keeps its order."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: _scope(item.nodeid) != "browser")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands the rows of its hostile-input table to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["hostile_figures"] = list(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """The controller gathers each worker's hostile-input rows for the table."""
    FIGURES.extend(tuple(row) for row in node.workeroutput.get("hostile_figures", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The time and peak memory of every hostile-input command run, as a table."""
    if not FIGURES:
        return
    terminalreporter.section("hostile input: time and peak memory per command")
    terminalreporter.write_line(f"{'case':60}  exit  seconds  peak MB")
    for label, code, seconds, peak in FIGURES:
        shown = "in-proc" if peak is None else f"{peak:7.0f}"
        terminalreporter.write_line(f"{label:60}  {code:4}  {seconds:7.2f}  {shown:>7}")
