"""The scenario map of a part of the cases (``sim.process_map.part_maps`` and
``summarise_parts``): each part's map, its changes and their intervals are exactly those
of the runs' logs cut to that part's cases (``select_cases``, as the Data page cuts the
history), computed for every part at once."""

from __future__ import annotations

import pandas as pd
import pytest

from scenarios import LIBRARY, apply_scenario, load_scenario
from sim.engine import simulate
from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis.observed import observe
from sim.process_map import (
    ATTRIBUTE,
    MONTH,
    VARIANT,
    differences,
    part_maps,
    process_map,
    select_cases,
    summarise,
    summarise_parts,
    variants,
)

NODE_KEY = ["kind", "source", "target"]


def _observed(log: EventLog):
    return observe(log.events, log.cases, log.roles or ActivityRoles.default())


def _table(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows)[NODE_KEY + columns].sort_values(NODE_KEY).reset_index(drop=True)


@pytest.fixture(scope="module")
def runs(sample_model):
    """Three replications of 300 cases of the baseline and of automated invoicing."""
    invoicing, _ = apply_scenario(sample_model, load_scenario(
        LIBRARY / "automated_invoicing.yaml"))
    return {name: [simulate(model, cases=300, seed=1, replication=r).log for r in range(3)]
            for name, model in (("base", sample_model), ("invoicing", invoicing))}


def test_each_part_is_the_map_of_the_logs_cut_to_its_cases(runs) -> None:
    base, scenario = runs["base"], runs["invoicing"]
    top = variants(base[0]).value_counts().index[0]
    month = base[0].events["start_time"].min().strftime("%Y-%m")
    parts = summarise_parts([part_maps(_observed(log), log.events) for log in base],
                            [part_maps(_observed(log), log.events) for log in scenario])
    found = {p.part: p for p in parts}
    assert {p.filter for p in parts} == {ATTRIBUTE, VARIANT, MONTH}
    first = pd.Timestamp(month + "-01")
    period = (first, first + pd.offsets.MonthEnd(1) + pd.Timedelta(hours=23, minutes=59,
                                                                   seconds=59))
    for key, cut in (((ATTRIBUTE, "lead_source", "Web"), {"attribute": "lead_source",
                                                          "value": "Web"}),
                     ((ATTRIBUTE, "deal_size", "small"), {"attribute": "deal_size",
                                                          "value": "small"}),
                     ((VARIANT, "", top), {"variant": top}),
                     ((MONTH, "", month), {"began": period})):
        def maps(logs, cut=cut):
            return [process_map(_observed(select_cases(log, **cut))) for log in logs]

        part = found[key]
        pd.testing.assert_frame_equal(_table(part.map, ["count", "median"]),
                                      _table(summarise(maps(scenario)), ["count", "median"]))
        pd.testing.assert_frame_equal(
            _table(part.diff or [], ["diff", "ci_low", "ci_high"]),
            _table(differences(maps(base), maps(scenario)), ["diff", "ci_low", "ci_high"]))
        cases = [select_cases(log, **cut).cases.shape[0] for log in scenario]
        assert part.cases == pytest.approx(sum(cases) / len(cases))
    web = found[(ATTRIBUTE, "lead_source", "Web")]
    into = next(d for d in web.diff or [] if d.source == "Order Fulfilled"
                and d.target == "Invoice Generated")
    assert into.ci_high is not None and into.ci_high < 0, "Web's invoices, too, go out the moment the order is done"
