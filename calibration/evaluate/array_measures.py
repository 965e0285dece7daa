"""Four measures of ``log-distance-measures``, computed on arrays with the same result.

The package loops over the cases in pandas, one group at a time: on a validation of
thousands of cases its 3-gram, relative-event and cycle-time distances took 140 of the 165
seconds of distances in a tuning run. These are the same measures (Chapela-Campa et al.,
2023) computed for all cases at once, with the package's arithmetic step by step, so they
give its figures exactly (tests compare the two):

- 3-gram distance: each case's activities in order of start and end (ties kept in the log's
  order), padded with ``n - 1`` empty steps at both ends; the n-grams of both logs counted;
  the sum of the absolute differences of the counts over the sum of all counts;
- relative event distribution: every start and end, less its case's first start, floored
  to the hour; the Wasserstein distance of the two samples;
- cycle time distribution: each case's last end less its first start, less the shortest of
  both logs, floored to the hour; the Wasserstein distance;
- control-flow log distance: each case's activities in the 3-gram order as one string; the
  Damerau-Levenshtein distance of every pair of traces over the longer one's length; the
  mean over the pairing of traces that makes it least (the package sorted each case on its
  own, most of this measure's time in a tuning run).
"""

from __future__ import annotations

from statistics import mean

import numpy as np
import pandas as pd
from jellyfish import damerau_levenshtein_distance
from scipy.optimize import linear_sum_assignment
from scipy.stats import wasserstein_distance

from sim.eventlog import ACTIVITY, CASE_ID, END, START

HOUR_NS = 3600 * 10**9


def n_gram_distance(real: pd.DataFrame, simulated: pd.DataFrame, n: int = 3) -> float:
    """The normalised n-gram distribution distance between two distance frames."""
    labels = pd.Index(pd.concat([real[ACTIVITY], simulated[ACTIVITY]]).unique())
    base = len(labels) + 1  # 0 is the padding step
    a, b = (_n_gram_counts(frame, labels, base, n) for frame in (real, simulated))
    grams = np.union1d(a.index, b.index)
    x, y = a.reindex(grams, fill_value=0), b.reindex(grams, fill_value=0)
    total = x.sum() + y.sum()
    return float(np.abs(x - y).sum() / total) if total else 0.0


def _n_gram_counts(frame: pd.DataFrame, labels: pd.Index, base: int, n: int) -> pd.Series:
    """Each n-gram (a number in base ``base``) and how often it occurs."""
    if frame.empty:
        return pd.Series(dtype=np.int64)
    case, steps = _ordered_steps(frame, labels)
    firsts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]])
    lengths = np.diff(np.r_[firsts, len(case)])
    padded = lengths + 2 * (n - 1)
    offsets = np.r_[0, np.cumsum(padded)[:-1]]
    sequence = np.zeros(int(padded.sum()), dtype=np.int64)
    within = np.arange(len(case)) - np.repeat(firsts, lengths)
    sequence[np.repeat(offsets, lengths) + (n - 1) + within] = steps
    windows = padded - n + 1  # n-grams per case
    starts = np.repeat(offsets, windows) + (np.arange(int(windows.sum()))
                                            - np.repeat(np.r_[0, np.cumsum(windows)[:-1]],
                                                        windows))
    grams = np.zeros(len(starts), dtype=np.int64)
    for j in range(n):
        grams = grams * base + sequence[starts + j]
    values, counts = np.unique(grams, return_counts=True)
    return pd.Series(counts, index=values)


def _ordered_steps(frame: pd.DataFrame, labels: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Per event in case order, then start and end (ties kept in the log's order): its case
    number and its activity's place in ``labels``, counted from 1."""
    case = pd.factorize(frame[CASE_ID])[0]
    order = np.lexsort((_sortable(frame[END]), _sortable(frame[START]), case))  # stable
    return case[order], labels.get_indexer(frame[ACTIVITY].to_numpy()[order]) + 1


def control_flow_distance(real: pd.DataFrame, simulated: pd.DataFrame) -> float:
    """The control-flow log distance between two distance frames, in [0, 1]."""
    labels = pd.Index(pd.concat([real[ACTIVITY], simulated[ACTIVITY]]).unique())
    a, b = _traces(real, labels), _traces(simulated, labels)
    cost = np.array([[damerau_levenshtein_distance(x, y) / max(len(x), len(y)) for y in b]
                     for x in a])
    rows, columns = linear_sum_assignment(cost)
    return float(mean(cost[rows, columns].tolist()))


def _traces(frame: pd.DataFrame, labels: pd.Index) -> list[str]:
    """Each case's activities in order, one character per activity."""
    case, steps = _ordered_steps(frame, labels)
    letters = np.array([chr(0x100 + k) for k in range(len(labels) + 1)])[steps]
    firsts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]])
    return ["".join(trace) for trace in np.split(letters, firsts[1:])]


def relative_event_distance(real: pd.DataFrame, simulated: pd.DataFrame) -> float:
    """The relative event distribution distance (hours, start and end times)."""
    return float(wasserstein_distance(_relative_hours(real), _relative_hours(simulated)))


def cycle_time_distance(real: pd.DataFrame, simulated: pd.DataFrame) -> float:
    """The cycle time distribution distance (1-hour bins)."""
    a, b = _cycle_times(real), _cycle_times(simulated)
    shortest = min(a.min(), b.min())
    return float(wasserstein_distance(np.floor((a - shortest) / HOUR_NS),
                                      np.floor((b - shortest) / HOUR_NS)))


def _relative_hours(frame: pd.DataFrame) -> np.ndarray:
    """Every start and end less its case's first start, floored to the hour."""
    case, first, _ = _case_spans(frame)
    start, end = _nanoseconds(frame[START]), _nanoseconds(frame[END])
    seconds = np.r_[start - first[case], end - first[case]] / 1e9  # Timedelta.total_seconds
    return np.floor(seconds / 3600)


def _cycle_times(frame: pd.DataFrame) -> np.ndarray:
    """Each case's last end less its first start (nanoseconds)."""
    _, first, last = _case_spans(frame)
    return last - first


def _case_spans(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event its case number; per case its first start and last end (nanoseconds)."""
    case = pd.factorize(frame[CASE_ID])[0]
    first = np.full(case.max() + 1, np.iinfo(np.int64).max)
    last = np.full(case.max() + 1, np.iinfo(np.int64).min)
    np.minimum.at(first, case, _nanoseconds(frame[START]))
    np.maximum.at(last, case, _nanoseconds(frame[END]))
    return case, first, last


def _nanoseconds(times: pd.Series) -> np.ndarray:
    return times.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _sortable(times: pd.Series) -> np.ndarray:
    """Times as integers, a missing time last (as pandas sorts it)."""
    values = times.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return np.where(pd.isna(times).to_numpy(), np.iinfo(np.int64).max, values)
