"""Changes made for one segment (``segment: {lead_source: Web}``): only that segment's cases
change, the others keep the baseline; a wrong attribute or value says what was meant."""

from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest
from typer.testing import CliRunner

from scenarios import apply_scenario, parse_scenario
from scenarios.form import form_from_scenario, scenario_yaml
from sim.engine import simulate
from sim.errors import PlannerError
from sim.model import CaseAttributes, ProcessModel
from sim.segments import segment_study
from tests.test_target import chain
from ui.cli import app

SOURCES = ("Web", "Event", "Partner")


def scenario(changes: str, name: str = "test"):
    return parse_scenario(f"name: {name}\nchanges:\n"
                          + textwrap.indent(textwrap.dedent(changes), "  "), "test.yaml")


def chain_by_source() -> ProcessModel:
    """A chain of fixed delays (lead to cash exactly 20 days) whose cases come from three
    lead sources."""
    return chain().model_copy(update={"attributes": CaseAttributes(
        columns=("lead_source",), rows=tuple((s,) for s in SOURCES))})


def test_a_wait_halved_for_one_segment_moves_only_that_segment():
    model = chain_by_source()
    faster, _ = apply_scenario(model, scenario(
        "- delay: {activity: Quote Created, scale: 0.5, segment: {lead_source: Web}}"))
    rows = segment_study([("Baseline", model), ("Faster Web quotes", faster)], "lead_source",
                         replications=3, seed=1, run={"cases": 60}, n_jobs=1)
    lead_to_cash = {row.segment: row for row in rows if row.kpi == "lead_to_cash"}
    assert set(lead_to_cash) == set(SOURCES)
    assert lead_to_cash["Web"].value == pytest.approx(16.0)  # 8 days halved: 4 days off
    for source in ("Event", "Partner"):
        assert lead_to_cash[source].value == pytest.approx(20.0)
        assert lead_to_cash[source].diff == pytest.approx(0.0, abs=1e-9)


def test_the_other_segments_cases_are_the_baselines_event_for_event():
    """No one queues in this model, so under common random numbers a case outside the
    segment is exactly the baseline's case; inside it, only the changed wait differs."""
    model = chain(random=True).model_copy(update={"attributes": CaseAttributes(
        columns=("lead_source",), rows=tuple((s,) for s in SOURCES))})
    changed, _ = apply_scenario(model, scenario(
        "- delay: {activity: Contract Signed, scale: 0.5, segment: {lead_source: Web}}"))
    before = simulate(model, cases=200, seed=3).log
    after = simulate(changed, cases=200, seed=3).log
    assert before.cases["lead_source"].equals(after.cases["lead_source"])
    web = set(before.cases.index[before.cases["lead_source"] == "Web"])
    assert 0 < len(web) < 200

    def events(log, inside: bool):
        frame = log.events[log.events["case_id"].isin(web) == inside]
        return frame.reset_index(drop=True)

    assert events(before, False).equals(events(after, False))

    def wait_before_contract(log) -> np.ndarray:
        frame = events(log, True).sort_values(["case_id", "start_time"])
        gaps = frame.groupby("case_id")["start_time"].diff().dt.total_seconds()
        return gaps[frame["activity"] == "Contract Signed"].to_numpy()

    np.testing.assert_allclose(wait_before_contract(after),  # logs keep whole seconds
                               wait_before_contract(before) * 0.5, atol=1.0)


def test_more_leads_from_one_source_only(sample_model):
    """30% more Web leads: Web's new cases rise by 30%, every other source's stay as many,
    each within three standard errors of the counts (Poisson: var n)."""
    more, _ = apply_scenario(sample_model, scenario(
        "- volume: {scale: 1.3, segment: {lead_source: Web}}"))
    counts = {}
    for name, model in (("before", sample_model), ("after", more)):
        sources = [simulate(model, days=120, seed=1, replication=r).log.cases["lead_source"]
                   for r in range(4)]
        counts[name] = np.concatenate(sources)
    for source in sorted(set(counts["before"])):
        n_before = int(np.sum(counts["before"] == source))
        n_after = int(np.sum(counts["after"] == source))
        expected = 1.3 if source == "Web" else 1.0
        tolerance = 3 * math.sqrt(1 / n_before + 1 / n_after)  # on the log of the ratio
        assert abs(math.log(n_after / n_before / expected)) < tolerance, (source, n_before,
                                                                         n_after)


def test_automated_invoicing_for_small_deals_on_the_sample(sample_model):
    """Small deals' invoices go out at once; every segment's sales side is the baseline's
    (common random numbers: nothing before invoicing changed for any case); the other
    segments' invoices wait a little less only because the clerks have fewer to do."""
    small, _ = apply_scenario(sample_model, scenario("""\
        - automate: {activity: Invoice Generated, segment: {deal_size: small}}
        - automate: {activity: Invoice Sent, segment: {deal_size: small}}"""))
    rows = segment_study([("Baseline", sample_model), ("Small deals invoiced", small)],
                         "deal_size", replications=5, seed=1, run={"cases": 300}, n_jobs=1)
    by = {(row.segment, row.kpi): row for row in rows}
    lag = by[("small", "invoice_lag")]
    assert lag.value == pytest.approx(0.0, abs=1e-6) and lag.ci_high < 0
    for size in ("small", "medium", "large"):
        for kpi in ("sales_cycle", "quote_approval", "contract_time", "fulfilment_time",
                    "win_rate"):
            assert by[(size, kpi)].diff == 0.0, (size, kpi)
        if size != "small":
            other = by[(size, "invoice_lag")]
            assert other.value > 0 and abs(other.diff) < abs(lag.diff) / 4


