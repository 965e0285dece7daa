"""Library scenarios name lead-to-cash steps: they apply to any model that maps those roles,
and a model that lacks one is told which role and how to map it."""

from __future__ import annotations

import json

import pytest

from scenarios import library
from scenarios.applies import why_not
from sim.model import ProcessModel


def renamed(model: ProcessModel, old: str, new: str, roles: dict[str, list[str]]
            ) -> ProcessModel:
    data = json.loads(model.to_json().replace(json.dumps(old), json.dumps(new)))
    return ProcessModel.from_json(json.dumps(data | {"roles": roles}))


def test_every_library_scenario_applies_to_the_sample(sample_model) -> None:
    assert {path.name: why_not(sample_model, path) for path in library()} == {
        path.name: None for path in library()}


def test_a_missing_role_is_named_with_how_to_map_it(sample_model) -> None:
    invoicing = next(p for p in library() if p.name == "automated_invoicing.yaml")
    unmapped = renamed(sample_model, "Invoice Generated", "Rechnung", {})
    why = why_not(unmapped, invoicing)
    assert why is not None
    assert "no activity plays the role invoice_generated ('Invoice Generated')" in why
    assert "--role" in why and "'Lead-to-cash roles' on the Data page" in why


@pytest.mark.parametrize("name", ["Invoice Generated", "invoice_generated"])
def test_a_scenario_naming_a_role_changes_the_activity_that_plays_it(sample_model,
                                                                     name: str) -> None:
    from scenarios import apply_scenario, parse_scenario

    mapped = renamed(sample_model, "Invoice Generated", "Rechnung",
                     {"invoice_generated": ["Rechnung"]})
    scenario = parse_scenario(f"name: Faster\nchanges:\n  - duration: {{activity: {name}, "
                              "scale: 0.5}\n")
    changed, _ = apply_scenario(mapped, scenario)
    before, after = mapped.activities["Rechnung"].processing, changed.activities["Rechnung"].processing
    assert before is not None and after is not None
    assert after.mean() == pytest.approx(before.mean() * 0.5)
