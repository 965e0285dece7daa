"""The 3-gram, relative-event, cycle-time and control-flow distances computed on arrays give
the figures of ``log-distance-measures`` itself, exactly: on the sample, on a real log when it
is there, and on logs built to catch ordering slips (ties in time, one-event cases,
activities only one side has)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from log_distance_measures.control_flow_log_distance import control_flow_log_distance
from log_distance_measures.cycle_time_distribution import cycle_time_distribution_distance
from log_distance_measures.n_gram_distribution import n_gram_distribution_distance
from log_distance_measures.relative_event_distribution import (
    relative_event_distribution_distance,
)

from calibration.evaluate import distances as dist
from calibration.evaluate.array_measures import (
    control_flow_distance,
    cycle_time_distance,
    n_gram_distance,
    relative_event_distance,
)
from calibration.read import read_log
from calibration.sample import sample_path
from sim.eventlog import ACTIVITY, CASE_ID, END, START
from tests.bundled import LOGS

ACR = LOGS / "ConsultaDataMining201618.xes.gz"


def package(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float, float]:
    return (n_gram_distribution_distance(a, dist.IDS, b, dist.IDS, n=3),
            relative_event_distribution_distance(a, dist.IDS, b, dist.IDS),
            cycle_time_distribution_distance(a, dist.IDS, b, dist.IDS,
                                             bin_size=dt.timedelta(hours=1)))


def ours(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float, float]:
    return n_gram_distance(a, b), relative_event_distance(a, b), cycle_time_distance(a, b)


def halves(frame: pd.DataFrame, cases: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = np.random.default_rng(seed).permutation(frame[CASE_ID].unique())[: 2 * cases]
    return (frame[frame[CASE_ID].isin(ids[:cases])],
            frame[frame[CASE_ID].isin(ids[cases:])])


def tied_log(seed: int, activities: str, cases: int = 80) -> pd.DataFrame:
    """Cases of 1 to 6 steps whose times often tie (whole hours, zero-length steps)."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(cases):
        begun = pd.Timestamp("2024-03-01") + pd.Timedelta(hours=int(rng.integers(0, 500)))
        clock = begun
        for _ in range(int(rng.integers(1, 7))):
            clock += pd.Timedelta(hours=int(rng.integers(0, 3)))
            rows.append((f"{seed}-{n}", str(rng.choice(list(activities))), clock,
                         clock + pd.Timedelta(hours=int(rng.integers(0, 2)))))
    return pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START, END])


def test_the_sample_gives_the_package_figures_exactly():
    frame = dist.distance_frame(read_log(sample_path("d365")).require_log())
    a, b = halves(frame, 400, seed=3)
    assert ours(a, b) == package(a, b)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ties_short_cases_and_unshared_activities_give_the_package_figures(seed: int):
    a, b = tied_log(seed, "ABCD"), tied_log(seed + 10, "BCDE")
    assert ours(a, b) == package(a, b)
    assert ours(a, a) == (0.0, 0.0, 0.0)


@pytest.mark.skipif(not ACR.exists(), reason="the shared real logs are not next to the repo")
def test_a_real_log_gives_the_package_figures_exactly():
    frame = dist.distance_frame(read_log(ACR).require_log())
    a, b = halves(frame, 300, seed=5)
    assert ours(a, b) == package(a, b)
    a, b = halves(frame, 150, seed=6)
    assert control_flow_distance(a, b) == package_cfld(a, b)


def package_cfld(a: pd.DataFrame, b: pd.DataFrame) -> float:
    return control_flow_log_distance(a, dist.IDS, b, dist.IDS, parallel=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_control_flow_distance_is_the_package_figure_with_ties_and_short_cases(seed: int):
    a, b = tied_log(seed, "ABCD", cases=60), tied_log(seed + 10, "BCDE", cases=60)
    assert control_flow_distance(a, b) == package_cfld(a, b)
    assert control_flow_distance(a, a) == 0.0


def test_the_control_flow_distance_of_the_sample_is_the_package_figure():
    frame = dist.distance_frame(read_log(sample_path("d365")).require_log())
    a, b = halves(frame, 150, seed=4)
    assert control_flow_distance(a, b) == package_cfld(a, b)
