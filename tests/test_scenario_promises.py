"""Every library scenario does what its name says, on the bundled sample.

The KPI a scenario's name speaks of moves by what the name promises, within the noise of the
replications: the promise lies inside the 95% t-interval of the per-replication change
(paired: replication r of the scenario against replication r of the baseline, on the same
random streams). A scenario whose description says why the KPI may move further (approvals
that no longer run over a night, revisions that compound) promises "at least". A scenario
that extends others keeps each of their promises. The runs are short and few, so the
intervals are wide where the KPI is noisy and tight where the change is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from scenarios import apply_scenario, library, load_scenario
from sim.calendar import DAY
from sim.case_count import member_runs
from sim.distributions import Exponential
from sim.kpis.replications import t_interval
from sim.model import ProcessModel
from sim.run_length import RunLength
from sim.study import BASELINE, Study, run_study

REPLICATIONS = 3
CASES_RUN: RunLength = {"cases": 400}  # every case runs to its end: no wait is cut short
DAYS_RUN: RunLength = {"days": 60, "start": "2025-01-06"}  # a fixed period: new cases per month
SLACK = 1e-5  # an exact change has an interval of no width, up to times kept to the second


@dataclass(frozen=True)
class Promise:
    """What a scenario's name promises of one KPI: a ratio (scenario / baseline) or a
    difference in the KPI's unit; ``at_least``: as far beyond it as the description says
    (a smaller ratio); ``above``: the part of the KPI above this value moves (quotes beyond
    the first)."""

    kpi: str
    ratio: float | None = None
    diff: float | None = None
    at_least: bool = False
    above: float = 0.0

    def changes(self, baseline: np.ndarray, scenario: np.ndarray) -> np.ndarray:
        if self.ratio is not None:
            return (scenario - self.above) / (baseline - self.above)
        return scenario - baseline

    @property
    def promised(self) -> float:
        return self.ratio if self.ratio is not None else float(self.diff or 0.0)


def approvers_after_one_more(model: ProcessModel) -> float:
    size = model.pools["Approvers"].size
    return size / (size + 1)  # the same work shared by one more person


PROMISES = {
    "automated_invoicing.yaml": [Promise("invoice_lag", ratio=0.0)],
    "e_signature.yaml": [Promise("contract_time", ratio=0.33)],
    "extra_approver.yaml": [Promise("pool_utilisation:Approvers", ratio=2 / 3)],
    "more_leads.yaml": [Promise("cases_started", ratio=1.3)],
    "quote_approval_faster.yaml": [Promise("quote_approval", ratio=0.5, at_least=True)],
    "quote_rework_halved.yaml": [Promise("quote_revisions", ratio=0.5, at_least=True,
                                         above=1.0)],
    "stricter_collection.yaml": [Promise("payment_days", diff=-10.0)],
}
OVER_A_PERIOD = {"more_leads.yaml"}  # a volume: measured over a fixed period too


def promises(name: str) -> list[Promise]:
    """A scenario's own promises, or those of every scenario it extends."""
    if name in PROMISES:
        return PROMISES[name]
    extends = load_scenario(next(p for p in library() if p.name == name)).extends
    assert extends, f"{name}: say in PROMISES what its name promises"
    return [p for part in ([extends] if isinstance(extends, str) else extends)
            for p in promises(part)]


def values(study: Study, member: str, kpi: str) -> np.ndarray:
    return np.array([next(r.value for r in rep if r.id == kpi)
                     for rep in study.per_rep[member]], dtype=float)


@pytest.fixture(scope="module")
def studies(sample_model: ProcessModel) -> dict[str, tuple[str, list[Study]]]:
    """Each library file -> its scenario's name and the studies it was run in: every one in
    a run of a fixed number of cases, a volume also over a fixed period."""
    names, models = {}, {}
    for path in library():
        scenario = load_scenario(path)
        names[path.name] = scenario.name
        models[path.name] = (scenario.name, apply_scenario(sample_model, scenario)[0])
    cases = run_study(sample_model, list(models.values()), REPLICATIONS, seed=1, run=CASES_RUN)
    days = run_study(sample_model, [models[name] for name in sorted(OVER_A_PERIOD)],
                     REPLICATIONS, seed=1, run=DAYS_RUN)
    return {name: (names[name], [cases, days] if name in OVER_A_PERIOD else [cases])
            for name in names}


def test_every_library_scenario_says_what_it_promises() -> None:
    assert {p.name for p in library()} >= set(PROMISES)
    for path in library():
        assert promises(path.name), path.name
        assert "Lever" in load_scenario(path).description, path.name  # in business terms


@pytest.mark.parametrize("name", [p.name for p in library()])
def test_the_named_kpi_moves_as_the_name_promises(studies, sample_model, name: str) -> None:
    member, runs = studies[name]
    for study, promise in ((study, promise) for study in runs for promise in promises(name)):
        if promise.kpi == "pool_utilisation:Approvers":
            assert promise.ratio == pytest.approx(approvers_after_one_more(sample_model))
        changes = promise.changes(values(study, BASELINE, promise.kpi),
                                  values(study, member, promise.kpi))
        low, high = t_interval(changes)
        assert low is not None and high is not None
        said = (f"{name} ({study.run}): {promise.kpi} moved by {changes.mean():+.3f} "
                f"[{low:+.3f}, {high:+.3f}], promised {promise.promised:+.3f}")
        assert low - SLACK <= promise.promised, said
        if not promise.at_least:
            assert promise.promised <= high + SLACK, said


def test_faster_approval_halves_the_wait_for_an_approver_and_the_work(
        sample_model: ProcessModel) -> None:
    """On a log where approval is mostly waiting, halving the work alone would hardly move
    the quote approval KPI: the scenario halves both."""
    approval = sample_model.activities["Quote Approved"]
    waiting = sample_model.model_copy(update={"activities": {
        **sample_model.activities,
        "Quote Approved": approval.model_copy(update={"delay": Exponential(scale=DAY)})}})
    path = next(p for p in library() if p.name == "quote_approval_faster.yaml")
    faster = apply_scenario(waiting, load_scenario(path))[0].activities["Quote Approved"]
    assert faster.delay is not None and faster.processing is not None
    assert approval.processing is not None
    assert faster.delay.mean() == pytest.approx(DAY / 2)
    assert faster.processing.mean() == pytest.approx(approval.processing.mean() / 2)


def test_more_leads_in_a_run_of_n_cases_simulates_more_cases_over_the_same_weeks(
        sample_model: ProcessModel) -> None:
    """N new cases are the baseline's: a scenario arriving 1.3 times as fast meets the same
    weeks with 1.3 N cases; other scenarios, and runs of a fixed period, keep the run."""
    more = apply_scenario(sample_model, load_scenario(
        next(p for p in library() if p.name == "more_leads.yaml")))[0]
    faster = apply_scenario(sample_model, load_scenario(
        next(p for p in library() if p.name == "automated_invoicing.yaml")))[0]
    models = {"more": more, "faster": faster}
    assert member_runs(sample_model, models, {"cases": 400}) == {
        "more": {"cases": 520}, "faster": {"cases": 400}}
    assert member_runs(sample_model, models, DAYS_RUN) == {"more": DAYS_RUN,
                                                           "faster": DAYS_RUN}
