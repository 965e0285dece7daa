"""The KPI catalogue: every KPI the planner computes is defined there once, and every
reader (results, verdicts, renderers, translations) gets its words and rules from it."""

from __future__ import annotations

import pytest

from sim.eventlog import EventLog
from sim.kpis import catalogue, compute_kpis
from sim.kpis.catalogue import HIGHER, LOWER, NEITHER
from sim.materiality import DEFAULT
from ui import kpi_definitions
from ui import report_format as fmt


@pytest.fixture(scope="module")
def sample_kpis(sample_log: EventLog) -> list:
    return compute_kpis(sample_log)


def test_every_computed_kpi_is_in_the_catalogue_with_its_kind_and_item(sample_kpis) -> None:
    kinds = set()
    for result in sample_kpis:
        entry = catalogue.definition_of(result.kind)
        assert entry is not None, result.id
        assert result.id == catalogue.kpi_id(result.kind, result.item)
        assert result.unit == entry.unit
        if result.item is None:
            assert result.label == entry.label
        else:
            assert result.label == entry.label_of(str(result.item_name))
        kinds.add(result.kind)
    # all but a user's own and the pools, which only a simulated run knows
    assert kinds == {k.kind for k in catalogue.KPIS} - {"custom", "pool_utilisation"}


def test_headline_kpis_come_first_in_the_catalogues_order(sample_kpis) -> None:
    expected = tuple(k for k in catalogue.HEADLINE if k != "custom")  # none in the sample
    head = [r.kind for r in sample_kpis if r.item is None][:len(expected)]
    assert tuple(head) == expected


def test_a_funnel_stage_keeps_its_role_in_the_id_and_reads_as_its_activity(
        sample_kpis) -> None:
    stage = next(r for r in sample_kpis if r.id == "funnel:quote_approved")
    assert (stage.kind, stage.item, stage.item_name) == ("funnel", "quote_approved",
                                                        "Quote Approved")
    assert fmt.item_name(stage.id, stage.label) == "Quote Approved"


def test_every_kpi_and_section_has_its_translation() -> None:
    for entry in catalogue.KPIS:
        name, definition = kpi_definitions.JAPANESE[entry.kind]
        assert name and definition, entry.kind
        assert kpi_definitions.definition(entry.kind).startswith(entry.definition)
    assert set(kpi_definitions.JAPANESE) == {k.kind for k in catalogue.KPIS}
    assert {s.id for s in catalogue.SECTIONS if s.id} <= set(kpi_definitions.JAPANESE)


@pytest.mark.parametrize(("kpi", "unit", "expected"), [
    ("sales_cycle", "days", LOWER), ("sales_cycle.p90", "days", LOWER),
    ("win_rate", "share", HIGHER), ("cash_collected", "money_per_month", HIGHER),
    ("funnel:quote_approved", "share", HIGHER), ("funnel:opportunity_lost", "share", LOWER),
    ("utilisation:Ann", "share", NEITHER), ("waiting_time:Quote Approved", "days", LOWER),
    ("not_in_the_catalogue", "days", LOWER), ("not_in_the_catalogue:x", "days", NEITHER),
])
def test_the_better_direction_comes_from_the_catalogue(kpi: str, unit: str,
                                                       expected: int) -> None:
    assert catalogue.direction(kpi, unit) == expected


def test_the_default_threshold_is_the_catalogue_entrys() -> None:
    for entry in catalogue.KPIS:
        assert DEFAULT.rule(entry.kind, entry.unit) == entry.rule
    assert DEFAULT.amount("sales_cycle", "days", 100.0) == pytest.approx(0.5)
    assert DEFAULT.amount("sales_cycle", "days", 10.0) == pytest.approx(0.1)
    assert DEFAULT.amount("win_rate", "share", 0.3) == pytest.approx(0.01)


def test_ids_are_read_in_one_place() -> None:
    tail = catalogue.ref("waiting_time:Quote: revised.p90")
    assert (tail.kind, tail.item, tail.tail) == ("waiting_time", "Quote: revised", True)
    assert tail.section == "waiting_time" and not tail.headline
    assert catalogue.ref("win_rate").headline
    assert catalogue.ref("unknown").section is None


def test_the_sentences_and_the_cycle_time_chart_take_their_kpis_from_the_catalogue() -> None:
    """The Compare page names end-to-end KPIs first, and the cycle-time chart shows the
    distributions of whole-process durations: both as the catalogue's entries say."""
    ranked = {k.kind: k.sentence_rank for k in catalogue.KPIS if k.sentence_rank is not None}
    assert ranked and all(catalogue.is_headline(kind) for kind in ranked)
    assert sorted(ranked.values()) == list(range(len(ranked)))
    assert all(catalogue.sentence_rank(kind) == rank for kind, rank in ranked.items())
    assert all(catalogue.sentence_rank(k.kind) > len(ranked) for k in catalogue.KPIS
               if k.sentence_rank is None)
    charted = catalogue.cycle_charted()
    assert charted == tuple(sorted(charted, key=catalogue.headline_rank))
    for kind in charted:
        entry = catalogue.definition_of(kind)
        assert entry is not None and entry.unit == "days" and entry.span is not None
        assert not entry.section
