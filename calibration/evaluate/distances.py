"""The business-process-simulation log distances, from the ``log-distance-measures`` package.

These are the measures of Chapela-Campa et al. (2023), as Simod and the BPS literature
report them, computed by the authors' own package with its published defaults so our
figures can be set beside published ones (four of them by ``array_measures``, which gives
the package's figures exactly, for all cases at once):

- ``n_gram_distribution``: 3-gram (directly-follows triples) frequency distance, in [0, 1];
- ``absolute_event_distribution``: Wasserstein distance between the start and end times of
  all events, binned by hour (hours);
- ``relative_event_distribution``: the same with times relative to their case's start (hours);
- ``circadian_event_distribution``: hour-of-day distribution per weekday, averaged (hours);
- ``cycle_time_distribution``: case durations binned by hour (hours);
- ``control_flow_log_distance``: mean normalised Damerau-Levenshtein distance of the best
  pairing of traces, in [0, 1]; its cost grows with the square of the cases, so it is
  computed on a sample of at most ``CFLD_CAP`` cases from each side.

Big logs are thinned by case before the other measures: the same share of cases is drawn
from the real and the simulated log, so differences in volume still show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.evaluate.array_measures import (
    control_flow_distance,
    cycle_time_distance,
    n_gram_distance,
    relative_event_distance,
)
from calibration.evaluate.split import wall_clock
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog

try:
    from log_distance_measures.absolute_event_distribution import (
        absolute_event_distribution_distance,
    )
    from log_distance_measures.circadian_event_distribution import (
        circadian_event_distribution_distance,
    )
    from log_distance_measures.config import EventLogIDs
except ImportError:  # pragma: no cover - a dependency of the package
    raise PlannerError("The fidelity report needs the log-distance-measures package: "
                       "pip install 'log-distance-measures>=2.2,<3'.") from None

CFLD_CAP = 300  # cases per side for the control-flow log distance
MAX_CASES = 10_000  # cases per side for the other measures (thinned beyond)
IDS = EventLogIDs(case=CASE_ID, activity=ACTIVITY, start_time=START, end_time=END,
                  resource=RESOURCE)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    compute: Callable[[pd.DataFrame, pd.DataFrame], float]


def _hourly(function: Callable[..., float]) -> Callable[[pd.DataFrame, pd.DataFrame], float]:
    return lambda a, b: float(function(a, IDS, b, IDS))


MEASURES: tuple[Measure, ...] = (
    Measure("n_gram_distribution", "3-gram distribution distance", "0-1",
            n_gram_distance),
    Measure("absolute_event_distribution", "Absolute event distribution distance", "hours",
            _hourly(absolute_event_distribution_distance)),
    Measure("relative_event_distribution", "Relative event distribution distance", "hours",
            relative_event_distance),
    Measure("circadian_event_distribution", "Circadian event distribution distance", "hours",
            _hourly(circadian_event_distribution_distance)),
    Measure("cycle_time_distribution", "Cycle time distribution distance", "hours",
            cycle_time_distance),
    Measure("control_flow_log_distance", f"Control-flow log distance ({CFLD_CAP} cases)",
            "0-1", control_flow_distance),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)


def distance_frame(log: EventLog) -> pd.DataFrame:
    """The columns the measures read, times as naive wall clock, a missing end = the start."""
    events = log.events
    start = wall_clock(events[START])
    end = wall_clock(events[END]).fillna(start)
    return pd.DataFrame({
        CASE_ID: events[CASE_ID].astype(str).to_numpy(),
        ACTIVITY: events[ACTIVITY].astype(str).to_numpy(),
        START: start.to_numpy(), END: end.to_numpy(),
        RESOURCE: events[RESOURCE].to_numpy() if RESOURCE in events else None,
    })


def sample_cases(frame: pd.DataFrame, *, share: float | None = None, count: int | None = None,
                 seed: int = 0) -> pd.DataFrame:
    """A random share (or number) of the cases, with all their events."""
    ids = frame[CASE_ID].unique()
    size = len(ids) if share is None else round(len(ids) * share)
    size = size if count is None else min(size, count)
    if size >= len(ids):
        return frame
    chosen = np.random.default_rng(seed).choice(ids, size=size, replace=False)
    return frame[frame[CASE_ID].isin(chosen)]


def thinning_share(frame: pd.DataFrame, max_cases: int = MAX_CASES) -> float:
    """The share of cases to keep so at most ``max_cases`` remain (1: all)."""
    cases = frame[CASE_ID].nunique()
    return min(1.0, max_cases / cases) if cases else 1.0


def log_distances(real: pd.DataFrame, simulated: pd.DataFrame, *, seed: int = 0,
                  cfld_cap: int = CFLD_CAP, keys: tuple[str, ...] = MEASURE_KEYS
                  ) -> dict[str, float]:
    """The measures ``keys`` (default: all) between two distance frames (NaN where one side
    has no case)."""
    if real.empty or simulated.empty:
        return dict.fromkeys(keys, float("nan"))
    values = {}
    for measure in (m for m in MEASURES if m.key in keys):
        a, b = real, simulated
        if measure.key == "control_flow_log_distance":
            count = min(cfld_cap, a[CASE_ID].nunique(), b[CASE_ID].nunique())
            a = sample_cases(a, count=count, seed=seed)
            b = sample_cases(b, count=count, seed=seed)
        values[measure.key] = measure.compute(a, b)
    return values


def noise_floor(real: pd.DataFrame, *, splits: int = 3, seed: int = 0,
                cfld_cap: int = CFLD_CAP) -> dict[str, float]:
    """The measures between two random halves (by case) of the real log, averaged over
    ``splits`` random splits: what chance alone gives on data of this size."""
    ids = real[CASE_ID].unique()
    if len(ids) < 2:
        return dict.fromkeys(MEASURE_KEYS, float("nan"))
    runs = []
    for number in range(splits):
        shuffled = np.random.default_rng([seed, number]).permutation(ids)
        first = real[CASE_ID].isin(shuffled[: len(ids) // 2])
        last = real[CASE_ID].isin(shuffled[len(ids) // 2: 2 * (len(ids) // 2)])
        runs.append(log_distances(real[first], real[last], seed=seed + number,
                                  cfld_cap=cfld_cap))
    return {key: float(np.mean([r[key] for r in runs])) for key in MEASURE_KEYS}
