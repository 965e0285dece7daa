"""Scenarios by segment on a hand-made model whose answer is known: a chain of fixed delays
(lead to cash is exactly their sum, 20 days) whose cases come from two lead sources; Quote
Created's 8-day wait halved takes exactly 4 days off every case, in every segment."""

from __future__ import annotations

import pytest

from scenarios.changes import change_delay
from scenarios.schema import TimeChange
from sim.model import CaseAttributes
from sim.segments import segment_study
from tests.test_target import chain


def test_each_segment_gets_its_own_paired_difference():
    model = chain().model_copy(update={"attributes": CaseAttributes(
        columns=("lead_source",), rows=(("Web",), ("Event",)))})
    faster = change_delay(model, TimeChange(activity="Quote Created", scale=0.5), "test", [])
    rows = segment_study([("Baseline", model), ("Faster quotes", faster)], "lead_source",
                         replications=3, seed=1, run={"cases": 40}, n_jobs=1)
    lead_to_cash = {row.segment: row for row in rows if row.kpi == "lead_to_cash"}
    assert set(lead_to_cash) == {"Web", "Event"}
    for row in lead_to_cash.values():
        assert row.baseline == pytest.approx(20.0) and row.value == pytest.approx(16.0)
        assert row.diff == pytest.approx(-4.0) and row.replications == 3
        assert row.ci_low == pytest.approx(-4.0) and row.ci_high == pytest.approx(-4.0)
