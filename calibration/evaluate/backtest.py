"""Backtest a what-if on a change the log itself went through: learn the process from the
cases begun before the change, describe the change as a scenario, simulate the period
after it with and without the scenario (common random numbers: the same seed, so the two
runs differ by the scenario alone), and set both against what really happened.

Per KPI: its real value before and after the change, the after-period as the unchanged
model predicts it, and as the model with the scenario predicts it. The *real shift* is
the real after-value less the unchanged prediction (what the change did, net of whatever
the before-model foresees anyway: volume, seasonality, work in progress); the *predicted
shift* is the scenario's effect, replication by replication; *explained* is their ratio,
with a 95% interval across replications. A natural experiment in the spirit of
"backtesting" a forecast: the what-if is judged on a change whose outcome is known.

A KPI the scenario misses carries where its error comes from
(``calibration.evaluate.attribution``): for that, the unchanged model is also simulated
over as long a period before the change, to measure the error it makes with no change in
play.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from calibration.evaluate.attribution import (
    Attribution,
    Sides,
    StepSums,
    attribute,
    scenario_steps,
    step_sums,
)
from calibration.evaluate.derive import derive_scenario
from calibration.evaluate.split import begun_between, case_starts, cases_of, split_log
from calibration.evaluate.window import Window, comparison_window
from calibration.fit.calibrate import calibrate, current_regime, describe_changes
from calibration.fit.prepared import prepare
from scenarios.apply import apply_scenario
from scenarios.schema import Scenario
from sim.engine import iter_replications
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis import KpiResult, compute_kpis
from sim.kpis.compute import measure
from sim.kpis.observed import Observed, observe
from sim.kpis.replications import t_interval
from sim.materiality import DEFAULT
from sim.model import ProcessModel

MIN_SHIFT = 1e-9  # a real shift smaller than this explains nothing: no ratio
Progress = Callable[[int, int], None]  # (steps done, steps in all)


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class BacktestRow:
    kpi: str
    label: str
    unit: str
    before: float  # real, the cases begun in as long a period before the change
    after: float  # real, the cases begun after it
    without: Interval  # predicted after-value, the model unchanged
    with_scenario: Interval  # predicted after-value, the model with the scenario
    real_shift: float  # after - without.mean
    predicted_shift: Interval  # with - without, paired by replication
    explained: Interval | None  # predicted shift / real shift, where the real one matters
    material: bool  # the real shift is past the KPI's practical threshold
    missed: bool  # ... and the real after-value lies outside the prediction with the scenario
    attribution: Attribution | None = None  # where a missed KPI's error comes from


@dataclass
class Backtest:
    log: str
    change_date: str
    chosen_by: str  # "given" or what calibration detected
    scenario: str
    reps: int
    seed: int
    window: str
    rows: list[BacktestRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scenario_text: str = ""  # the scenario's YAML
    derived: bool = False  # the scenario was derived from the cases begun after the change
    window_facts: dict[str, object] = field(default_factory=dict)  # ``window`` as values,
    # for a page to word in its own language (empty in a backtest saved before them)

    def to_dict(self) -> dict[str, object]:
        return {key: _finite(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Backtest:
        """A backtest as ``to_dict`` wrote it (one kept with the saved comparisons)."""
        rows = [BacktestRow(**{**row, **{k: _interval_of(row[k]) for k in INTERVALS},
                               "attribution": _attribution_of(row.get("attribution"))})
                for row in data.get("rows", [])]
        return cls(**{**data, "rows": rows})


INTERVALS = ("without", "with_scenario", "predicted_shift", "explained")  # BacktestRow's


def _interval_of(value: Mapping[str, float] | None) -> Interval | None:
    return None if value is None else Interval(**value)


def _attribution_of(value: Mapping[str, Any] | None) -> Attribution | None:
    return None if value is None else Attribution.from_dict(value)


def detected_change(log: EventLog) -> tuple[pd.Timestamp, str]:
    """The latest change calibration finds in the log: its date and what changed."""
    regime = current_regime(prepare(log))
    if regime is None:
        raise PlannerError("Calibration finds no change in this log's process to backtest "
                           "on. Give the date of a change you know with --change-date.")
    latest = regime.later or regime
    return latest.since, describe_changes(latest)


def backtest(log: EventLog, scenario: Scenario | None, change_date: object = None, *,
             reps: int = 10, seed: int = 1, n_jobs: int = -1,
             progress: Progress | None = None) -> Backtest:
    """The backtest of ``scenario`` on the change at ``change_date`` (None: the latest one
    calibration detects); no scenario: the one derived from the cases begun after it.
    ``progress`` hears of each calibration and each replication as it ends."""
    if change_date is None:
        date, what = detected_change(log)
        chosen = f"detected: {what}"
    else:
        date, chosen = _date(change_date), "given"
    starts = case_starts(log)
    if not starts.min() < date <= starts.max():
        raise PlannerError(f"The change date {date:%Y-%m-%d} is outside the log: its cases "
                           f"begin from {starts.min():%Y-%m-%d} to {starts.max():%Y-%m-%d}. "
                           "Give a --change-date in between.")
    derived = scenario is None
    steps = _Steps(progress, (2 if derived else 1) + 3 * reps)
    holdout = split_log(log, split_date=date)
    model = calibrate(holdout.train).model
    steps.one()
    if scenario is None:
        scenario = derive_scenario(model, calibrate(holdout.test).model, date)
        steps.one()
    changed, notes = apply_scenario(model, scenario)
    window = comparison_window(holdout)
    real_after = begun_between(holdout.test, window.start, window.finish_by)
    span = window.finish_by - window.start
    before_ids = starts.index[(starts >= date - span) & (starts < date)]
    real_before = cases_of(log, before_ids)
    without = _runs(model, window, reps, seed, n_jobs, steps)
    with_scenario = _runs(changed, window, reps, seed, n_jobs, steps)
    earlier = _before_window(window, max(date - span, starts.min()))
    simulated_before = _runs(model, earlier, reps, seed, n_jobs, steps)
    after = _observed(real_after, window.end)  # measured once: KPIs, then the step sums
    rows = _rows(compute_kpis(real_before, horizon=date),
                 measure(after, real_after.custom_kpis), without, with_scenario)
    sides = _sides(step_sums(after), real_before, earlier, with_scenario, simulated_before,
                   model, scenario)
    rows = [replace(row, attribution=attribute(row.kpi, row.with_scenario.mean - row.after,
                                               sides)) if row.missed else row
            for row in rows]
    return Backtest(log=log.name, change_date=f"{date:%Y-%m-%d}", chosen_by=chosen,
                    scenario=scenario.name, reps=reps, seed=seed, window=window.describe(),
                    rows=rows, notes=notes, scenario_text=scenario.text,
                    derived=derived, window_facts=window_facts(window))


def _before_window(after: Window, start: pd.Timestamp) -> Window:
    """The period before the change, compared as the one after it is: cases begun from
    ``start`` until the change, observed for as long after their start."""
    allowance = pd.Timedelta(days=after.allowance_days)
    return replace(after, start=start, finish_by=after.start - pd.Timedelta(1, "ns"),
                   end=after.start + allowance, last_case_start=False)


def _sides(after_real: StepSums, real_before: EventLog, earlier: Window,
           predicted: list[Measured], simulated_before: list[Measured], model: ProcessModel,
           scenario: Scenario) -> Sides:
    """What the attribution sets against each other (the real before-period observed as
    its simulation is)."""
    before_values, before_steps = _measured(real_before, earlier.end)
    error: dict[str, float] = {}
    for kpi, real in before_values.items():
        found = [values[kpi] for values, _ in simulated_before if kpi in values]
        if found:
            error[kpi] = float(np.mean(found)) - real
    return Sides(after_predicted=StepSums.mean([s for _, s in predicted]),
                 after_real=after_real,
                 before_predicted=StepSums.mean([s for _, s in simulated_before]),
                 before_real=before_steps, before_error=error,
                 known=frozenset(model.activities),
                 own=frozenset(scenario_steps(scenario, model)))


def window_facts(window: Window) -> dict[str, object]:
    """What ``Window.describe`` says, as values: dates as YYYY-MM-DD, days rounded as it
    rounds them."""
    return {"start": f"{window.start:%Y-%m-%d}", "end": f"{window.end:%Y-%m-%d}",
            "finish_by": f"{window.finish_by:%Y-%m-%d}",
            "warmup": f"{window.warmup_days:.0f}",
            "allowance": f"{window.allowance_days:.1f}",
            "p90": f"{window.case_p90_days:.1f}",
            "capped": window.capped,
            "last_case_start": window.last_case_start}


def _date(value: object) -> pd.Timestamp:
    try:
        date = pd.Timestamp(str(value))
    except ValueError:
        date = pd.NaT
    if date is pd.NaT:
        raise PlannerError(f"--change-date {value!r} is not a date; write it like "
                           "2016-11-01.")
    return date.tz_localize(None) if date.tzinfo is not None else date


class _Steps:
    """Counts the backtest's steps for its ``progress`` callback."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        if progress is not None:
            progress(0, total)

    def one(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


Measured = tuple[dict[str, float], StepSums]  # one log's KPI values and step sums


def _runs(model: ProcessModel, window: Window, reps: int, seed: int, n_jobs: int,
          steps: _Steps) -> list[Measured]:
    """Per replication: KPI id -> value, and the step sums, over the cases begun in the
    compared window."""
    out = []
    for result in iter_replications(model, reps, seed=seed, n_jobs=n_jobs, days=window.days,
                                    start=window.start, warmup_days=window.warmup_days):
        out.append(_measured(begun_between(result.log, window.start, window.finish_by),
                             window.end))
        steps.one()
    return out


def _measured(log: EventLog, horizon: pd.Timestamp) -> Measured:
    """The KPIs (as ``compute_kpis`` measures them) and the step sums of ``log``."""
    obs = _observed(log, horizon)
    return _values(measure(obs, log.custom_kpis)), step_sums(obs)


def _observed(log: EventLog, horizon: pd.Timestamp) -> Observed:
    """``log`` observed until ``horizon``, with its own roles, as ``compute_kpis`` does."""
    return observe(log.events, log.cases, log.roles or ActivityRoles.default(), horizon)


def _values(results: list[KpiResult]) -> dict[str, float]:
    return {r.id: r.value for r in results if r.group is None and r.available}


def _rows(before: list[KpiResult], after: list[KpiResult], without: list[Measured],
          with_scenario: list[Measured]) -> list[BacktestRow]:
    first = _values(before)
    truth = {r.id: r for r in after if r.group is None and r.available}
    rows = []
    for kpi, real in truth.items():
        paired = [(w[kpi], s[kpi]) for (w, _), (s, _) in zip(without, with_scenario,
                                                               strict=True)
                  if kpi in w and kpi in s]
        if kpi not in first or len(paired) < 2:
            continue
        base = np.array([w for w, _ in paired])
        scen = np.array([s for _, s in paired])
        real_shift = real.value - float(base.mean())
        threshold = DEFAULT.amount(kpi, real.unit, float(base.mean()))
        material = abs(real_shift) > max(threshold, MIN_SHIFT)
        explained = (_interval((scen - base) / (real.value - base))
                     if material and np.all(np.abs(real.value - base) > MIN_SHIFT) else None)
        predicted = _interval(scen)
        outside = not (predicted.low - threshold <= real.value <= predicted.high + threshold)
        rows.append(BacktestRow(kpi, real.label, real.unit, first[kpi], real.value,
                                _interval(base), predicted, real_shift, _interval(scen - base),
                                explained, material, material and outside))
    return rows


def _interval(values: np.ndarray) -> Interval:
    """Mean and 95% t-interval across replications (at least two: ``_rows`` sees to it)."""
    low, high = t_interval(values)
    assert low is not None and high is not None
    return Interval(float(np.mean(values)), low, high)


def _finite(value: object) -> object:
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
