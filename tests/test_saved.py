"""Saved comparisons survive killed writers and concurrent writers; names are checked."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from sim.chart_data import MapChange, MapStep
from sim.compare import Difference
from sim.errors import PlannerError
from sim.fidelity_row import FidelityRow
from sim.saved import SavedComparison, SavedScenario, SavedStore
from ui import report_format as fmt
from ui.precision_text import precision_summary
from ui.report import differences_frame


def comparison(name: str, size: int = 10) -> SavedComparison:
    return SavedComparison(
        name=name, model_name="model", model_fingerprint="sha256:abc",
        model_json='{"x": 1}' + " " * size, scenarios=[SavedScenario("s", "s.yaml",
                                                                    "name: s\n")],
        seed=1, replications=3, run={"cases": 100},
        results=[Difference.from_dict({"scenario": "s", "kpi": "sales_cycle", "diff": -1.5})])


def test_save_list_load_rename_delete(tmp_path):
    store = SavedStore(tmp_path / "saved.sqlite")
    store.save(comparison("first"))
    store.save(comparison("second"))
    assert store.names() == ["first", "second"]
    loaded = store.load("first")
    assert loaded.results == comparison("first").results and loaded.created
    with pytest.raises(PlannerError, match="already saved"):
        store.save(comparison("first"))
    store.rename("first", "renamed")
    assert store.load("renamed").name == "renamed"
    with pytest.raises(PlannerError, match="Did you mean 'renamed'"):
        store.load("renamd")
    store.delete("renamed")
    assert [s.name for s in store.list()] == ["second"]
    with pytest.raises(PlannerError, match="No saved comparison named 'renamed'"):
        store.delete("renamed")


WRITER = """
import sys
from sim.saved import SavedStore, SavedComparison
store = SavedStore(sys.argv[1])
for k in range(100000):
    store.save(SavedComparison(name=f"run {k}", model_name="m", model_fingerprint="f",
                               model_json="x" * 200000, scenarios=[], seed=k, replications=1,
                               run={}, results=[]))
    print(k, flush=True)
"""


def test_a_killed_writer_loses_nothing_already_saved(tmp_path):
    path = tmp_path / "saved.sqlite"
    store = SavedStore(path)
    store.save(comparison("precious"))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                              stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    lines = []
    while len(lines) < 15:  # let it commit a few, then kill it in the middle of a write
        lines.append(writer.stdout.readline())
    time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    names = SavedStore(path).names()
    assert "precious" in names
    committed = int(lines[-1].split()[0])
    for k in range(committed + 1):  # every write it reported as done is there, whole
        assert SavedStore(path).load(f"run {k}").seed == k


def _save_many(args: tuple[str, int]) -> int:
    path, worker = args
    store = SavedStore(path)
    for k in range(20):
        store.save(comparison(f"w{worker}-{k}", size=50000))
    return worker


def test_concurrent_writers_all_land(tmp_path):
    path = str(tmp_path / "saved.sqlite")
    SavedStore(path)
    with ProcessPoolExecutor(max_workers=4) as pool:
        list(pool.map(_save_many, [(path, w) for w in range(4)]))
    names = SavedStore(path).names()
    assert len(names) == 80
    assert all(SavedStore(path).load(n).model_json.startswith('{"x": 1}') for n in names)


def test_unwritable_location_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PlannerError, match="Cannot create the folder"):
        SavedStore(blocker / "saved.sqlite")


# The first saved comparisons' shape: no thresholds, precision, costs, backtests or targets.
OLD_ROW = {"scenario": "Automated invoicing", "kpi": "invoice_lag",
           "label": "Invoice lag (order to invoice)", "unit": "days", "group": None,
           "baseline": 3.0, "value": 1.0, "diff": -2.0, "pct_change": -2 / 3, "ci_low": -2.5,
           "ci_high": -1.5, "significant": True, "replications": 5, "note": ""}
OLD_PAYLOAD = {"name": "old", "model_name": "m", "model_fingerprint": "sha256:abc",
               "model_json": "{}", "scenarios": [], "seed": 1, "replications": 5,
               "run": {"cases": 100}, "results": [OLD_ROW], "charts": {},
               "created": "2025-03-01T10:00:00+00:00"}


def test_a_comparison_saved_in_the_first_shape_loads_typed_and_is_judged(tmp_path):
    """Read once at the store: the rows come back as differences, those saved before
    thresholds existed judged with the default ones, and saved again in today's shape."""
    store = SavedStore(tmp_path / "saved.sqlite")
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO comparisons (name, created, payload) VALUES (?, ?, ?)",
                   ("old", OLD_PAYLOAD["created"], json.dumps(OLD_PAYLOAD)))
    loaded = store.load("old")
    row = loaded.results[0]
    assert isinstance(row, Difference) and row.diff == -2.0 and row.replications == 5
    assert row.threshold is None and row.decided is None and row.against is None
    assert fmt.effect(row) == fmt.BETTER  # 2 days shorter, beyond the default quarter day
    assert differences_frame(loaded)["threshold"].tolist() == pytest.approx([0.15])  # 5% of 3 d
    assert precision_summary(loaded.results) == ""  # saved without a precision
    store.save(loaded, overwrite=True)
    assert store.load("old").results == loaded.results


