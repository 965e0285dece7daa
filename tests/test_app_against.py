"""Scenario against scenario on the Compare page (``streamlit.testing``): with two scenarios
run, each is read against the other, paired as with the baseline, as ``l2c compare
--against`` does."""

from __future__ import annotations

from pathlib import Path

from scenarios import LIBRARY
from tests.test_app_pages import isolated, ok, run_scenarios, with_model  # noqa: F401

INVOICING, FASTER = "Automated invoicing", "Quote approval 50% faster"


def _row(table, kpi: str) -> dict:
    return table[table["KPI"] == kpi].iloc[0].to_dict()


def test_two_scenarios_are_compared_directly(isolated: Path) -> None:  # noqa: F811
    at = run_scenarios(with_model("compare"), [str(LIBRARY / "automated_invoicing.yaml"),
                                               str(LIBRARY / "quote_approval_faster.yaml")],
                       200, reps=4)  # two scenarios' invoice lags pair loosely: 2 runs
    # (a t-interval 12.7 standard errors wide) can leave a 3-day difference undecided
    against = at.selectbox(key="cmp.against")
    assert against.options == [INVOICING, FASTER] and against.value == INVOICING
    tables = [f.value for f in at.dataframe if "KPI" in f.value.columns]
    invoicing, faster, direct = tables[0], tables[1], tables[-1]
    row = _row(direct, "Invoice lag")  # the faster approval against automated invoicing
    assert row["Baseline"] == _row(invoicing, "Invoice lag")["Scenario"]
    assert row["Scenario"] == _row(faster, "Invoice lag")["Scenario"]
    assert row["Verdict"] == "worse", "invoicing not automated: a longer lag than with it"
    assert "The Baseline column is Automated invoicing here." in [c.value for c in at.caption]
    against.set_value(FASTER)
    ok(at.run())
    row = _row([f.value for f in at.dataframe if "KPI" in f.value.columns][-1],
               "Quote approval")
    assert row["Baseline"] == _row(faster, "Quote approval")["Scenario"]
    assert row["Verdict"] == "worse", "automated invoicing keeps the slower approval"
