"""Lead-to-cash roles: detected among a log's activities (built-in names, close names with a
confidence, the user's mapping first), in effect while a command works, kept in the model."""

from __future__ import annotations

import json

import pytest

from sim.errors import PlannerError
from sim.kpi_roles import MIN_CONFIDENCE, ActivityRoles, detect, in_effect
from sim.model import SCHEMA_VERSION, ProcessModel


def test_built_in_names_match_as_they_are_and_close_names_with_a_confidence() -> None:
    found = detect(["Lead Created", "見積承認", "Quote Aproved ", "Paymnt Received",
                    "Close as Won", "Ship the goods"])
    by_activity = {m.activity: m for m in found.matches}
    assert by_activity["Lead Created"].confidence == 1.0
    assert by_activity["見積承認"].role == "quote_approved"
    assert by_activity["Close as Won"].role == "opportunity_won"  # a Dynamics 365 name
    typo = by_activity["Paymnt Received"]
    assert typo.role == "payment_received" and MIN_CONFIDENCE <= typo.confidence < 1.0
    assert typo.like == "Payment Received"
    assert "Ship the goods" not in by_activity  # nothing like any built-in name
    assert {m.activity for m in found.guessed} == {"Paymnt Received"}
    assert found.roles.role_of("Paymnt Received") == "payment_received"
    assert "invoice_sent" in found.missing()


def test_a_close_name_does_not_take_a_role_an_exact_name_plays() -> None:
    found = detect(["Quote Approved", "Quote Aproved"])
    assert [m.activity for m in found.matches] == ["Quote Approved"]


def test_the_users_mapping_comes_first() -> None:
    found = detect(["Angebot freigegeben", "Quote Approved", "Rechnung"],
                   {"quote_approved": "Angebot freigegeben", "invoice_sent": ["Rechnung"]})
    assert found.roles.role_of("Angebot freigegeben") == "quote_approved"
    assert found.roles.role_of("Quote Approved") is None  # the mapping replaces the role
    assert found.roles.role_of("Rechnung") == "invoice_sent"


def test_roles_in_effect_are_what_the_default_gives_until_the_block_ends() -> None:
    mine = ActivityRoles.builtin().with_overrides({"quote_approved": "Freigabe"})
    assert ActivityRoles.default().role_of("Freigabe") is None
    with in_effect(mine):
        assert ActivityRoles.default().role_of("Freigabe") == "quote_approved"
    assert ActivityRoles.default() is ActivityRoles.builtin()


def test_a_model_keeps_its_roles_and_a_version_1_file_still_loads(sample_model) -> None:
    data = json.loads(sample_model.to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    old = {k: v for k, v in data.items() if k != "roles"} | {"schema_version": 1}
    loaded = ProcessModel.from_json(json.dumps(old))
    assert loaded.schema_version == SCHEMA_VERSION and loaded.roles == {}
    assert loaded.activity_roles().role_of("Quote Approved") == "quote_approved"

    mapped = ProcessModel.from_json(json.dumps(
        data | {"roles": {"quote_approved": ["Quote Approved"]}}))
    assert ProcessModel.from_json(mapped.to_json()).roles == {
        "quote_approved": ("Quote Approved",)}


@pytest.mark.parametrize(("roles", "message"), [
    ({"quote_aproved": ["Quote Approved"]},
     r"roles has unknown role 'quote_aproved'\. Did you mean 'quote_approved'\?"),
    ({"quote_approved": ["Quote Aproved"]},
     r"roles\['quote_approved'\] names unknown activity 'Quote Aproved'\. Did you mean "
     r"'Quote Approved'\?"),
])
def test_a_broken_roles_entry_is_named(sample_model, roles, message) -> None:
    data = json.loads(sample_model.to_json()) | {"roles": roles}
    with pytest.raises(PlannerError, match=message):
        ProcessModel.from_json(json.dumps(data))


def test_an_unknown_schema_version_says_which_ones_are_read(sample_model) -> None:
    data = json.loads(sample_model.to_json()) | {"schema_version": 9}
    with pytest.raises(PlannerError, match="reads versions 1, 2"):
        ProcessModel.from_json(json.dumps(data))