def test_a_saved_check_against_the_history_loads_typed(tmp_path):
    """The baseline's check against the history is kept as rows and read back typed; a
    number the database holds as text or not at all reads as unknown."""
    stored = {"kpi": "sales_cycle", "label": "Sales cycle", "unit": "days", "real": 20.0,
              "simulated": 21.0, "ci_low": "n/a", "ci_high": None, "error": 0.05,
              "reproduced": True}
    store = SavedStore(tmp_path / "saved.sqlite")
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO comparisons (name, created, payload) VALUES (?, ?, ?)",
                   ("checked", OLD_PAYLOAD["created"],
                    json.dumps(OLD_PAYLOAD | {"name": "checked", "fidelity": [stored]})))
    loaded = store.load("checked")
    assert loaded.fidelity == [FidelityRow("sales_cycle", "Sales cycle", "days", 20.0, 21.0,
                                           None, None, 0.05, True)]
    store.save(loaded, overwrite=True)
    assert store.load("checked").fidelity == loaded.fidelity


# A map as saved before its rows were typed: plain rows, a part of the baseline without
# "diff", an interval too short to have bounds stored as null.
OLD_MAPS = {
    "Baseline": {"process_map": [
        {"kind": "node", "source": "Quote", "target": "", "count": 9.5, "median": 0.25},
        {"kind": "arc", "source": "__start__", "target": "Quote", "count": 9.5,
         "median": None}],
        "process_map_parts": [{"filter": "attribute", "by": "lead_source", "value": "Web",
                               "cases": 4.0, "runs": 2, "map": [
                                   {"kind": "node", "source": "Quote", "target": "",
                                    "count": 4.0, "median": 0.5}]}]},
    "Faster": {"process_map": [
        {"kind": "node", "source": "Quote", "target": "", "count": 9.5, "median": 0.125}],
        "process_map_diff": [{"kind": "node", "source": "Quote", "target": "",
                              "diff": -0.125, "ci_low": None, "ci_high": None}],
        "process_map_parts": [{"filter": "attribute", "by": "lead_source", "value": "Web",
                               "cases": 4.0, "runs": 2, "map": [], "diff": []}]}}


def test_a_map_saved_as_plain_rows_loads_typed_and_is_saved_as_it_was(tmp_path):
    """Read once at the store: the map rows come back typed, and saved again they are the
    very rows (the same keys, a baseline's part still without 'diff')."""
    store = SavedStore(tmp_path / "saved.sqlite")
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO comparisons (name, created, payload) VALUES (?, ?, ?)",
                   ("mapped", OLD_PAYLOAD["created"],
                    json.dumps(OLD_PAYLOAD | {"name": "mapped", "charts": OLD_MAPS})))
    charts = store.load("mapped").charts
    assert charts["Baseline"]["process_map"][1] == MapStep("arc", "__start__", "Quote", 9.5,
                                                           None)
    assert charts["Faster"]["process_map_diff"] == [
        MapChange("node", "Quote", "", -0.125, None, None)]
    web = charts["Baseline"]["process_map_parts"][0]
    assert web.part == ("attribute", "lead_source", "Web") and web.diff is None
    assert web.map == [MapStep("node", "Quote", "", 4.0, 0.5)]
    store.save(store.load("mapped"), overwrite=True)
    with sqlite3.connect(store.path) as db:
        payload = json.loads(db.execute("SELECT payload FROM comparisons").fetchone()[0])
    assert payload["charts"] == OLD_MAPS


