"""One language at a time: after switching to Japanese, no English is left on any page
(``streamlit.testing``).

One session loads the sample, calibrates, runs and saves a comparison and answers a target
question in English, then switches to Japanese with the sidebar's radio and walks every
page. Every text an element shows (labels, options, help, captions, messages, table
headers and cells, chart titles, axes, legends and hover texts) is checked for English
words. Names that come from the data (activities, people, pools, attribute values and
columns, the file name) are shown as they are, and a few proper names and units are the
same in both languages; anything else in English is a missed translation.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from scenarios import LIBRARY
from sim.saved import SavedStore
from tests.test_app_pages import _run_automated_invoicing, answer_target, ok, with_model
from ui.app import state

PROPER = frozenset({"english", "strftime", "utf", "shift", "jis", "crm", "iso", "kpi", "kpis", "p90", "csv", "xes", "yaml", "html", "excel", "parquet",
                    "json", "usd", "mb", "gb", "id", "l2c", "sqlite", "utc", "aic", "bpmn",
                    "dynamics", "oracle", "simod", "prosimos", "xlsx", "gz", "pp", "dataverse",
                    "zip"})
WORD = re.compile(r"[A-Za-z][A-Za-z’']{2,}")
NOT_TEXT = re.compile(r"[A-Z0-9_]+|#[0-9a-fA-F]{3,8}|rgba?\([0-9., ]+\)|[0-9a-f]{16,}|"
                      r"circle(-open)?")  # enums, colours, keys, marker symbols
NOISE = re.compile(r"(?s)<style>.*?</style>|%\{[^}]*\}|<[^>]+>|&[a-z]+;|:material/[a-z_]+:|"
                   r"https?://\S+|\{[a-z_]+\}|(/[\w.-]+)+|"
                   r"[\w-]+\.(json|csv|xlsx|html|sqlite|gz|yaml)\b|sha256:[0-9a-f]+")
PAGES = ("data", "model", "scenarios", "compare", "targets", "saved")
SKIPPED_FIELDS = frozenset({"id", "formId", "key", "icon", "type", "data", "spec", "columns",
                            "useContainerWidth", "default", "value", "rawValues",
                            "format", "setValue", "deltaColor", "labelVisibility", "url",
                            "mimeType", "selectionMode", "language", "accessibilityLabel",
                            "engine", "page", "pageScriptHash"})
PLOTLY_TEXTS = frozenset({"text", "name", "hovertemplate", "ticktext"})
SKIPPED_ELEMENTS = frozenset({"code", "json"})  # scenario YAML: a file format, read as is


@pytest.fixture(scope="module")
def isolated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One saved-comparisons database for the whole walk (the session is shared)."""
    folder = tmp_path_factory.mktemp("language")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("L2C_SAVED_DB", str(folder / "saved.sqlite"))
        patch.setenv("L2C_SCENARIO_DIR", str(folder / "scenarios"))
        patch.setenv("L2C_APP_JOBS", "1")
        yield folder


def _strings(value: object, plotly: bool = False) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if plotly and key in ("x", "y", "title"):
                yield from (v for v in _strings(inner, plotly) if not _is_number(v))
            elif not _skipped(key, inner, plotly):
                yield from _strings(inner, plotly)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, plotly)


def _skipped(key: str, inner: object, plotly: bool) -> bool:
    if plotly:
        return key not in PLOTLY_TEXTS and not isinstance(inner, dict | list)
    return key in SKIPPED_FIELDS


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+0-9.,:% TZ]*", text))


def page_texts(at: AppTest) -> Iterator[str]:
    """Every text the page shows, element by element."""
    stack: list[Any] = [at._tree]  # nodes of every kind, read by what they carry
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind in SKIPPED_ELEMENTS or proto is None:
            continue
        if kind == "plotly_chart":
            yield from _strings(json.loads(proto.spec), plotly=True)
            continue
        if kind in ("arrow_data_frame", "dataframe"):
            frame = node.value
            config = json.loads(proto.columns or "{}")
            yield from (str(config.get(str(c), {}).get("label") or c) for c in frame.columns)
            yield from (str(v) for column in frame.columns for v in frame[column]
                        if isinstance(v, str))
            yield from (str(c["help"]) for c in config.values() if c.get("help"))
            continue
        yield from _strings(MessageToDict(proto))


