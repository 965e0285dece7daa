"""How far to trust the model: its simulated baseline against the history, KPI by KPI.

The baseline is simulated over the log's own period (with a warm-up, so queues and work in
progress are there from day one) and measured with the same KPI functions as the log. Like
is compared with like: cases that had begun before the log are left out of the history,
just as warm-up cases are left out of the simulation. A KPI is reproduced when the real
value lies in the 95% interval of the simulated one, or within 10% of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from calibration.fit.prepared import prepare
from sim.engine import iter_replications
from sim.eventlog import CASE_ID, EventLog
from sim.fidelity_row import FidelityRow
from sim.kpis import KpiResult, compute_kpis, summarise_replications
from sim.model import ProcessModel
from sim.run_length import RunLength

TOLERANCE = 0.10
WARMUP_DAYS = 91.0


def cases_begun_in_log(log: EventLog) -> EventLog:
    """The log without the cases that had begun before it (seen only from the middle)."""
    prepared = prepare(log)
    keep = set(prepared.case_ids[~prepared.left_censored])
    events = log.events[log.events[CASE_ID].isin(keep)].reset_index(drop=True)
    return replace(log, events=events, cases=log.cases.loc[log.cases.index.isin(keep)])


def history_run(model: ProcessModel) -> RunLength:
    """Simulation settings that replay the history's period: same start and length, with a
    warm-up so the pipeline is full from the first day."""
    first, last = (pd.Timestamp(model.provenance.period_start),
                   pd.Timestamp(model.provenance.period_end))
    return {"days": (last - first).total_seconds() / 86400.0, "start": first.normalize(),
            "warmup_days": WARMUP_DAYS}


def baseline_fidelity(log: EventLog, model: ProcessModel, replications: int = 10,
                      seed: int = 1, n_jobs: int = -1,
                      progress: Callable[[int], None] | None = None) -> list[FidelityRow]:
    """Simulate the history's period and compare (see ``compare_with_history``)."""
    per_rep = []
    for number, result in enumerate(iter_replications(
            model, replications, seed=seed, n_jobs=n_jobs, **history_run(model))):
        per_rep.append(compute_kpis(result.log))
        if progress is not None:
            progress(number + 1)
    return compare_with_history(log, per_rep)


def compare_with_history(log: EventLog, per_rep: list[list[KpiResult]]) -> list[FidelityRow]:
    """KPI by KPI: the history (cases begun in the log) against replications of the
    baseline run with ``history_run`` settings (their ``compute_kpis``)."""
    history = cases_begun_in_log(log)
    real = {r.id: r for r in with_tails(compute_kpis(history)) if r.group is None}
    rows = []
    for simulated in summarise_replications([with_tails(r) for r in per_rep]):
        truth = real.get(simulated.id)
        if truth is None or not truth.available or not simulated.available:
            continue
        rows.append(_row(truth, simulated))
    return rows


def with_tails(results: list[KpiResult]) -> list[KpiResult]:
    """Each duration KPI once more as ``<id>.p90`` with its P90 as the value: the tail must
    be reproduced as well as the median."""
    tails = [replace(r, id=f"{r.id}.p90", label=f"{r.label} (P90)", value=r.p90)
             for r in results if r.unit == "days" and r.p90 is not None and r.available]
    return results + tails


def verdict(real: KpiResult, simulated: KpiResult, slack: float = 0.0
            ) -> tuple[float | None, bool, bool]:
    """(relative error, real value inside the simulated 95% interval widened by ``slack``,
    reproduced: inside or within ``TOLERANCE``)."""
    error = simulated.value / real.value - 1 if real.value else None
    inside = (simulated.ci_low is not None and simulated.ci_high is not None
              and simulated.ci_low - slack <= real.value <= simulated.ci_high + slack)
    close = (error is not None and abs(error) <= TOLERANCE) or math.isclose(
        real.value, simulated.value, abs_tol=1e-9)
    return error, bool(inside), bool(inside or close)


def _row(real: KpiResult, simulated: KpiResult) -> FidelityRow:
    error, _, reproduced = verdict(real, simulated)
    return FidelityRow(real.id, real.label, real.unit, real.value, simulated.value,
                       simulated.ci_low, simulated.ci_high, error, reproduced)
