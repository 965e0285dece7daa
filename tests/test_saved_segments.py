"""A comparison saved with its segments keeps them through the store and into the Excel
workbook, in English and in Japanese."""

from __future__ import annotations

import io

import pandas as pd

from sim.saved import SavedComparison, SavedScenario, SavedStore
from sim.segments import SegmentResults, SegmentRow
from ui.export import comparison_bytes

ROWS = [{"scenario": "Automated invoicing", "segment": segment, "kpi": "invoice_lag",
         "label": "Invoice lag", "unit": "days", "baseline": base, "value": 0.0,
         "diff": -base, "ci_low": -base - 0.5, "ci_high": -base + 0.5, "replications": 2}
        for segment, base in (("Web", 3.0), ("Partner", 4.0))]


def test_segments_are_saved_and_exported(tmp_path) -> None:
    store = SavedStore(tmp_path / "saved.sqlite")
    store.save(SavedComparison(
        name="By source", model_name="m", model_fingerprint="f", model_json="{}",
        scenarios=[SavedScenario("Automated invoicing")], seed=1,
        replications=2, run={"cases": 300}, results=[],
        segments=SegmentResults("lead_source", [SegmentRow.from_dict(r) for r in ROWS])))
    kept = store.load("By source")
    assert kept.segments is not None and kept.segments.to_dict() == {"by": "lead_source",
                                                                     "rows": ROWS}
    book = pd.read_excel(io.BytesIO(comparison_bytes(kept, "xlsx")), sheet_name=None)
    sheet = book["Segments"]
    assert sheet["segment"].tolist() == ["Web", "Partner"]
    assert sheet["diff"].tolist() == [-3.0, -4.0] and set(sheet["by"]) == {"lead_source"}
    japanese = pd.read_excel(io.BytesIO(comparison_bytes(kept, "xlsx", "ja")), sheet_name=None)
    said = japanese["セグメント別"]
    assert said["セグメント"].tolist() == ["Web", "Partner"] and "属性" in said.columns
    assert said["差"].tolist() == [-3.0, -4.0]
    assert "Segments" not in pd.read_excel(io.BytesIO(comparison_bytes(
        SavedComparison(name="plain", model_name="m", model_fingerprint="f", model_json="{}",
                        scenarios=[], seed=1, replications=2, run={}, results=[]), "xlsx")),
        sheet_name=None)