PRICED = {"currency": "EUR", "one_off": {"Automated invoicing": 9000.0}, "lines": [
    {"scenario": "Automated invoicing", "measure": "staff_cost", "unit": "money_per_month",
     "baseline": 5000.0, "value": 4000.0, "diff": -1000.0, "ci_low": -1200.0,
     "ci_high": -800.0, "replications": 4, "note": ""}]}
BY_SOURCE = {"by": "lead_source", "rows": [
    {"scenario": "Automated invoicing", "segment": "Web", "kpi": "invoice_lag",
     "label": "Invoice lag", "unit": "days", "baseline": 3.0, "value": 0.0, "diff": -3.0,
     "ci_low": -3.5, "ci_high": -2.5, "replications": 2}]}


def test_a_business_case_and_segments_saved_as_dicts_load_typed_and_save_as_they_were(
        tmp_path):
    """Read once at the store: the business case and the segments come back typed, and
    saved again they are the very dictionaries; a comparison without them keeps '{}'."""
    store = SavedStore(tmp_path / "saved.sqlite")
    with sqlite3.connect(store.path) as db:
        for name, extra in (("priced", {"business_case": PRICED, "segments": BY_SOURCE}),
                            ("plain", {"business_case": {}, "segments": {}})):
            db.execute("INSERT INTO comparisons (name, created, payload) VALUES (?, ?, ?)",
                       (name, OLD_PAYLOAD["created"],
                        json.dumps(OLD_PAYLOAD | {"name": name} | extra)))
    priced, plain = store.load("priced"), store.load("plain")
    assert priced.business_case is not None and priced.business_case.currency == "EUR"
    assert priced.business_case.lines[0].diff == -1000.0
    assert priced.segments is not None and priced.segments.by == "lead_source"
    assert priced.segments.rows[0].segment == "Web" and priced.segments.rows[0].diff == -3.0
    assert plain.business_case is None and plain.segments is None
    for kept in (priced, plain):
        store.save(kept, overwrite=True)
    with sqlite3.connect(store.path) as db:
        payloads = {name: json.loads(text) for name, text in
                    db.execute("SELECT name, payload FROM comparisons")}
    assert payloads["priced"]["business_case"] == PRICED
    assert payloads["priced"]["segments"] == BY_SOURCE
    assert payloads["plain"]["business_case"] == payloads["plain"]["segments"] == {}


# The scenario files as kept: a comparison's with the resolved YAML that re-runs it, a
# backtest's without.
KEPT_SCENARIOS = [
    {"name": "Automated invoicing", "source": "automated_invoicing.yaml",
     "text": "name: Automated invoicing\n", "resolved": "name: Automated invoicing\n"},
    {"name": "Faster approval", "source": "derived", "text": "name: Faster approval\n"}]


def test_saved_scenario_files_load_typed_and_are_saved_as_they_were(tmp_path):
    store = SavedStore(tmp_path / "saved.sqlite")
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO comparisons (name, created, payload) VALUES (?, ?, ?)",
                   ("kept", OLD_PAYLOAD["created"],
                    json.dumps(OLD_PAYLOAD | {"name": "kept", "scenarios": KEPT_SCENARIOS})))
    loaded = store.load("kept")
    assert loaded.scenarios == [
        SavedScenario("Automated invoicing", "automated_invoicing.yaml",
                      "name: Automated invoicing\n", "name: Automated invoicing\n"),
        SavedScenario("Faster approval", "derived", "name: Faster approval\n")]
    assert store.list()[0].scenarios == ["Automated invoicing", "Faster approval"]
    store.save(loaded, overwrite=True)
    with sqlite3.connect(store.path) as db:
        payload = json.loads(db.execute("SELECT payload FROM comparisons").fetchone()[0])
    assert payload["scenarios"] == KEPT_SCENARIOS