def data_names(at: AppTest) -> set[str]:
    """Words of names that come from the data: shown as they are in either language."""
    loaded = at.session_state["data"]
    log = loaded.result.log
    names: set[str] = {loaded.name, *loaded.columns, *log.cases.index.astype(str),
                       *log.events["activity"].astype(str),
                       *log.events["resource"].dropna().astype(str), *log.cases.columns}
    for column in log.cases.columns:
        if log.cases[column].dtype == object:
            names |= set(log.cases[column].dropna().astype(str).unique())
    model = json.loads(at.session_state["model"].model_json)
    names |= {str(pool) for pool in model.get("pools", {})}
    names |= set(SavedStore(state.saved_db_path()).names())  # the user named them
    return {word.lower() for name in names for word in WORD.findall(name)}


def english(texts: Iterator[str], allowed: set[str]) -> set[str]:
    found = set()
    for text in texts:
        if NOT_TEXT.fullmatch(text.strip()):
            continue
        words = [w for w in WORD.findall(NOISE.sub(" ", text))
                 if w.lower().strip("'’") not in allowed | PROPER]
        if words:
            found.add(f"{text.strip()[:160]}  [{', '.join(sorted(set(words)))}]")
    return found


@pytest.fixture(scope="module")
def japanese_session(isolated: Path) -> AppTest:
    """The sample calibrated, a comparison run and saved, a target answered; then 日本語."""
    at = _run_automated_invoicing(with_model("compare"), cases=200)
    at.button(key="cmp.save").click()
    at = answer_target(ok(at.run()))
    at.sidebar.radio[0].set_value("ja")  # the language switch
    return ok(at.run())


@pytest.mark.parametrize("page", PAGES)
def test_no_english_is_left_on_a_japanese_page(japanese_session: AppTest, page: str) -> None:
    at = japanese_session
    at.session_state["goto"] = page
    ok(at.run())
    blank = [r.label for r in at.radio if not r.options or any(not o for o in r.options)]
    assert not blank, f"radio groups without options on {page}: {blank}"
    left = english(page_texts(at), data_names(at))
    assert not left, f"English on the Japanese {page} page:\n" + "\n".join(sorted(left))


def report_texts(page: str) -> Iterator[str]:
    """The words of an HTML report: its text, and the chart texts in its figures' data."""
    body = page.split("<body>", 1)[1]
    for script in re.findall(r"<script[^>]*>(.*?)</script>", body, flags=re.S):
        for _, text in re.findall(r'"(name|text|hovertemplate|title)":"((?:[^"\\]|\\.)*)"',
                                  script):
            yield json.loads(f'"{text}"')
    visible = re.sub(r"<(script|style|pre)[^>]*>.*?</\1>", " ", body, flags=re.S)  # pre: YAML
    yield from (html.unescape(t) for t in re.split(r"<[^>]+>", visible) if t.strip())


def test_the_html_export_speaks_japanese(japanese_session: AppTest) -> None:
    from ui import export

    at = japanese_session
    store = SavedStore(state.saved_db_path())
    saved = store.load(store.names()[0])
    page = export.comparison_bytes(saved, "html", "ja").decode("utf-8")
    assert '<html lang="ja">' in page
    left = english(report_texts(page), data_names(at) | {"what", "if"})
    assert not left, "English in the Japanese HTML report:\n" + "\n".join(sorted(left))
    english_page = export.comparison_bytes(saved, "html").decode("utf-8")
    assert "At a glance" in english_page and "概要" not in english_page


FINDINGS_CSV = """case_id,activity,start_time,end_time,resource,outcome,amount
C1,Lead Created,2024-01-01 09:00,2024-01-01 09:00,System,Won,1000
C1,Quote Created,2024-01-02 10:00,2024-01-02 09:00,Ann,Won,1000
C1,Quote Created,2024-01-02 10:00,2024-01-02 09:00,Ann,Won,1000
C1,Payment Received,2024-01-05 12:00,,Customer,Won,1000
C2,Lead Created,2024-01-03 09:00,2024-01-03 09:00,System,Shelved,500
C2,Quote Created,2024-01-04 10:00,2024-01-04 10:30,Bob,Shelved,500
"""


