"""Script injection through the data's own names, on every page of the app
(``streamlit.testing``, no browser; ``test_hostile_browser`` runs the same log in Chromium).

A log whose activities, resource, attribute value and column are named like HTML and
JavaScript, a scenario and a saved comparison named the same way: one session loads and
calibrates it, runs and saves a comparison and answers a target question, then visits
every page. The names must reach the pages (as text), and nowhere be passed on as markup:
no HTML element or markdown that allows HTML carries them, and the process map's Graphviz
source holds them only inside quoted strings (an unquoted ``<...>`` is a Graphviz HTML
label).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from calibration.sample import sample_path
from tests.test_app_language import isolated
from tests.test_app_pages import MAIN, TIMEOUT, answer_target, ok, wait_for_job

__all__ = ["isolated"]  # the walk's fixture: saved comparisons and scenarios kept apart
PAGES = ("data", "model", "scenarios", "compare", "targets", "saved")
ACTIVITIES = {"Quote Approved": "<img src=x onerror=alert(1)>",
              "Invoice Sent": "<script>alert(2)</script>"}
RESOURCE = ("Aiko Tanaka", "<b onmouseover=alert(3)>Aiko</b>")
ATTRIBUTE_VALUE = ("Web", "[web](javascript:alert(4))")
COLUMN = ("Region", "<svg onload=alert(5)>")
SCENARIO = "<iframe src=javascript:alert(6)>"
SAVED = "<img src=y onerror=alert(7)>"
PAYLOADS = (*ACTIVITIES.values(), RESOURCE[1], ATTRIBUTE_VALUE[1], COLUMN[1], SCENARIO, SAVED)
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def hostile_log() -> bytes:
    """The bundled sample with names that are HTML and JavaScript."""
    text = gzip.decompress(sample_path("d365").read_bytes()).decode("utf-8")
    header, rows = text.split("\n", 1)
    for plain, hostile in [*ACTIVITIES.items(), RESOURCE, ATTRIBUTE_VALUE]:
        rows = rows.replace(f",{plain},", f",{hostile},")
    return (header.replace(COLUMN[0], COLUMN[1]) + "\n" + rows).encode("utf-8")


def hostile_scenario(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(f'name: "{SCENARIO}"\ndescription: "{SAVED}"\nchanges:\n'
                    "  - volume: {scale: 1.1}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def session(isolated: Path) -> AppTest:
    """The hostile log loaded and calibrated, a comparison run and saved, a target answered."""
    scenario = hostile_scenario(isolated / "scenarios")
    at = AppTest.from_file(MAIN, default_timeout=TIMEOUT)
    at.session_state["start_page"] = "data"
    ok(at.run())
    at.file_uploader(key="data.upload").upload("hostile.csv", hostile_log(), "text/csv")
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    at.session_state["goto"] = "compare"
    ok(at.run())
    at.multiselect(key="cmp.scenarios").set_value([str(scenario)])
    at.number_input(key="cmp.reps").set_value(2)
    at.radio(key="cmp.length").set_value("cases")
    ok(at.run())
    at.number_input(key="cmp.cases").set_value(200)
    at.button(key="cmp.run").click()
    ok(at.run())
    at = wait_for_job(at, "comparison")
    at.text_input(key="cmp.save_name").set_value(SAVED)
    at.button(key="cmp.save").click()
    return answer_target(ok(at.run()))


def _elements(at: AppTest) -> Iterator[tuple[str, Any]]:
    """(type, proto) of every element on the page (a protobuf message of that type)."""
    stack: list[Any] = [at._tree]  # nodes of every kind, read by what they carry
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield getattr(node, "type", ""), proto


def _markup_with_payload(at: AppTest) -> list[str]:
    """Elements that would hand a payload to the browser as markup."""
    found = []
    for kind, proto in _elements(at):
        if kind == "html" or (kind == "markdown" and proto.allow_html):
            body = str(proto.body)
            found += [f"{kind}: {body[:120]}" for p in PAYLOADS if p in body]
        elif kind == "graphviz_chart":
            outside = QUOTED.sub('""', str(proto.spec))
            found += [f"process map, unquoted: {p}" for p in PAYLOADS if p in outside]
            if "<" in outside:
                found.append("process map: an HTML-like label")
    return found


def _shown(at: AppTest) -> str:
    """Every text on the page, as one string (tables included)."""
    parts = [str(proto) for _, proto in _elements(at)]
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_names_are_text_on_every_page(session: AppTest, page: str) -> None:
    at = session
    at.session_state["goto"] = page
    ok(at.run())
    assert not _markup_with_payload(at), _markup_with_payload(at)


def test_the_names_reach_the_pages(session: AppTest) -> None:
    """The walk is no test unless the names are shown: each payload is on some page."""
    seen = ""
    for page in PAGES:
        session.session_state["goto"] = page
        seen += _shown(ok(session.run()))
    missing = [p for p in PAYLOADS if p not in seen]
    assert not missing, missing
