"""Scenario files: each change does what it says to the model, and nothing else."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

from scenarios import apply_scenario, library, load_scenario, parse_scenario
from sim.errors import PlannerError
from sim.model import END, BatchRelease, ProcessModel


@pytest.fixture(scope="module")
def baseline(sample_model: ProcessModel) -> ProcessModel:
    return sample_model


def changed_paths(before: object, after: object, path: str = "") -> set[str]:
    """Leaf paths whose values differ between two model dumps."""
    if isinstance(before, dict) and isinstance(after, dict):
        paths: set[str] = set()
        for key in before.keys() | after.keys():
            paths |= changed_paths(before.get(key), after.get(key), f"{path}.{key}")
        return paths
    return set() if before == after else {path}


def apply_yaml(model: ProcessModel, changes: str) -> tuple[ProcessModel, set[str], list[str]]:
    text = "name: test\nchanges:\n" + textwrap.indent(textwrap.dedent(changes), "  ")
    changed, notes = apply_scenario(model, parse_scenario(text, "test.yaml"))
    paths = changed_paths(model.model_dump(mode="json"), changed.model_dump(mode="json"))
    paths.discard(".name")
    return changed, paths, notes


def quantiles(dist) -> np.ndarray:
    return np.asarray(dist.quantile(np.array([0.5, 0.9])), dtype=float)


def test_null_scenario_changes_nothing(baseline):
    changed, paths, _ = apply_yaml(baseline, "[]")
    assert paths == set()
    assert changed.routing == baseline.routing


def test_duration_scale_shift_cap_and_replace(baseline):
    changed, paths, _ = apply_yaml(baseline, "- duration: {activity: Quote Approved, scale: 0.5}")
    assert {p.split(".processing")[0] for p in paths} == {".activities.Quote Approved"}
    np.testing.assert_allclose(quantiles(changed.activities["Quote Approved"].processing),
                               quantiles(baseline.activities["Quote Approved"].processing) / 2)
    changed, _, _ = apply_yaml(baseline, "- duration: {activity: Quote Approved, shift: -30min,"
                                         " cap: 4h}")
    before = quantiles(baseline.activities["Quote Approved"].processing)
    after = quantiles(changed.activities["Quote Approved"].processing)
    np.testing.assert_allclose(after, np.minimum(np.maximum(before - 1800, 0), 4 * 3600))
    changed, _, _ = apply_yaml(baseline, "- duration: {activity: Quote Approved, distribution:"
                                         " {kind: fixed, value: 600}}")
    assert changed.activities["Quote Approved"].processing.mean() == 600


def test_delay_changes_every_segment(baseline):
    changed, paths, _ = apply_yaml(baseline, "- delay: {activity: Payment Received, shift: -10d}")
    assert all(p.startswith(".activities.Payment Received.delay") for p in paths)
    for terms, dist in baseline.activities["Payment Received"].delay_by.values.items():
        new = changed.activities["Payment Received"].delay_by.values[terms]
        np.testing.assert_allclose(quantiles(new), np.maximum(quantiles(dist) - 864000, 0))


def test_automate_with_manual_fix(baseline):
    changed, paths, _ = apply_yaml(
        baseline, "- automate: {activity: Invoice Generated, error_rate: 0.1}")
    auto = changed.activities["Invoice Generated"]
    assert auto.kind == "system" and auto.pool is None and auto.delay.mean() == 0
    fix = changed.activities["Invoice Generated (manual fix)"]
    assert fix.pool == "Billing" and fix.processing == baseline.activities[
        "Invoice Generated"].processing
    assert changed.routing.branches["Invoice Generated"].pooled == pytest.approx(
        {"Invoice Generated (manual fix)": 0.1, "Invoice Sent": 0.9})
    assert changed.routing.branches["Invoice Generated (manual fix)"].pooled == {
        "Invoice Sent": 1.0}
    assert {p.split(".")[1] for p in paths} == {"activities", "routing"}


def test_pool_size_add_and_calendar(baseline):
    changed, paths, _ = apply_yaml(baseline, "- pool: {name: Approvers, add: 1}")
    assert changed.pools["Approvers"].size == 3 and paths == {".pools.Approvers.size"}
    changed, paths, _ = apply_yaml(baseline,
                                   "- pool: {name: Billing, calendar: 'Mon-Fri 08:00-17:00'}")
    assert changed.pools["Billing"].calendar.describe() == "Mon-Fri 08:00-17:00"
    assert all(p.startswith(".pools.Billing.calendar") for p in paths)


def test_transition_scale_and_set_renormalise_the_others(baseline):
    before = baseline.routing.branches["Quote Created"].pooled
    changed, paths, _ = apply_yaml(
        baseline, "- transition: {from: Quote Created, to: Opportunity Lost, probability: 0.2}")
    after = changed.routing.branches["Quote Created"].pooled
    assert after["Opportunity Lost"] == pytest.approx(0.2)
    assert sum(after.values()) == pytest.approx(1)
    ratio = before["Quote Approved"] / before["Quote Accepted"]
    assert after["Quote Approved"] / after["Quote Accepted"] == pytest.approx(ratio)
    assert all(p.startswith(".routing.branches.Quote Created") for p in paths)


def test_a_large_renormalisation_keeps_a_rounded_branch_valid(baseline):
    """A model read back from JSON sums to 1 only within rounding; cutting a 99.7% step to
    30% multiplies the other steps 233 times, and their rounding error with them: the
    renormalised chances must still sum to 1 (the model is checked to 1e-6)."""
    rounded = {"Quote Approved": 0.997, "Quote Accepted": 0.0025, "Opportunity Lost": 0.0005
               - 5e-7}  # sums to 1 - 5e-7, within the check
    branch = baseline.routing.branches["Quote Created"].model_copy(update={"pooled": rounded})
    model = baseline.model_copy(update={"routing": baseline.routing.model_copy(
        update={"branches": {**baseline.routing.branches, "Quote Created": branch}})})
    changed, _, _ = apply_yaml(
        model, "- transition: {from: Quote Created, to: Quote Approved, scale: 0.3}")
    after = changed.routing.branches["Quote Created"].pooled
    assert sum(after.values()) == pytest.approx(1, abs=1e-9)
    assert after["Quote Accepted"] / after["Opportunity Lost"] == pytest.approx(
        0.0025 / (0.0005 - 5e-7))


def test_rework_cut_applies_to_every_visit(baseline):
    changed, _, _ = apply_yaml(baseline,
                               "- rework: {from: Quote Approved, to: Quote Created, cut: 0.5}")
    before, after = (m.routing.branches["Quote Approved"] for m in (baseline, changed))
    for visit in before.table:
        assert after.table[visit]["Quote Created"] == pytest.approx(
            before.table[visit]["Quote Created"] / 2)


def test_skip_sends_cases_to_what_follows(baseline):
    changed, _, _ = apply_yaml(baseline, "- skip: Solution Proposed")
    before = baseline.routing.branches["First Customer Contact"].pooled
    after = changed.routing.branches["First Customer Contact"].pooled
    assert "Solution Proposed" not in after
    through = before["Solution Proposed"]
    following = baseline.routing.branches["Solution Proposed"].pooled
    assert after["Quote Created"] == pytest.approx(through * following["Quote Created"])
    assert after["Opportunity Lost"] == pytest.approx(
        before["Opportunity Lost"] + through * following["Opportunity Lost"])


def test_volume_and_mix(baseline):
    changed, paths, _ = apply_yaml(baseline, "- volume: {scale: 1.3}")
    assert changed.arrivals.week_profile().sum() == pytest.approx(
        1.3 * baseline.arrivals.week_profile().sum())
    assert all(p.startswith(".arrivals.hourly_rate") for p in paths)
    changed, paths, _ = apply_yaml(baseline,
                                   "- mix: {attribute: lead_source, shares: {Referral: 0.5}}")
    index = changed.attributes.columns.index("lead_source")
    weights = np.asarray(changed.attributes.weights)
    sources = np.array([row[index] for row in changed.attributes.rows])
    share = weights[sources == "Referral"].sum() / weights.sum()
    assert share == pytest.approx(0.5)
    before = {s: np.mean(sources == s) for s in ("Web", "Event")}
    after = {s: weights[sources == s].sum() / weights.sum() for s in ("Web", "Event")}
    assert after["Web"] / after["Event"] == pytest.approx(before["Web"] / before["Event"])
    assert paths == {".attributes.weights"}


def test_payment_terms_and_days(baseline):
    changed, paths, _ = apply_yaml(baseline, "- payment: {terms: Net 30}")
    index = changed.attributes.columns.index("payment_terms")
    assert {row[index] for row in changed.attributes.rows} == {"Net 30"}
    assert paths == {".attributes.rows"}


def test_win_change_for_a_segment(baseline):
    changed, _, notes = apply_yaml(
        baseline, "- win: {segment: {lead_source: Web}, loss_scale: 0.5}")
    lead = changed.routing.branches["Lead Created"]
    before = baseline.routing.branches["Lead Created"]
    assert lead.table["Web"]["Opportunity Lost"] == pytest.approx(
        before.table["Web"]["Opportunity Lost"] / 2)
    assert lead.table["Referral"] == before.table["Referral"]
    contact = changed.routing.branches["First Customer Contact"]
    assert contact.conditioned_on == "lead_source"
    assert contact.table["Web"]["Opportunity Lost"] == pytest.approx(
        baseline.routing.branches["First Customer Contact"].pooled["Opportunity Lost"] / 2)
    assert any("Quote Approved" in note for note in notes)  # conditioned on visit: unchanged


@pytest.mark.parametrize(("changes", "message"), [
    ("- duration: {activity: Quote Aproved, scale: 0.5}", "Did you mean 'Quote Approved'"),
    ("- pool: {name: Approver, add: 1}", "Did you mean 'Approvers'"),
    ("- pol: {name: Approvers, add: 1}", "unknown change 'pol'. Did you mean 'pool'"),
    ("- duration: {activity: Quote Approved, shift: 3}", "has no unit"),
    ("- duration: {activity: Quote Accepted, scale: 0.5}", "no work time"),
    ("- transition: {from: Quote Created, to: Contract Signed, scale: 2}",
     "never goes on to 'Contract Signed'"),
    ("- mix: {attribute: lead_source, shares: {Webb: 0.5}}", "Did you mean 'Web'"),
    ("- pool: {name: Approvers, size: 0}", "changes[0].pool.size"),
    ("- payment: {terms: Net 45}", "unknown terms 'Net 45'"),
])
def test_bad_changes_are_explained(baseline, changes, message):
    with pytest.raises(PlannerError, match=re.escape(message)):
        apply_yaml(baseline, changes)


def test_yaml_is_never_code(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(PlannerError, match=r"evil\.yaml: not valid YAML"):
        load_scenario(path)


def test_extends_and_cycles(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nchanges:\n  - volume: {scale: 2}\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\nchanges:\n  - skip: X\n")
    b = load_scenario(tmp_path / "b.yaml")
    assert [c.kind for c in b.changes] == ["volume", "skip"]
    (tmp_path / "c.yaml").write_text("name: c\nextends: d.yaml\n")
    (tmp_path / "d.yaml").write_text("name: d\nextends: c.yaml\n")
    with pytest.raises(PlannerError, match="round in a circle"):
        load_scenario(tmp_path / "c.yaml")


def test_library_applies_to_the_sample(baseline):
    names = {p.stem for p in library()}
    assert {"quote_approval_faster", "extra_approver", "automated_invoicing", "e_signature",
            "quote_rework_halved", "more_leads", "stricter_collection",
            "best_practice"} <= names
    for path in library():
        changed, notes = apply_scenario(baseline, load_scenario(path))
        assert changed != baseline, path.name
        assert notes == [], (path.name, notes)
    best = load_scenario(next(p for p in library() if p.stem == "best_practice"))
    assert len(best.changes) >= 5
    assert END in baseline.routing.branches["Payment Received"].pooled


@pytest.fixture(scope="module")
def batched(baseline) -> ProcessModel:
    """The sample's model with invoices sent in a weekly run, for cases 2 days old."""
    runs = BatchRelease(every_days=7, reference="2025-06-27", min_age_days=2)
    sent = baseline.activities["Invoice Sent"].model_copy(update={"batch": runs})
    return baseline.model_copy(update={"activities": {**baseline.activities,
                                                      "Invoice Sent": sent}})


def test_scaling_the_wait_of_a_batched_activity_scales_its_runs(batched):
    changed, paths, notes = apply_yaml(batched, "- delay: {activity: Invoice Sent, scale: 0.5}")
    assert paths == {".activities.Invoice Sent.delay.scale",
                     ".activities.Invoice Sent.batch.every_days",
                     ".activities.Invoice Sent.batch.min_age_days"}
    runs = changed.activities["Invoice Sent"].batch
    assert (runs.every_days, runs.min_age_days) == (3.5, 1.0)
    assert runs.reference == "2025-06-27" and notes == []


@pytest.mark.parametrize("changes", [
    "- delay: {activity: Invoice Sent, cap: 1d}",
    "- delay: {activity: Invoice Sent, scale: 0}",
    "- automate: {activity: Invoice Sent}"])
def test_other_wait_changes_end_the_runs(batched, changes):
    changed, _, notes = apply_yaml(batched, changes)
    assert changed.activities["Invoice Sent"].batch is None
    if "delay" in changes:
        assert any("no longer released in runs" in note for note in notes)