def test_the_readers_findings_read_in_japanese(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from calibration.read import read_log
    from ui.app import report_words

    path = tmp_path / "deals.csv"
    path.write_text(FINDINGS_CSV, encoding="utf-8")
    findings = read_log(path).report.findings
    codes = {f.code for f in findings}
    assert {"end_before_start", "duplicate_events", "unknown_outcome", "missing_end"} <= codes
    monkeypatch.setattr(report_words, "language", lambda: "ja")
    allowed = {"ann", "bob", "won", "lost", "shelved", "start", "end", "time", "complete",
               "payment", "received"}  # names from the file
    worded = {"end_before_start", "duplicate_events", "unknown_outcome", "missing_end",
              "timestamp_format", "open_cases"}  # the rarer findings: test_app_reader_words
    left = english((report_words.text(f) for f in findings if f.code in worded), allowed)
    assert not left, "\n".join(sorted(left))


MODEBAR = ("Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes",
           "Download plot as a PNG", "Toggle Spike Lines", "Show closest data on hover",
           "Compare data on hover")


@pytest.mark.parametrize("page", ["model", "compare", "targets", "saved"])
def test_plotlys_own_words_follow_the_language(japanese_session: AppTest, page: str) -> None:
    """Plotly writes its toolbar's tooltips and the month names of date axes itself, in
    English unless a chart's config brings its Japanese locale."""
    at = japanese_session
    at.session_state["goto"] = page
    ok(at.run())
    configs = [json.loads(proto.config) for kind, proto in _protos(at) if kind == "plotly_chart"]
    assert configs, f"no chart on the {page} page"
    for config in configs:
        assert config.get("locale") == "ja"
        words = config["locales"]["ja"]["dictionary"]
        assert all(words.get(english) for english in MODEBAR)
        assert config["locales"]["ja"]["format"]["shortMonths"][0] == "1月"


def _protos(at: AppTest) -> Iterator[tuple[str, Any]]:
    """Each element's kind and its message (of that kind's protobuf type)."""
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            yield getattr(node, "type", ""), node.proto


def test_the_process_maps_waits_read_in_japanese(japanese_session: AppTest) -> None:
    """The map's arrows carry a median wait ('21.8 h' in English): in Japanese units."""
    at = japanese_session
    at.session_state["goto"] = "data"
    ok(at.run())
    dot = next(str(proto.spec) for kind, proto in _protos(at) if kind == "graphviz_chart")
    waits = re.findall(r'label=" [\d,]+ · ([^"]+) "', dot)
    assert waits, "the arrows show their waits"
    assert all(re.fullmatch(r"[\d.]+ (日|時間|分|秒)", wait) for wait in waits), waits


def test_the_suggested_save_name_names_the_scenario_in_japanese(
        japanese_session: AppTest) -> None:
    """A field's value is text the user reads too (the walk above skips values)."""
    at = japanese_session
    at.session_state["goto"] = "compare"
    ok(at.run())
    suggested = at.text_input(key="cmp.save_name").value or ""
    assert "請求の自動化" in suggested and "Automated" not in suggested, suggested


def test_a_library_scenario_reads_in_the_pages_language(japanese_session: AppTest) -> None:
    """Opened on a Japanese page, a library scenario's name and description (field values,
    and the file saved from them) are Japanese; a switch to English rewords them while the
    user has not written their own, and leaves a name the user wrote as it is."""
    at = japanese_session
    at.session_state["goto"] = "scenarios"
    ok(at.run())
    at.selectbox(key="sc_open_choice").set_value(str(LIBRARY / "automated_invoicing.yaml"))
    at.button(key="sc_open").click()
    ok(at.run())
    assert at.text_input(key="sc.name").value == "請求の自動化"
    assert (at.text_area(key="sc.desc").value or "").startswith("施策: 受注の履行と同時に")
    assert "description: '施策: 受注の履行と同時に" in at.code[0].value.replace("\n", "")
    at.sidebar.radio[0].set_value("en")
    ok(at.run())
    assert at.text_input(key="sc.name").value == "Automated invoicing"
    assert (at.text_area(key="sc.desc").value or "").startswith("Lever: the system generates")
    at.text_input(key="sc.name").input("Invoicing, our way")
    ok(at.run())
    at.sidebar.radio[0].set_value("ja")
    ok(at.run())
    assert at.text_input(key="sc.name").value == "Invoicing, our way"
    assert (at.text_area(key="sc.desc").value or "").startswith("施策: 受注の履行と同時に")