@pytest.mark.parametrize(("segment", "message"), [
    ("{lead_sorce: Web}", "no case attribute 'lead_sorce' in the model. Did you mean "
                          "'lead_source'?"),
    ("{lead_source: web}", "'lead_source' has no value 'web'. Did you mean 'Web'?"),
    ("{lead_source: Web, region: North}", "a segment names one attribute and its value"),
])
def test_a_wrong_segment_says_what_was_meant(sample_model, segment, message):
    with pytest.raises(PlannerError) as error:
        apply_scenario(sample_model, scenario(
            f"- delay: {{activity: Contract Signed, scale: 0.5, segment: {segment}}}"))
    assert "changes[0].delay.segment" in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(("change", "message"), [
    ("- pool: {name: Billing, add: 1, segment: {lead_source: Web}}", "serve every case"),
    ("- mix: {attribute: region, shares: {North: 0.5}, segment: {lead_source: Web}}",
     "without a segment"),
])
def test_changes_that_cannot_be_made_for_one_segment_say_so(sample_model, change, message):
    with pytest.raises(PlannerError, match=message):
        apply_scenario(sample_model, scenario(change))


def test_new_payment_terms_for_one_region_rewrite_only_its_rows(sample_model):
    changed, _ = apply_scenario(sample_model, scenario(
        "- payment: {terms: Net 30, segment: {region: North}}"))
    columns = sample_model.attributes.columns
    region, terms = columns.index("region"), columns.index("payment_terms")
    for old, new in zip(sample_model.attributes.rows, changed.attributes.rows, strict=True):
        assert new[terms] == ("Net 30" if old[region] == "North" else old[terms])


def test_a_segment_survives_the_scenario_editor(sample_model):
    written = scenario("""\
        - delay: {activity: Contract Signed, scale: 0.5, segment: {lead_source: Web}}
        - skip: {activity: Solution Proposed, segment: {lead_source: Web}}""")
    form = form_from_scenario(written, sample_model)
    assert form.segment == {"lead_source": "Web"}
    again = parse_scenario(scenario_yaml(form, sample_model), "again.yaml")
    assert [(c.kind, c.segment) for c in again.changes] == [
        ("delay", {"lead_source": "Web"}), ("skip", {"lead_source": "Web"})]
    a, _ = apply_scenario(sample_model, written)
    b, _ = apply_scenario(sample_model, again)
    assert a.variants == b.variants
    form.pools["Approvers"] = sample_model.pools["Approvers"].size + 1  # for every case
    written = parse_scenario(scenario_yaml(form, sample_model), "pool.yaml")
    assert [c.segment for c in written.changes if c.kind == "pool"] == [None]
    apply_scenario(sample_model, written)


def test_the_command_line_simulates_a_segments_change_and_measures_it_by_segment(
        sample_model, tmp_path):
    """``l2c simulate --scenario`` then ``l2c kpis --by``: small deals' invoice lag is gone,
    the other sizes still wait for their invoices; a misspelt attribute is a plain message."""
    runner = CliRunner()
    model = sample_model.save(tmp_path / "model.json")
    (tmp_path / "small.yaml").write_text(
        "name: Automated invoicing for small deals\nchanges:\n"
        "  - automate: {activity: Invoice Generated, segment: {deal_size: small}}\n"
        "  - automate: {activity: Invoice Sent, segment: {deal_size: small}}\n")
    (tmp_path / "wrong.yaml").write_text(
        "name: wrong\nchanges:\n"
        "  - automate: {activity: Invoice Sent, segment: {deal_size_band: small}}\n")
    log = tmp_path / "small.csv"
    result = runner.invoke(app, ["simulate", str(model), "-o", str(log), "--cases", "300",
                                 "--seed", "1", "--scenario", str(tmp_path / "small.yaml")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["kpis", str(log), "--by", "deal_size", "--format", "json"])
    assert result.exit_code == 0, result.output
    lag = {row["group"]: row["value"] for row in json.loads(result.stdout)
           if row["id"] == "invoice_lag"}
    assert lag["small"] == pytest.approx(0.0, abs=1e-6)
    assert lag["medium"] > 1 and lag["large"] > 1  # days, as the baseline's (about 3)
    result = runner.invoke(app, ["simulate", str(model), "-o", str(tmp_path / "w.csv"),
                                 "--cases", "50", "--scenario", str(tmp_path / "wrong.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Did you mean 'deal_size'?" in result.output
